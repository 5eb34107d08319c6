/** The executable on bad input: an error result naming resource and field, exit 1, and never an empty stream. */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { functions } from '../../src/cli/registry.js';
import { meshscrape, run, version } from '../support/orchestrators.js';
import { resourceList } from '../support/resource-list.js';

interface Output {
  items: unknown[];
  results?: {
    message: string;
    severity: string;
    resourceRef?: { kind: string; name: string };
    field?: { path: string };
  }[];
}

const monitor = `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: cart
  namespace: shop
spec:
  selector:
    matchLabels:
      app: cart
  endpoints:
  - port: metrics
`;
const typed = (fields: string): string =>
  `apiVersion: meshscrape.dev/v1alpha1\nkind: SetMonitorTLS\nmetadata:\n  name: tls\n${fields}`;

function krm(input: string, args: string[] = []): { code: number; output: Output; stderr: string } {
  const result = run(meshscrape, args, { input });
  expect(result.stdout.trim()).not.toBe('');
  return { code: result.code, output: parse(result.stdout) as Output, stderr: result.stderr };
}

describe('bad input', () => {
  it('malformed YAML', () => {
    const { code, output } = krm(
      'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- a: [1, 2\n',
    );
    expect(code).toBe(1);
    expect(output.results?.[0]?.message).toMatch(/malformed YAML/);
  });

  it('a stream that is not a ResourceList', () => {
    const { code, output } = krm(monitor, ['set-monitor-tls']);
    expect(code).toBe(1);
    expect(output.results?.[0]?.message).toMatch(/not a ResourceList \(kind ServiceMonitor\)/);
  });

  it('a ResourceList without items', () => {
    const { code, output } = krm(
      `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nfunctionConfig:\n  ${typed('').replaceAll('\n', '\n  ')}`,
    );
    expect(code).toBe(1);
    expect(output.results?.[0]).toMatchObject({ severity: 'error', field: { path: 'items' } });
  });

  it('an unknown config field', () => {
    const { code, output } = krm(resourceList(monitor, typed('certDri: /x\n')));
    expect(code).toBe(1);
    expect(output.results).toEqual([
      expect.objectContaining({
        severity: 'error',
        field: { path: 'certDri' },
        resourceRef: expect.objectContaining({ kind: 'SetMonitorTLS' }),
      }),
    ]);
    expect(output.items).toHaveLength(1);
  });

  it('a config field of the wrong type', () => {
    const { code, output } = krm(
      resourceList(monitor, typed('overwrite: "yes please"\nplainPorts: [http]\n')),
    );
    expect(code).toBe(1);
    const paths = output.results?.map((r) => r.field?.path);
    expect(paths).toEqual(expect.arrayContaining(['overwrite', 'plainPorts[0]']));
  });

  it('a path config field holding a control character, typed or in a ConfigMap', () => {
    const typedTab = krm(resourceList(monitor, typed('certDir: "/etc/prom\\tcerts/"\n')));
    expect(typedTab.code).toBe(1);
    expect(typedTab.output.results).toEqual([
      expect.objectContaining({
        message: 'config field certDir: a path cannot hold control characters: a tab at character 10',
        field: { path: 'certDir' },
      }),
    ]);
    const configMap = (value: string): string =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: function-input\ndata:\n  certDir: "${value}"\n`;
    for (const [value, name] of [
      ['/etc/certs\\n', 'a newline'],
      ['/etc/\\0certs', 'a NUL'],
    ]) {
      const { code, output } = krm(resourceList(monitor, configMap(value as string)), ['mount-istio-certs']);
      expect(code).toBe(1);
      expect(output.results?.[0]).toMatchObject({ field: { path: 'data.certDir' } });
      expect(output.results?.[0]?.message).toContain(`cannot hold control characters: ${name}`);
    }
  });

  it('a ResourceList envelope it cannot trust: each mistake its own error, exit 1', () => {
    const head = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';
    const items = `items:\n- ${monitor.trimEnd().replaceAll('\n', '\n  ')}\n`;
    for (const [input, message] of [
      [`${head}${items}${items}`, 'the ResourceList has the key items twice'],
      [`${head}${items}---\n${head}items: []\n`, 'the input holds 2 YAML documents; a KRM function reads'],
      [`${head}${items}results: 5\n`, 'results must be a list of result mappings'],
      [`apiVersion: v2\nkind: ResourceList\n${items}`, 'is not config.kubernetes.io/v1'],
      [`kind: ResourceList\n${items}`, 'no apiVersion; expected config.kubernetes.io/v1'],
    ] as const) {
      const { code, output } = krm(input, ['set-monitor-tls']);
      expect(code).toBe(1);
      expect(output.items).toEqual([]);
      expect(output.results?.[0]?.message).toContain(message);
    }
  });

  it('reads "items :" as the items key', () => {
    const { code, output } = krm(resourceList(monitor).replace('items:', 'items :'), ['set-monitor-tls']);
    expect(code).toBe(0);
    expect(output.items).toHaveLength(1);
  });

  it('an unknown functionConfig kind', () => {
    const config = 'apiVersion: meshscrape.dev/v1alpha1\nkind: MakeCoffee\nmetadata:\n  name: x\n';
    const { code, output } = krm(resourceList(monitor, config));
    expect(code).toBe(1);
    expect(output.results?.[0]).toMatchObject({ severity: 'error', field: { path: 'functionConfig.kind' } });
    expect(output.results?.[0]?.message).toMatch(/MakeCoffee/);
    expect(output.items).toHaveLength(1);
  });

  it('a ServiceMonitor without spec.endpoints', () => {
    const broken = monitor.replace(/ {2}endpoints:\n {2}- port: metrics\n/, '');
    const { code, output, stderr } = krm(resourceList(broken, typed('')));
    expect(code).toBe(1);
    expect(output.results?.[0]).toMatchObject({
      severity: 'error',
      resourceRef: { kind: 'ServiceMonitor', name: 'cart' },
      field: { path: 'spec.endpoints' },
    });
    expect(stderr).toContain('ServiceMonitor/shop/cart (spec.endpoints)');
    expect(output.items).toHaveLength(1);
  });

  it('a ServiceMonitor or PodMonitor without spec.selector (the CRDs require it)', () => {
    const noSelector = monitor.replace(/ {2}selector:\n {4}matchLabels:\n {6}app: cart\n/, '');
    const tls = krm(resourceList(noSelector, typed('')));
    expect(tls.code).toBe(1);
    expect(tls.output.results?.[0]).toMatchObject({ severity: 'error', field: { path: 'spec.selector' } });
    const podMonitor = noSelector
      .replace('ServiceMonitor', 'PodMonitor')
      .replace('endpoints:', 'podMetricsEndpoints:');
    const pods = krm(resourceList(podMonitor), ['fix-pod-monitors']);
    expect(pods.code).toBe(1);
    expect(pods.output.results?.find((r) => r.severity === 'error')).toMatchObject({
      resourceRef: { kind: 'PodMonitor', name: 'cart' },
      field: { path: 'spec.selector' },
    });
  });

  it('items that are not complete resources are kept and named, on both reading paths', () => {
    const items = [
      '5',
      'kind: Deployment\nmetadata:\n  name: web',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    app: web',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: web-',
    ].join('\n---\n');
    // An anchor sends the input through the full parser instead of the line splitter.
    for (const extra of [
      '',
      '\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: &d {k: v}',
    ]) {
      const { code, output, stderr } = krm(resourceList(monitor + '---\n' + items + extra, typed('')));
      expect(code).toBe(1);
      const errors = output.results?.filter((r) => r.severity === 'error') ?? [];
      expect(errors.map((r) => r.field?.path)).toEqual(['items[1]', 'apiVersion', 'metadata.name']);
      expect(errors[1]).toMatchObject({ resourceRef: { kind: 'Deployment', name: 'web' } });
      expect(stderr).toContain('Deployment/web (apiVersion)');
      expect(output.items).toHaveLength(extra === '' ? 5 : 6);
    }
  });

  it('a ConfigMap value that does not decode', () => {
    const config =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: function-input\ndata:\n  plainPorts: "15090,envoy"\n  select: "{not json"\n';
    const { code, output } = krm(resourceList(monitor, config), ['set-monitor-tls']);
    expect(code).toBe(1);
    expect(output.results?.map((r) => r.field?.path)).toEqual(
      expect.arrayContaining(['data.plainPorts', 'data.select']),
    );
  });

  it('a ConfigMap config without a function name', () => {
    const config =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: function-input\ndata:\n  certDir: /x\n';
    const { code, output } = krm(resourceList(monitor, config));
    expect(code).toBe(1);
    expect(output.results?.[0]?.message).toMatch(/unknown functionConfig kind "ConfigMap"/);
  });

  it('no input at all', () => {
    const { code, output } = krm('', ['set-monitor-tls']);
    expect(code).toBe(1);
    expect(output.results?.[0]?.message).toMatch(/no input/);
  });
});

describe('help and modes', () => {
  it('--help lists the functions', () => {
    const result = run(meshscrape, ['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('set-monitor-tls');
    expect(result.stdout).toContain('mount-istio-certs');
  });

  it('FUNCTION --help gives the config reference with defaults', () => {
    const result = run(meshscrape, ['set-monitor-tls', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('certDir: string (default "/etc/prom-certs/")');
    expect(result.stdout).toContain('unknownTargets: "tls"|"skip" (default "tls")');
  });

  it('FUNCTION --help lists the fields of object fields, indented below them', () => {
    const result = run(meshscrape, ['fix-pod-monitors', '--help']);
    expect(result.stdout).toContain(
      '  select: object\n      only resources matching this are changed (default: all targets)\n      kinds: list of string\n',
    );
    expect(result.stdout).toContain('      labels: map of string\n');
    // List items that are objects too: overrides is [{names, labels, strategy}].
    expect(result.stdout).toMatch(/ {2}overrides: list of object .*\n.*\n {6}names: list of string\n/);
  });

  it('help names no path that exists only in a checkout: docs are links to the repository at this version', () => {
    const texts = [
      ['--help'],
      ['help', 'explain'],
      ['help', 'validate'],
      ...functions.map((fn) => [fn.name, '--help']),
    ].map((args) => run(meshscrape, args).stdout);
    for (const text of texts) {
      const withoutLinks = text.replace(/https:\/\/\S+/g, 'LINK');
      expect(withoutLinks).not.toMatch(/README|functions\/[a-z-]+\//);
    }
    const help = run(meshscrape, ['set-monitor-tls', '--help']).stdout;
    expect(help).toContain(
      `Docs: https://github.com/meshscrape/meshscrape/blob/v${version}/functions/set-monitor-tls/README.md\n`,
    );
    // The exec suggestion says how meshscrape gets on PATH.
    expect(help).toContain(`npm install -g meshscrape-${version}.tgz`);
  });

  it('an unknown command is a usage error', () => {
    const result = run(meshscrape, ['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown function or command frobnicate');
  });

  it('with no config and the function named, defaults apply', () => {
    const result = run(meshscrape, ['set-monitor-tls'], { input: resourceList(monitor) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('caFile: /etc/prom-certs/root-cert.pem');
  });

  it('legacy plugin mode: stream in, stream out, results on stderr', () => {
    const config = `${process.env.TMPDIR ?? '/tmp'}/meshscrape-cli-config.yaml`;
    writeFileSync(config, typed(''));
    const result = run(meshscrape, ['kustomize-plugin', 'set-monitor-tls', config], { input: monitor });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('scheme: https');
    expect(result.stdout).not.toContain('ResourceList');
    expect(result.stderr).toContain('unknownTargets: tls');
  });
});
