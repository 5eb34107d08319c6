/** Shared domain helpers: label selectors, pod annotation merging, ConfigMap decoding. */
import { describe, expect, it } from 'vitest';
import { parseDocument, type YAMLMap } from 'yaml';
import * as z from 'zod';
import { matchesSelector } from '../../src/domain/label-selector.js';
import { mergeStringMap } from '../../src/domain/pod-annotations.js';
import { decodeDataString } from '../../src/krm/config.js';
import { Item } from '../../src/krm/item.js';

describe('label selectors follow Kubernetes', () => {
  const labels = { app: 'cart', tier: 'web' };
  it.each([
    [{}, true],
    [{ matchLabels: { app: 'cart' } }, true],
    [{ matchLabels: { app: 'shop' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In' as const, values: ['web', 'api'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn' as const, values: ['web'] }] }, false],
    [{ matchExpressions: [{ key: 'missing', operator: 'NotIn' as const, values: ['x'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' as const }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' as const }] }, false],
    [
      {
        matchLabels: { app: 'cart' },
        matchExpressions: [{ key: 'tier', operator: 'In' as const, values: ['api'] }],
      },
      false,
    ],
  ])('%j -> %s', (selector, expected) => {
    expect(matchesSelector(selector, labels)).toBe(expected);
  });
});

function annotations(yaml: string): { map: YAMLMap; item: Item } {
  const item = Item.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } });
  return { map: parseDocument(yaml, { version: '1.1' }).contents as YAMLMap, item };
}

describe('pod annotation merging', () => {
  it('merges comma lists as sets', () => {
    const { map, item } = annotations('traffic.sidecar.istio.io/excludeOutboundPorts: "8443,9000"\n');
    const results = mergeStringMap(
      map,
      { 'traffic.sidecar.istio.io/excludeOutboundPorts': '9000,15020' },
      item,
      ['a'],
    );
    expect(results).toEqual([]);
    expect(map.toJSON()).toEqual({ 'traffic.sidecar.istio.io/excludeOutboundPorts': '8443,9000,15020' });
  });

  it('merges proxy.istio.io/config as a YAML map and keeps other keys', () => {
    const { map, item } = annotations('proxy.istio.io/config: "holdApplicationUntilProxyStarts: true\\n"\n');
    const results = mergeStringMap(
      map,
      { 'proxy.istio.io/config': 'proxyMetadata:\n  OUTPUT_CERTS: /o\n' },
      item,
      ['a'],
    );
    expect(results).toEqual([]);
    const merged = parseDocument(String(map.get('proxy.istio.io/config'))).toJS();
    expect(merged).toEqual({ holdApplicationUntilProxyStarts: true, proxyMetadata: { OUTPUT_CERTS: '/o' } });
  });

  it('reports a contradiction as an error and leaves the value', () => {
    const { map, item } = annotations('sidecar.istio.io/inject: "false"\n');
    const results = mergeStringMap(map, { 'sidecar.istio.io/inject': 'true' }, item, ['spec', 'labels']);
    expect(results).toMatchObject([
      { severity: 'error', field: { path: 'spec.labels["sidecar.istio.io/inject"]' } },
    ]);
    expect(map.toJSON()).toEqual({ 'sidecar.istio.io/inject': 'false' });
  });

  it('is idempotent', () => {
    const { map, item } = annotations('a: b\n');
    const wanted = { 'sidecar.istio.io/userVolumeMount': '[{"name":"istio-certs","mountPath":"/x"}]' };
    mergeStringMap(map, wanted, item, []);
    const once = JSON.stringify(map.toJSON());
    expect(mergeStringMap(map, wanted, item, [])).toEqual([]);
    expect(JSON.stringify(map.toJSON())).toBe(once);
  });
});

describe('ConfigMap data strings', () => {
  it.each([
    [z.boolean(), 'true', { value: true }],
    [z.number(), '42', { value: 42 }],
    [z.array(z.number()), '15090, 15020', { value: [15090, 15020] }],
    [z.array(z.string()), 'a,b', { value: ['a', 'b'] }],
    [z.array(z.string()), '', { value: [] }],
    [z.object({ a: z.string() }).optional(), '{"a":"x"}', { value: { a: 'x' } }],
    [z.string().default('d'), 'text, with comma', { value: 'text, with comma' }],
  ])('%# decodes', (schema, text, expected) => {
    expect(decodeDataString(schema, text)).toEqual({ ok: true, ...expected, problems: [] });
  });

  it('says what is wrong', () => {
    expect(decodeDataString(z.boolean(), 'maybe')).toEqual({
      ok: false,
      problems: ['expected true or false, got "maybe"'],
    });
    expect(decodeDataString(z.object({}), '{x')).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^expected JSON/)],
    });
  });
});
