/**
 * generate-mesh-policies: every resource it generates, over all its golden cases, is valid for Istio's CRD (served
 * version v1, test/fixtures/crds/istio.yaml), carries its generated-by and path annotations, and keeps the rules
 * the issue sets (one PeerAuthentication per workload with that workload's own selector, no ALLOW without
 * selector or in the root namespace, principals never on a port under a PERMISSIVE exception).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runKrm } from '../../src/cli/krm-mode.js';
import { crdValidatorOfKind } from '../support/crd-schema.js';
import { read, resourceList } from '../support/resource-list.js';

const fn = 'generate-mesh-policies';
const testdata = join(import.meta.dirname, '..', '..', 'functions', fn, 'testdata');
const crds = join(import.meta.dirname, '..', 'fixtures', 'crds', 'istio.yaml');
const kinds: Record<string, string> = {
  PeerAuthentication: 'security.istio.io/v1',
  AuthorizationPolicy: 'security.istio.io/v1',
  ServiceEntry: 'networking.istio.io/v1',
  DestinationRule: 'networking.istio.io/v1',
  Sidecar: 'networking.istio.io/v1',
};
const validators = Object.fromEntries(
  Object.keys(kinds).map((kind) => [kind, crdValidatorOfKind(crds, kind, 'v1')]),
);

interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

function run(dir: string): Resource[] {
  const input = resourceList(read(join(dir, 'resources.yaml')), read(join(dir, 'config.yaml')));
  const out = runKrm(input, fn);
  return (parse(out.stdout, { version: '1.1' }) as { items: Resource[] }).items;
}

const generated = (items: Resource[]): Resource[] =>
  items.filter((i) => i.metadata.annotations?.['meshscrape.dev/generated-by'] === fn);

const cases = readdirSync(testdata).map((name) => ({ name, items: run(join(testdata, name)) }));

describe('generate-mesh-policies output', () => {
  it('covers every kind it generates across the golden cases', () => {
    const seen = new Set(cases.flatMap((c) => generated(c.items).map((i) => i.kind)));
    expect([...seen].sort()).toEqual([...Object.keys(kinds), 'Namespace'].sort());
  });

  it.each(cases)('$name: every generated Istio resource is valid for its CRD (v1)', ({ items }) => {
    for (const resource of generated(items).filter((i) => i.kind in kinds)) {
      expect(resource.apiVersion).toBe(kinds[resource.kind]);
      const validate = validators[resource.kind] as (r: unknown) => string[];
      expect(validate(resource), `${resource.kind}/${resource.metadata.name}`).toEqual([]);
    }
  });

  it('the CRD check can fail: a wrong mode or resolution is caught', () => {
    const pa = validators.PeerAuthentication as (r: unknown) => string[];
    const se = validators.ServiceEntry as (r: unknown) => string[];
    expect(
      pa({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', spec: { mtls: { mode: 'ON' } } }),
    ).not.toEqual([]);
    expect(
      se({
        apiVersion: 'networking.istio.io/v1',
        kind: 'ServiceEntry',
        spec: { hosts: ['a.example.com'], resolution: 'WILDCARD' },
      }),
    ).not.toEqual([]);
  });

  it.each(cases)('$name: every generated resource says who made it and which file it goes to', ({
    items,
  }) => {
    for (const resource of generated(items)) {
      const path = resource.metadata.annotations?.['config.kubernetes.io/path'];
      expect(path, resource.metadata.name).toMatch(/^mesh-policies\/[a-z0-9_-]+\/[a-z]+-[a-z0-9.-]+\.yaml$/);
      expect(resource.metadata.annotations?.['meshscrape.dev/generated-for']).toBeTruthy();
    }
  });

  it.each(cases)('$name: no ALLOW policy without selector or in the root namespace', ({ items }) => {
    for (const policy of generated(items).filter((i) => i.kind === 'AuthorizationPolicy')) {
      expect(policy.metadata.namespace).not.toBe('istio-system');
      const labels = (policy.spec?.selector as { matchLabels?: Record<string, string> })?.matchLabels;
      expect(Object.keys(labels ?? {}).length).toBeGreaterThan(0);
    }
  });

  it('ama-metrics: one PeerAuthentication per collector workload, each with its own pods selector', () => {
    const items = cases.find((c) => c.name === 'ama-metrics-workloads')?.items ?? [];
    const selectors = generated(items)
      .filter((i) => i.kind === 'PeerAuthentication')
      .map((i) => (i.spec?.selector as { matchLabels: Record<string, string> }).matchLabels);
    expect(selectors).toContainEqual({ rsName: 'ama-metrics' });
    expect(selectors).toContainEqual({ dsName: 'ama-metrics-node' });
    expect(selectors).toHaveLength(2);
  });

  it('a port under a PERMISSIVE exception is allowed by port only, never by principal', () => {
    const items = cases.find((c) => c.name === 'authorization')?.items ?? [];
    const db = generated(items).find((i) => i.metadata.name === 'allow-scrapers-db');
    const rules = db?.spec?.rules as { from?: unknown; to?: { operation: { ports: string[] } }[] }[];
    const onPort = rules.filter((r) => r.to?.some((t) => t.operation.ports.includes('9187')));
    expect(onPort).toHaveLength(1);
    expect(onPort[0]?.from).toBeUndefined();
  });
});

describe('generate-mesh-policies converges in one run (found by the fuzz suite)', () => {
  // No Namespace in the list: the run generates it with injection, and decides capture as that Namespace will.
  const resources = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: adapter
  namespace: monitoring
spec:
  selector:
    matchLabels: {app: adapter}
  template:
    metadata:
      labels: {app: adapter}
    spec:
      containers:
      - name: adapter
        image: example.com/adapter:1
        ports:
        - {name: https, containerPort: 6443}
---
apiVersion: v1
kind: Service
metadata:
  name: adapter
  namespace: monitoring
spec:
  selector: {app: adapter}
  ports:
  - {name: https, port: 443, targetPort: https}
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: v1beta1.metrics.k8s.io
spec:
  group: metrics.k8s.io
  version: v1beta1
  service: {name: adapter, namespace: monitoring}
`;
  const config = `apiVersion: meshscrape.dev/v1alpha1
kind: GenerateMeshPolicies
metadata:
  name: p
namespaces: [monitoring]
exceptions:
  ports:
  - {namespace: monitoring, name: adapter, port: 6443, reason: asked}
`;
  it('the first run writes the exceptions a second run would, for ports its own Namespace makes captured', () => {
    const first = runKrm(resourceList(resources, config), fn);
    expect(first.code).toBe(0);
    const policies = (parse(first.stdout) as { items: Resource[] }).items.filter(
      (i) => i.kind === 'PeerAuthentication',
    );
    expect(policies.map((p) => [p.metadata.name, p.spec?.portLevelMtls])).toContainEqual([
      'adapter-port-exception',
      { 6443: { mode: 'PERMISSIVE' } },
    ]);
    const second = runKrm(first.stdout, fn);
    const withoutResults = (text: string) => text.split('\nresults:\n')[0];
    expect(withoutResults(second.stdout)).toBe(withoutResults(first.stdout));
  });
});

interface Outcome {
  code: number;
  items: Resource[];
  results: { severity: string; message: string; field?: { path?: string } }[];
}

/** One run over inline manifests and config text (the config's header is added). */
function runWith(resources: string, config: string): Outcome {
  const head = 'apiVersion: meshscrape.dev/v1alpha1\nkind: GenerateMeshPolicies\nmetadata:\n  name: p\n';
  const out = runKrm(resourceList(resources, head + config), fn);
  const list = parse(out.stdout, { version: '1.1' }) as Omit<Outcome, 'code'>;
  return { code: out.code, items: list.items ?? [], results: list.results ?? [] };
}

const messages = (o: Outcome, severity: string): string[] =>
  o.results.filter((r) => r.severity === severity).map((r) => r.message);

const deployment = (namespace: string, name: string, extra = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}${extra}
    spec:
      containers:
      - name: app
        image: example.com/app:1
        ports:
        - {name: http-metrics, containerPort: 8080}
`;

describe('generate-mesh-policies red-team findings', () => {
  it('refuses a REGISTRY_ONLY Sidecar in the root namespace (it would lock the whole mesh egress)', () => {
    const out = runWith(
      deployment('istio-system', 'prometheus'),
      'sidecarEgress: registry-only\negress:\n- {namespace: istio-system, name: remote-write, hosts: [prometheus-prod-01.grafana.net]}\n',
    );
    expect(generated(out.items).filter((i) => i.kind === 'Sidecar')).toEqual([]);
    expect(messages(out, 'error').join('\n')).toMatch(
      /REGISTRY_ONLY Sidecar in namespace istio-system.*root namespace/,
    );
  });

  it('refuses it in a configured rootNamespace, still writes it elsewhere', () => {
    const out = runWith(
      deployment('mesh-root', 'a') + '---\n' + deployment('shop', 'b'),
      'rootNamespace: mesh-root\nnamespaces: [mesh-root, shop]\nsidecarEgress: registry-only\n',
    );
    const sidecars = generated(out.items).filter((i) => i.kind === 'Sidecar');
    expect(sidecars.map((s) => s.metadata.namespace)).toEqual(['shop']);
    expect(messages(out, 'error').join('\n')).toMatch(/namespace mesh-root/);
  });
});

describe('generate-mesh-policies never generates the Namespaces every cluster has', () => {
  it.each(['default', 'istio-system'])('%s: no Namespace generated, a result says why', (namespace) => {
    const out = runWith(deployment(namespace, 'app'), `namespaces: [${namespace}]\n`);
    expect(generated(out.items).filter((i) => i.kind === 'Namespace')).toEqual([]);
    expect(messages(out, 'info').join('\n')).toContain(`no Namespace ${namespace} generated`);
  });

  it('a configured rootNamespace is not generated either', () => {
    const out = runWith(
      deployment('mesh-root', 'app'),
      'rootNamespace: mesh-root\nnamespaces: [mesh-root]\n',
    );
    expect(generated(out.items).filter((i) => i.kind === 'Namespace')).toEqual([]);
    expect(messages(out, 'info').join('\n')).toContain(
      "no Namespace mesh-root generated: it is Istio's root namespace",
    );
  });

  it('removing a Namespace an earlier run generated is a warning (pruning deletes the namespace)', () => {
    const first = runWith(deployment('shop', 'app'), 'namespaces: [shop]\n');
    expect(generated(first.items).map((i) => i.kind)).toContain('Namespace');
    const again = runKrm(
      resourceList(
        first.items.map((i) => stringify(i)).join('---\n'),
        'apiVersion: meshscrape.dev/v1alpha1\nkind: GenerateMeshPolicies\nmetadata:\n  name: p\nnamespaces: []\n',
      ),
      fn,
    );
    const results = (parse(again.stdout) as Omit<Outcome, 'code'>).results;
    expect(
      results
        .filter((r) => r.severity === 'warning')
        .map((r) => r.message)
        .join('\n'),
    ).toMatch(/removing Namespace shop.*deletes the namespace and everything in it/);
  });
});

describe('generate-mesh-policies config: egress hosts, ports and outputDir', () => {
  const errorsFor = (config: string): string[] => {
    const out = runWith(deployment('monitoring', 'app'), config);
    expect(generated(out.items)).toEqual([]);
    return out.results.filter((r) => r.severity === 'error').map((r) => `${r.field?.path}: ${r.message}`);
  };
  it.each([
    ['https://api.example.com', /egress\[0\]\.hosts\[0\].*URL/],
    ['api.example.com:443', /egress\[0\]\.hosts\[0\].*port/],
    ['10.0.0.1', /egress\[0\]\.hosts\[0\].*IP address/],
    ['API.Example.com', /egress\[0\]\.hosts\[0\].*lowercase/],
    ['api.*.example.com', /egress\[0\]\.hosts\[0\].*leading/],
    ['*api.example.com', /egress\[0\]\.hosts\[0\].*leading/],
    ['bad_name.example.com', /egress\[0\]\.hosts\[0\].*not a DNS name/],
  ])('refuses the host %s naming the field', (host, expected) => {
    expect(errorsFor(`egress:\n- {namespace: monitoring, hosts: ["${host}"]}\n`).join('\n')).toMatch(
      expected,
    );
  });

  it('accepts lowercase names and a leading wildcard, and names the ServiceEntry validly', () => {
    const out = runWith(
      deployment('monitoring', 'app'),
      'egress:\n- {namespace: monitoring, hosts: ["*.ingest.example.com", api.example.com]}\n',
    );
    expect(messages(out, 'error')).toEqual([]);
    const entry = generated(out.items).find((i) => i.kind === 'ServiceEntry');
    expect(entry?.metadata.name).toBe('wildcard-ingest-example-com');
  });

  it('refuses an entry name that is not a Kubernetes name', () => {
    expect(
      errorsFor('egress:\n- {namespace: monitoring, name: Remote_Write, hosts: [a.example.com]}\n').join(
        '\n',
      ),
    ).toMatch(/egress\[0\]\.name.*not a Kubernetes name/);
  });

  it('tls: none needs a port (443 would be https under protocol HTTP)', () => {
    expect(
      errorsFor('egress:\n- {namespace: monitoring, hosts: [a.example.com], tls: none}\n').join('\n'),
    ).toMatch(/egress\[0\]\.port: .*tls: none needs the port/);
    const out = runWith(
      deployment('monitoring', 'app'),
      'egress:\n- {namespace: monitoring, hosts: [a.example.com], tls: none, port: 80}\n',
    );
    expect(messages(out, 'error')).toEqual([]);
  });

  it('targetPort without tls: originate is an error naming the field', () => {
    expect(
      errorsFor('egress:\n- {namespace: monitoring, hosts: [a.example.com], targetPort: 8443}\n').join('\n'),
    ).toMatch(/egress\[0\]\.targetPort: .*only with tls: originate/);
  });

  it.each(['/etc/mesh', '../outside', 'policies/../../x', 'C:\\policies'])('refuses outputDir %s', (dir) => {
    expect(errorsFor(`outputDir: '${dir}'\nnamespaces: [monitoring]\n`).join('\n')).toMatch(
      /outputDir: .*relative path inside the package/,
    );
  });

  it('accepts a relative outputDir', () => {
    const out = runWith(
      deployment('monitoring', 'app'),
      'outputDir: deploy/mesh\nnamespaces: [monitoring]\n',
    );
    expect(messages(out, 'error')).toEqual([]);
  });
});

describe('generate-mesh-policies config: authorization.companionRules are Istio Rules', () => {
  const config = (rule: string) => `authorization:\n  enabled: true\n  companionRules:\n  - ${rule}\n`;
  it.each([
    ['{from: [{source: {namespaces: shop}}]}', /companionRules\[0\]\.from\[0\]\.source\.namespaces/],
    ['{to: [{operation: {ports: [9090]}}]}', /companionRules\[0\]\.to\[0\]\.operation\.ports\[0\]/],
    ['{from: [{namespaces: [shop]}]}', /companionRules\[0\]\.from\[0\]/],
    ['{when: [{values: [a]}]}', /companionRules\[0\]\.when\[0\]\.key/],
    ['{}', /companionRules\[0\].*empty rule matches every request/],
  ])('refuses %s naming the field', (rule, expected) => {
    const out = runWith(deployment('monitoring', 'app'), config(rule));
    expect(generated(out.items)).toEqual([]);
    expect(
      out.results
        .filter((r) => r.severity === 'error')
        .map((r) => `${r.field?.path} ${r.message}`)
        .join('\n'),
    ).toMatch(expected);
  });

  it('accepts a rule of the Istio shape', () => {
    const out = runWith(
      deployment('monitoring', 'app'),
      config('{from: [{source: {namespaces: [shop]}}], to: [{operation: {ports: ["8080"]}}]}'),
    );
    expect(out.results.filter((r) => r.severity === 'error' && /config field/.test(r.message))).toEqual([]);
  });
});

describe('generate-mesh-policies: a generated mesh-wide PeerAuthentication that loosens mTLS is a warning', () => {
  it.each(['PERMISSIVE', 'DISABLE'])('mtls %s in the root namespace', (mode) => {
    const out = runWith(deployment('shop', 'app'), `namespaces: [istio-system, shop]\nmtls: ${mode}\n`);
    const warnings = messages(out, 'warning').filter((m) =>
      m.includes('PeerAuthentication/istio-system/default'),
    );
    expect(warnings.join('\n')).toMatch(
      new RegExp(`mesh-wide .*mode ${mode}: it lowers mTLS for the whole mesh`),
    );
    // Only the mesh-wide one: the namespace policy of shop is not the whole mesh.
    expect(warnings).toHaveLength(1);
  });

  it('STRICT mesh-wide is not warned about', () => {
    const out = runWith(deployment('shop', 'app'), 'namespaces: [istio-system]\n');
    expect(messages(out, 'warning').join('\n')).not.toMatch(/lowers mTLS for the whole mesh/);
  });
});

describe('generate-mesh-policies: REGISTRY_ONLY and scrapers whose outbound the sidecar captures', () => {
  const prometheus = (name: string, podMetadata = ''): string => `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: ${name}
  namespace: monitoring
spec:
  serviceAccountName: prometheus-${name}${podMetadata}
`;
  const config = 'namespaces: [monitoring]\nsidecarEgress: registry-only\n';
  const warned = (o: Outcome): string[] =>
    messages(o, 'warning').filter((m) => m.includes('REGISTRY_ONLY, which drops'));

  it('warns for a Prometheus whose outbound goes through its sidecar, naming the fixes', () => {
    const out = runWith(prometheus('k8s'), config);
    expect(warned(out)).toHaveLength(1);
    expect(warned(out)[0]).toMatch(
      /^Prometheus\/monitoring\/k8s: it scrapes.*node IPs.*includeOutboundIPRanges: "".*excludeOutboundIPRanges/,
    );
  });

  it('not for one with the cert-mount recipe (no outbound capture), nor without the Sidecar', () => {
    const recipe = `
  podMetadata:
    annotations:
      traffic.sidecar.istio.io/includeOutboundIPRanges: ""`;
    expect(warned(runWith(prometheus('k8s', recipe), config))).toEqual([]);
    expect(warned(runWith(prometheus('k8s'), 'namespaces: [monitoring]\n'))).toEqual([]);
  });

  it('warns for a workload that reads its node IP, not for one on hostNetwork', () => {
    const nodeIp = (name: string, hostNetwork: boolean) =>
      deployment('monitoring', name).replace(
        '      containers:\n      - name: app\n',
        `${hostNetwork ? '      hostNetwork: true\n' : ''}      containers:\n      - name: app\n        env:\n        - name: NODE_IP\n          valueFrom: {fieldRef: {fieldPath: status.hostIP}}\n`,
      );
    const out = runWith(`${nodeIp('collector', false)}---\n${nodeIp('host-collector', true)}`, config);
    expect(warned(out).map((m) => m.split(':')[0])).toEqual(['Deployment/monitoring/collector']);
  });
});

describe('generate-mesh-policies: Alertmanager gossip through the sidecar is said without authorization too', () => {
  const alertmanager = (replicas: number, annotations = '') => `apiVersion: monitoring.coreos.com/v1
kind: Alertmanager
metadata:
  name: main
  namespace: monitoring
spec:
  replicas: ${replicas}${annotations}
`;
  const gossip = (o: Outcome): string[] =>
    messages(o, 'warning').filter((m) => m.includes('gossip on port 9094'));

  it('namespaces [monitoring] STRICT and 3 replicas whose 9094 is captured: a warning with the fix', () => {
    const out = runWith(alertmanager(3), 'namespaces: [monitoring]\n');
    expect(gossip(out)).toHaveLength(1);
    expect(gossip(out)[0]).toMatch(
      /^Alertmanager\/monitoring\/main runs 3 replicas.*preset alertmanager-cluster/,
    );
  });

  it('said once with authorization on, none for one replica or 9094 out of capture', () => {
    expect(
      gossip(runWith(alertmanager(3), 'namespaces: [monitoring]\nauthorization: {enabled: true}\n')),
    ).toHaveLength(1);
    expect(gossip(runWith(alertmanager(1), 'namespaces: [monitoring]\n'))).toEqual([]);
    const excluded = `
  podMetadata:
    annotations:
      traffic.sidecar.istio.io/excludeInboundPorts: "9094"`;
    expect(gossip(runWith(alertmanager(3, excluded), 'namespaces: [monitoring]\n'))).toEqual([]);
  });
});
