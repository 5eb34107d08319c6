/** set-sidecar-options: value validation, comma-list merging, the cert-recipe guard, all-or-nothing edits. */
import { describe, expect, it } from 'vitest';
import { parse, parseDocument, type YAMLMap } from 'yaml';
import { setSidecarOptionsSchema } from '../../functions/set-sidecar-options/config.js';
import { runKrm } from '../../src/cli/krm-mode.js';
import { recipeLosses } from '../../src/domain/cert-recipe-guard.js';
import { recipeAnnotations } from '../../src/domain/istio-certs.js';
import { mergeStringMap, splitList } from '../../src/domain/pod-annotations.js';
import { isCidr, portField, quantityField } from '../../src/domain/sidecar-values.js';
import { Item } from '../../src/krm/item.js';
import { resourceList } from '../support/resource-list.js';

describe('sidecar option values', () => {
  it.each([
    ['169.254.169.254/32', true],
    ['10.0.0.0/8', true],
    ['0.0.0.0/0', true],
    ['fd00::/8', true],
    ['::1/128', true],
    ['10.0.0.0/33', false],
    ['fd00::/129', false],
    ['169.254.169.254', false],
    ['300.1.1.1/8', false],
    ['10.0.0.0/8 ', false],
    ['*', false],
    ['', false],
  ])('CIDR %j -> %s', (text, valid) => {
    expect(isCidr(text)).toBe(valid);
  });

  it.each([
    [8080, 8080],
    ['9094', 9094],
    [1, 1],
    [65535, 65535],
  ])('port %j is %d', (input, port) => {
    expect(portField.parse(input)).toBe(port);
  });

  it.each([0, 65536, -1, 80.5, 'http', '', '80 '])('port %j is refused', (input) => {
    expect(portField.safeParse(input).success).toBe(false);
  });

  it.each(['100m', '0.5', '.5', '1', '128Mi', '1Gi', '2k', '1e3', '1.5G'])('quantity %j', (q) => {
    expect(quantityField.parse(q)).toBe(q);
  });

  it('reads a YAML number as a quantity', () => {
    expect(quantityField.parse(2)).toBe('2');
  });

  it.each(['lots', '-128Mi', '1 Gi', '128mi', '1Gb', '', 'm'])('quantity %j is refused', (q) => {
    expect(quantityField.safeParse(q).success).toBe(false);
  });

  it('names the config field of each bad value', () => {
    const parsed = setSidecarOptionsSchema.safeParse({
      excludeOutboundIPRanges: ['10.0.0.0/8', '1.2.3.4'],
      includeOutboundIPRanges: ['*'],
      excludeInboundPorts: [70000],
      proxyMemory: 'a lot',
    });
    expect(parsed.success).toBe(false);
    const issues = parsed.error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues).toEqual([
      ['excludeOutboundIPRanges.1', '"1.2.3.4" is not a CIDR (address/prefix, e.g. 169.254.169.254/32)'],
      ['excludeInboundPorts.0', 'a port is 1-65535'],
      ['proxyMemory', 'must be a Kubernetes quantity, e.g. 100m, 0.5, 128Mi or 1Gi'],
    ]);
  });
});

function annotations(yaml: string): { map: YAMLMap; item: Item } {
  const item = Item.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } });
  return { map: parseDocument(yaml, { version: '1.1' }).contents as YAMLMap, item };
}

const owner = { conflicts: 'replace', wantedBy: 'set-sidecar-options' } as const;
const ranges = 'traffic.sidecar.istio.io/excludeOutboundIPRanges';

describe('comma-list merging', () => {
  it.each([
    ['', []],
    [' , ,', []],
    ['a', ['a']],
    ['a, b ,a,,c', ['a', 'b', 'c']],
  ])('splitList(%j)', (text, parts) => {
    expect(splitList(text)).toEqual(parts);
  });

  it('keeps existing entries first, each once, and joins with a bare comma', () => {
    const { map, item } = annotations(`${ranges}: "10.0.0.0/8, 169.254.169.254/32,10.0.0.0/8"\n`);
    const results = mergeStringMap(map, { [ranges]: '192.168.0.0/16,169.254.169.254/32' }, item, [], owner);
    expect(results).toEqual([]);
    expect(map.toJSON()).toEqual({ [ranges]: '10.0.0.0/8,169.254.169.254/32,192.168.0.0/16' });
  });

  it('is stable: merging the same list again changes nothing', () => {
    const { map, item } = annotations(`${ranges}: "10.0.0.0/8"\n`);
    mergeStringMap(map, { [ranges]: '169.254.169.254/32' }, item, [], owner);
    const once = map.toJSON();
    mergeStringMap(map, { [ranges]: '169.254.169.254/32' }, item, [], owner);
    expect(map.toJSON()).toEqual(once);
  });

  it("replaces scalars and ProxyConfig keys for the values' owner", () => {
    const { map, item } = annotations(
      'sidecar.istio.io/proxyCPU: 50m\nproxy.istio.io/config: "holdApplicationUntilProxyStarts: false\\nconcurrency: 2\\n"\n',
    );
    const results = mergeStringMap(
      map,
      {
        'sidecar.istio.io/proxyCPU': '100m',
        'proxy.istio.io/config': 'holdApplicationUntilProxyStarts: true\n',
      },
      item,
      [],
      owner,
    );
    expect(results).toEqual([]);
    expect(map.get('sidecar.istio.io/proxyCPU')).toBe('100m');
    expect(parse(String(map.get('proxy.istio.io/config')))).toEqual({
      holdApplicationUntilProxyStarts: true,
      concurrency: 2,
    });
  });

  it('still refuses a contradiction under the default (recipe) policy, naming who needs it', () => {
    const { map, item } = annotations('sidecar.istio.io/proxyCPU: 50m\n');
    const results = mergeStringMap(map, { 'sidecar.istio.io/proxyCPU': '100m' }, item, []);
    expect(results.map((r) => r.message)).toEqual([
      'sidecar.istio.io/proxyCPU is "50m", the cert recipe needs "100m"; resolve it by hand, nothing was changed there',
    ]);
  });
});

describe('the cert-recipe guard', () => {
  const recipe = { labels: { 'sidecar.istio.io/inject': 'true' }, annotations: recipeAnnotations('bypass') };
  const withAnnotation = (key: string, value: string) => ({
    labels: recipe.labels,
    annotations: { ...recipe.annotations, [key]: value },
  });

  it('ignores pods without the recipe', () => {
    const plain = { labels: {}, annotations: { 'traffic.sidecar.istio.io/includeOutboundIPRanges': '' } };
    expect(
      recipeLosses(plain, {
        labels: {},
        annotations: { 'traffic.sidecar.istio.io/includeOutboundIPRanges': '*' },
      }),
    ).toEqual([]);
  });

  it('lets other options merge around the recipe', () => {
    expect(recipeLosses(recipe, withAnnotation('sidecar.istio.io/proxyCPU', '100m'))).toEqual([]);
  });

  it.each([
    ['traffic.sidecar.istio.io/includeOutboundIPRanges', '10.0.0.0/8'],
    ['traffic.sidecar.istio.io/includeInboundPorts', '9090'],
    ['proxy.istio.io/config', 'proxyMetadata:\n  OUTPUT_CERTS: /elsewhere\n'],
    ['sidecar.istio.io/userVolumeMount', '[{"name":"istio-certs","mountPath":"/x"}]'],
  ])('refuses a change of %s', (key, value) => {
    expect(recipeLosses(recipe, withAnnotation(key, value)).map((l) => l.key)).toEqual([key]);
  });

  it('refuses switching the sidecar off, as label or annotation', () => {
    const off = { labels: { 'sidecar.istio.io/inject': 'false' }, annotations: recipe.annotations };
    expect(recipeLosses(recipe, off)).toMatchObject([{ where: 'labels', key: 'sidecar.istio.io/inject' }]);
    expect(
      recipeLosses(recipe, withAnnotation('sidecar.istio.io/inject', 'false')).map((l) => l.where),
    ).toEqual(['annotations']);
  });
});

describe('set-sidecar-options edits a pod all or nothing', () => {
  const prometheus = `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: k8s
  namespace: monitoring
spec:
  podMetadata:
    annotations:
      traffic.sidecar.istio.io/includeOutboundIPRanges: ""
      proxy.istio.io/config: |
        proxyMetadata:
          OUTPUT_CERTS: /etc/istio-output-certs
`;
  const config = (fields: string) =>
    `apiVersion: meshscrape.dev/v1alpha1\nkind: SetSidecarOptions\nmetadata:\n  name: t\n${fields}`;

  it('leaves a recipe pod untouched when one option conflicts, even if others would fit', () => {
    const input = resourceList(prometheus, config('proxyCPU: 100m\nincludeOutboundIPRanges: [10.0.0.0/8]\n'));
    const out = runKrm(input, 'set-sidecar-options');
    expect(out.code).toBe(1);
    const list = parse(out.stdout) as { items: unknown[]; results: { severity: string; field?: unknown }[] };
    expect(list.items).toEqual((parse(input) as { items: unknown[] }).items);
    expect(list.results.filter((r) => r.severity === 'error')).toMatchObject([
      { field: { path: 'spec.podMetadata.annotations["traffic.sidecar.istio.io/includeOutboundIPRanges"]' } },
    ]);
  });

  it('refuses a config that sets one annotation twice', () => {
    const input = resourceList(
      prometheus,
      config('proxyCPU: 100m\nannotations:\n  sidecar.istio.io/proxyCPU: "1"\n'),
    );
    const out = runKrm(input, 'set-sidecar-options');
    expect(out.code).toBe(1);
    const results = (parse(out.stdout) as { results: { message: string }[] }).results;
    expect(results.map((r) => r.message)).toEqual([
      'config field annotations["sidecar.istio.io/proxyCPU"] sets what proxyCPU sets; give one of them (nothing was changed)',
    ]);
  });
});
