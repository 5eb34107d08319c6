/**
 * A ResourceList written as JSON is read with JSON.parse and written back as JSON: untouched items as their own
 * text, edited ones in the input's indentation, results last. What the scan doubts goes to the YAML reader.
 */
import { describe, expect, it } from 'vitest';
import type { YAMLMap } from 'yaml';
import { runKrm } from '../../src/cli/krm-mode.js';
import { readResourceList, writeResourceList } from '../../src/krm/resource-list.js';
import { setScalar } from '../../src/krm/yaml-edit.js';
import { scanJsonList } from '../../src/text/json-list.js';

const items = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'shop' }, data: { k: 'v "q"' } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' } },
];
const envelope = { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items };
const indented = `${JSON.stringify(envelope, null, 4)}\n`;

describe('scanJsonList', () => {
  it('finds every item of the top-level items array and the members around it', () => {
    const layout = scanJsonList(indented, 200);
    expect(layout?.items.map((r) => JSON.parse(indented.slice(r.start, r.end)))).toEqual(items);
    expect(layout?.members.map((m) => m.key)).toEqual(['apiVersion', 'kind', 'items']);
    const compact = JSON.stringify(envelope);
    expect(scanJsonList(compact, 200)?.items).toHaveLength(2);
  });

  it('finds a key given twice at any depth (JSON.parse would keep the last silently), also when escaped', () => {
    // In an item: that item is marked for the YAML reader; elsewhere the scan declines.
    expect(
      scanJsonList('{"items": [{"a": 1, "a": 2}, {"b": 1}]}', 200)?.items.map((i) => i.repeated),
    ).toEqual([true, undefined]);
    expect(scanJsonList('{"items": [{"m": {"x": 1, "\\u0078": 2}}]}', 200)?.items[0]?.repeated).toBe(true);
    expect(scanJsonList('{"kind": "A", "kind": "B", "items": []}', 200)).toBeUndefined();
    // The same key in different objects is fine.
    expect(scanJsonList('{"items": [{"a": 1}, {"a": 2}]}', 200)?.items).toHaveLength(2);
  });

  it('declines entries that are not objects, nesting past the bound, text after the object, other documents', () => {
    expect(scanJsonList('{"items": [1]}', 200)).toBeUndefined();
    expect(scanJsonList('{"items": ["x"]}', 200)).toBeUndefined();
    expect(scanJsonList('{"items": [[]]}', 200)).toBeUndefined();
    expect(scanJsonList(`{"items": [${'{"a":'.repeat(10)}1${'}'.repeat(10)}]}`, 5)).toBeUndefined();
    expect(scanJsonList('{"items": []} x', 200)).toBeUndefined();
    expect(scanJsonList('[{"a": 1}]', 200)).toBeUndefined();
    expect(scanJsonList('apiVersion: v1', 200)).toBeUndefined();
    // Brackets and quotes inside strings are text.
    expect(scanJsonList('{"items": [{"a": "}]\\"{["}]}', 200)?.items).toHaveLength(1);
  });
});

describe('JSON ResourceList', () => {
  it('writes untouched items as their text, edited ones as JSON in the same indentation, results last', () => {
    const read = readResourceList(indented);
    const list = read.value;
    if (!list) throw new Error(JSON.stringify(read.problems));
    expect(list.layout.form).toBe('json');
    expect(list.items[0]?.data).toEqual(items[0]);
    setScalar(list.items[1]?.node.get('metadata') as YAMLMap, 'namespace', 'moved');
    const out = writeResourceList(list, [{ message: 'done', severity: 'info' }]);
    const parsed = JSON.parse(out);
    expect(parsed.items[1].metadata.namespace).toBe('moved');
    expect(parsed.results).toEqual([{ message: 'done', severity: 'info' }]);
    // The untouched item is its input text; the edited one is indented as its neighbours are.
    expect(out).toContain(JSON.stringify(items[0], null, 4).replaceAll('\n', '\n        '));
    expect(out).toContain('        {\n            "apiVersion": "v1",\n            "kind": "Secret"');
    expect(out.endsWith('\n}\n')).toBe(true);
  });

  it('gives the input back byte for byte when nothing changes, compact or indented', () => {
    for (const text of [indented, JSON.stringify(envelope)]) {
      const list = readResourceList(text).value;
      if (!list) throw new Error('not read');
      expect(writeResourceList(list, [])).toBe(text);
    }
  });

  it('runs a function on JSON and converges: the second run changes nothing', () => {
    const monitor = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'm', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'x' } }, endpoints: [{ port: 'metrics' }] },
    };
    const input = JSON.stringify(
      {
        apiVersion: 'config.kubernetes.io/v1',
        kind: 'ResourceList',
        items: [monitor],
        functionConfig: {
          apiVersion: 'meshscrape.dev/v1alpha1',
          kind: 'SetMonitorTLS',
          metadata: { name: 'x' },
        },
      },
      null,
      2,
    );
    const first = runKrm(input, undefined);
    expect(first.code, first.stderr).toBe(0);
    const out = JSON.parse(first.stdout);
    expect(out.items[0].spec.endpoints[0].scheme).toBe('https');
    expect(out.functionConfig.kind).toBe('SetMonitorTLS');
    const second = runKrm(first.stdout, undefined);
    expect(JSON.parse(second.stdout).items).toEqual(out.items);
  });

  it('sets aside an item holding a key given twice, passed through as its text, and runs on the rest (red-team finding)', () => {
    const text = JSON.stringify({
      apiVersion: 'config.kubernetes.io/v1',
      kind: 'ResourceList',
      items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, items[1]],
      functionConfig: {
        apiVersion: 'meshscrape.dev/v1alpha1',
        kind: 'SetMonitorTLS',
        metadata: { name: 'x' },
      },
    }).replace('{"name":"c"}', '{"name":"c","name":"d","namespace":"shop"}');
    const out = runKrm(text, undefined);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","name":"d","namespace":"shop"}}',
    );
    expect(out.stdout).toContain(JSON.stringify(items[1]));
  });

  it('leaves a key given twice outside the items to the YAML reader, which reports it naming the key', () => {
    const text =
      '{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "kind": "ResourceList", "items": []}';
    expect(readResourceList(text).problems[0]?.message).toMatch(/the key kind twice/);
  });

  it('reports a missing items field and a wrong kind as the YAML reader does', () => {
    expect(
      readResourceList('{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList"}').problems[0]
        ?.message,
    ).toMatch(/no items field/);
    expect(
      readResourceList('{"apiVersion": "v1", "kind": "List", "items": []}').problems[0]?.message,
    ).toMatch(/not a ResourceList/);
  });
});

describe('JSON stream', () => {
  it('reads a kubectl-style JSON List with JSON.parse and flattens it into its items, each its own text', async () => {
    const { readResourceStream } = await import('../../src/cli/flatten-lists.js');
    const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 4);
    const read = readResourceStream(list);
    expect(read.ok).toBe(true);
    const flat = read.value ?? [];
    expect(flat.map((item) => item.name)).toEqual(['a', 'b']);
    expect(flat.every((item) => item.isJson)).toBe(true);
    expect(flat[0]?.toDocument()).toBe(
      `${JSON.stringify(items[0], null, 4).replaceAll('\n', '\n        ')}\n`,
    );
  });
});
