/** Reading and writing: untouched items byte-identical, comments kept, the fast path equal to the full parser. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  readResourceList,
  readStream,
  startsWithMarker,
  writeResourceList,
  writeStream,
} from '../../src/krm/resource-list.js';
import { setScalar } from '../../src/krm/yaml-edit.js';
import { splitResourceList } from '../../src/text/split-list.js';

const list = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
# a comment before the first item
- # head comment
  apiVersion: v1 # trailing
  kind: ConfigMap
  metadata:
    name: a
    annotations:
      config.kubernetes.io/index: '0'
      internal.config.kubernetes.io/path: 'a.yaml'
  data:
    mode: 0755
    flag: yes
    script: |
      echo one

      # not a comment: inside a block scalar
      echo two
- apiVersion: v1
  kind: Service
  metadata:
    name: s
    namespace: ns
  spec:
    ports:
    # before port
    - port: 80
      name: "http"
functionConfig:
  apiVersion: meshscrape.dev/v1alpha1
  kind: SetMonitorTLS
  metadata:
    name: x
`;

describe('ResourceList reading and writing', () => {
  it('uses the line splitter for block-style input and finds the items', () => {
    const split = splitResourceList(list);
    expect(split?.items.map((i) => i.text.split('\n')[0])).toEqual(['- # head comment', '- apiVersion: v1']);
    expect(split?.items[0]?.leading).toEqual(['# a comment before the first item']);
  });

  it('writes an untouched list back byte for byte', () => {
    const read = readResourceList(list);
    expect(read.problems).toEqual([]);
    expect(writeResourceList(read.value as NonNullable<typeof read.value>, [])).toBe(list);
  });

  it('reads identities from headers without parsing', () => {
    const items = readResourceList(list).value?.items ?? [];
    expect(items.map((i) => [i.kind, i.name, i.namespace])).toEqual([
      ['ConfigMap', 'a', undefined],
      ['Service', 's', 'ns'],
    ]);
    expect(items[0]?.file).toEqual({ path: 'a.yaml', index: 0 });
  });

  it('rewrites only the edited item, keeping its comments, the head comment after "- ", and YAML 1.1 values', () => {
    const read = readResourceList(list);
    const value = read.value as NonNullable<typeof read.value>;
    const configMap = value.items[0];
    if (!configMap) throw new Error('no item');
    const data = configMap.node.get('data', true);
    setScalar(data as never, 'added', 'on');
    const out = writeResourceList(value, []);
    expect(out).toContain('- # head comment\n  apiVersion: v1 # trailing\n');
    expect(out).toContain('    mode: 0755\n    flag: yes\n');
    expect(out).toContain('    added: "on"\n');
    expect(out).toContain('      # not a comment: inside a block scalar\n');
    // The Service is untouched: its text is exactly the input's.
    expect(out).toContain(
      list.slice(list.indexOf('- apiVersion: v1\n  kind: Service'), list.indexOf('functionConfig:')),
    );
    const parsed = parse(out, { version: '1.1' }) as { items: { data: Record<string, unknown> }[] };
    expect(parsed.items[0]?.data).toMatchObject({ mode: 493, flag: true, added: 'on' });
  });

  it('an alias reaching into another item sends the list to the full parser, which resolves it', () => {
    const withAnchor = list.replace('name: a\n', 'name: &n a\n').replace('name: "http"', 'name: *n');
    expect(splitResourceList(withAnchor)).toBeUndefined();
    const read = readResourceList(withAnchor);
    expect(read.problems).toEqual([]);
    const out = writeResourceList(read.value as NonNullable<typeof read.value>, []);
    const items = (parse(out, { version: '1.1' }) as { items: { spec?: { ports: { name: string }[] } }[] })
      .items;
    expect(items[1]?.spec?.ports[0]?.name).toBe('a');
    expect(items).toHaveLength(2);
  });

  it('anchors and aliases inside one item keep the list on the line splitter; that item is parsed alone', () => {
    const anchored = list.replace('name: "http"', 'name: &p "http"\n      targetPort: *p');
    const split = splitResourceList(anchored);
    expect(split?.items.map((i) => i.anchored)).toEqual([false, true]);
    const read = readResourceList(anchored);
    expect(read.value?.items[1]?.data).toEqual(
      (parse(anchored, { version: '1.1' }) as { items: unknown[] }).items[1],
    );
    expect(writeResourceList(read.value as NonNullable<typeof read.value>, [])).toBe(anchored);
  });

  it('through the full parser, keeps items that stand alone as their text, and every comment once', () => {
    const input = [
      'apiVersion: config.kubernetes.io/v1',
      'kind: ResourceList',
      'items:',
      '# before the first item',
      '- apiVersion: v1',
      '  kind: ConfigMap',
      '  metadata:',
      '    name: tabbed   # spacing kept',
      '  data:',
      '    value: "a\tb"',
      '    mode: 0755',
      '  # after the first item, indented',
      '# after the first item',
      '- {apiVersion: v1, kind: ConfigMap, metadata: {name: flow}}',
      '# between the flow item and the anchored one',
      '- apiVersion: v1',
      '  kind: ConfigMap',
      '  metadata:',
      '    name: anchored',
      '    labels: &labels {app: x}',
      '- apiVersion: v1',
      '  kind: ConfigMap',
      '  metadata:',
      '    name: aliased',
      '    labels: *labels',
      '# after the last item',
      '',
    ].join('\n');
    expect(splitResourceList(input)).toBeUndefined();
    const read = readResourceList(input);
    const value = read.value as NonNullable<typeof read.value>;
    const out = writeResourceList(value, []);
    // The first item and all comment lines come out as they were; anchored items are written whole.
    expect(out.startsWith(input.slice(0, input.indexOf('- {apiVersion')))).toBe(true);
    for (const comment of input.split('\n').filter((l) => l.trimStart().startsWith('#')))
      expect(out.split('\n').filter((l) => l === comment)).toHaveLength(1);
    expect(out.endsWith('# after the last item\n')).toBe(true);
    const items = (parse(out, { version: '1.1' }) as { items: { metadata: { labels?: unknown } }[] }).items;
    expect(items).toHaveLength(4);
    expect(items[3]?.metadata.labels).toEqual({ app: 'x' });
    expect(value.items[0]?.read(['data', 'mode'])).toBe(493);
  });

  it('falls back to the full parser for flow-style items and JSON', () => {
    const flow =
      'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: f}}\n';
    expect(splitResourceList(flow)).toBeUndefined();
    expect(readResourceList(flow).value?.items[0]?.name).toBe('f');
    const json = JSON.stringify({
      apiVersion: 'config.kubernetes.io/v1',
      kind: 'ResourceList',
      items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'j' } }],
    });
    expect(readResourceList(json).value?.items[0]?.name).toBe('j');
  });

  it('leaves lines it cannot vouch for to the full parser, and reads block scalars as text', () => {
    const head = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n';
    const multiLineFlow = `${head}- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: m,\n    namespace: shop}\n`;
    expect(splitResourceList(multiLineFlow)).toBeUndefined();
    expect(readResourceList(multiLineFlow).value?.items[0]?.namespace).toBe('shop');
    const multiLineQuote = `${head}- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: "a\n      b"\n`;
    expect(splitResourceList(multiLineQuote)).toBeUndefined();
    expect(readResourceList(multiLineQuote).value?.items[0]?.name).toBe('a b');
    const blockWithBrackets = `${head}- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: b\n  data:\n    rules: |\n      [unclosed {\n      "also unclosed\n    other: '1'\n`;
    expect(splitResourceList(blockWithBrackets)?.items).toHaveLength(1);
    const malformed = `${head}- apiVersion: v1\n  kind: ConfigMap\n  data: [1, 2\n`;
    expect(readResourceList(malformed).problems[0]?.message).toMatch(/malformed YAML/);
  });

  it('keeps indented item lists (items at column 2)', () => {
    const indented =
      'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: i\n';
    const read = readResourceList(indented);
    expect(read.value?.items[0]?.name).toBe('i');
    expect(writeResourceList(read.value as NonNullable<typeof read.value>, [])).toBe(indented);
  });

  it('writes items: [] once, with the comments that followed it', () => {
    const empty =
      'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n# nothing here\n\nfunctionConfig:\n  a: b\n';
    const read = readResourceList(empty);
    expect(writeResourceList(read.value as NonNullable<typeof read.value>, [])).toBe(empty);
  });

  it('writes an empty list as items: [] and keeps results of earlier functions', () => {
    const empty =
      'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nresults:\n- message: earlier\n  severity: info\n';
    const read = readResourceList(empty);
    const out = writeResourceList(read.value as NonNullable<typeof read.value>, [
      { message: 'now', severity: 'warning' },
    ]);
    expect(parse(out)).toEqual({
      apiVersion: 'config.kubernetes.io/v1',
      kind: 'ResourceList',
      items: [],
      results: [
        { message: 'earlier', severity: 'info' },
        { message: 'now', severity: 'warning' },
      ],
    });
  });
  it('writes results that share a resourceRef without anchors and aliases', () => {
    const list = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n';
    const read = readResourceList(list);
    const resourceRef = { apiVersion: 'meshscrape.dev/v1alpha1', kind: 'X', name: 'x' };
    const out = writeResourceList(read.value as NonNullable<typeof read.value>, [
      { message: 'a', severity: 'error', resourceRef },
      { message: 'b', severity: 'error', resourceRef },
    ]);
    expect(out).not.toMatch(/[&*]a1/);
    expect((parse(out) as { results: unknown[] }).results).toHaveLength(2);
  });
});

describe('an item parsed alone', () => {
  it('keeps spaces past the block indentation on a blank-looking line of a block scalar (found by the oracle test)', () => {
    const list =
      'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n  data:\n    script: |\n      one\n       \n      two\n';
    const whole = parse(list, { version: '1.1' }) as { items: { data: unknown }[] };
    expect(whole.items[0]?.data).toEqual({ script: 'one\n \ntwo\n' });
    expect(readResourceList(list).value?.items[0]?.data.data).toEqual(whole.items[0]?.data);
  });
});

describe('the whole-list path (found by the fuzz suite)', () => {
  it('keeps an item holding its own anchor and alias as its text, so a second run writes it as the first did', () => {
    const item =
      '- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n  data:\n    k: &x v\n    j: *x\n';
    // An anchor in functionConfig sends the list to the full parser.
    const list = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${item}functionConfig:\n  a: &y 1\n  b: *y\n`;
    const read = readResourceList(list);
    expect(read.value?.layout.form).toBe('parsed');
    expect(read.value?.items[0]?.data.data).toEqual({ k: 'v', j: 'v' });
    expect(writeResourceList(read.value as never, [])).toContain(item);
  });
});

describe('the line splitter and quoted values (found by the fuzz suite)', () => {
  const head =
    'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n';
  it('a quoted result message that looks like an alias ("x -> */ns/b") keeps the list on the line splitter', () => {
    // A second run reads the first run's results: parsed whole, the list lost its blank lines and was not
    // written as the first run wrote it.
    const list = `${head}functionConfig:\n  k: v\n\nresults:\n- message: "x -> */ns/b"\n  severity: info\n- message: 'y *z'\n`;
    expect(splitResourceList(list)).toBeDefined();
    expect(readResourceList(list).value?.layout.form).toBe('split');
  });
  it('a star after a quote inside a plain scalar still counts: only a quoted whole value is skipped', () => {
    expect(splitResourceList(`${head}  data:\n    k: [a - "b, *x, c"\n    ]\n`)).toBeUndefined();
    expect(splitResourceList(`${head}  data:\n    k: "a" *x\n`)).toBeUndefined();
  });
});

describe('blank lines after functionConfig (found by the fuzz suite)', () => {
  it('the whole-list path keeps them as the line splitter does, so a second run writes what the first wrote', () => {
    const head = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\nfunctionConfig:\n  kind: X\n  from: a\n\n`;
    const split = readResourceList(head);
    expect(split.value?.layout.form).toBe('split');
    const first = writeResourceList(split.value as never, []);
    // Carried results with an anchor and alias of their own send the next run through the parser.
    const carried = `${head}results:\n- message: &m x\n  severity: info\n- message: *m\n  severity: info\n`;
    const parsed = readResourceList(carried);
    expect(parsed.value?.layout.form).toBe('parsed');
    const second = writeResourceList(parsed.value as never, []);
    expect(second.split('results:\n')[0]).toBe(first);
  });
});

describe('YAML 1.1 as Kubernetes reads it', () => {
  it('a bare . is a string (Istio exportTo), not NaN written back as .nan', () => {
    const text = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: networking.istio.io/v1\n  kind: DestinationRule\n  metadata:\n    name: d\n  spec:\n    exportTo: [., shop]\n    x: +.\n    half: .5\n`;
    const read = readResourceList(text);
    const item = read.value?.items[0];
    expect(item?.data.spec).toEqual({ exportTo: ['.', 'shop'], x: '+.', half: 0.5 });
    // Edited, the item is written from its Document: the dot stays a dot.
    item?.node.setIn(['spec', 'x'], 'changed');
    const written = writeResourceList(read.value as never, []);
    expect(written).toContain('exportTo: [., shop]');
    expect(written).not.toContain('.nan');
  });
});

describe('ResourceList envelope errors', () => {
  const head = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';
  const entry = '- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n';
  // An anchor in an item sends the input through the full parser instead of the line splitter.
  // A tag sends the list to the full parser (anchors of one item no longer do).
  const parsedEntry = `${entry}  data: !!map {k: v}\n`;
  const messages = (text: string): string[] => readResourceList(text).problems.map((p) => p.message);

  it('a top-level key given twice is an error naming it, on both reading paths', () => {
    for (const item of [entry, parsedEntry]) {
      expect(messages(`${head}items:\n${item}items:\n${item}`)).toEqual([
        'the ResourceList has the key items twice; each top-level key may appear once',
      ]);
      expect(messages(`${head}kind: ResourceList\nitems:\n${item}`)).toEqual([
        'the ResourceList has the key kind twice; each top-level key may appear once',
      ]);
    }
  });

  it('a key given twice inside an item: that item is set aside when read, named with its line, on both paths', () => {
    for (const [item, line] of [
      [entry, 6],
      [parsedEntry, 7],
    ] as const) {
      const text = `${head}items:\n${item}  extra: 1\n  extra: 2\n${entry.replace('name: a', 'name: b')}`;
      const read = readResourceList(text);
      expect(read.problems).toEqual([]);
      const [first, second] = read.value?.items ?? [];
      expect([first?.name, second?.name]).toEqual(['a', 'b']);
      expect(() => first?.node).toThrow(
        `the key extra appears twice in one mapping (line ${line} of the resource)`,
      );
      expect(second?.node.get('kind')).toBe('ConfigMap');
    }
  });

  it('reads "items :" (a space before the colon) as the items key', () => {
    const read = readResourceList(`${head}items :\n${entry}`);
    expect(read.problems).toEqual([]);
    expect(read.value?.items.map((i) => i.name)).toEqual(['a']);
  });

  it('several YAML documents are named as such', () => {
    expect(messages(`${head}items:\n${entry}---\n${head}items: []\n`)).toEqual([
      'the input holds 2 YAML documents; a KRM function reads exactly one ResourceList',
    ]);
  });

  it('results that are not a list of mappings are an error naming results', () => {
    for (const item of [entry, parsedEntry]) {
      expect(readResourceList(`${head}items:\n${item}results: 5\n`).problems).toEqual([
        {
          message: 'results must be a list of result mappings, not 5',
          severity: 'error',
          field: { path: 'results' },
        },
      ]);
      expect(messages(`${head}items:\n${item}results:\n- message: ok\n- 5\n`)).toEqual([
        'results[1] must be a result mapping (message, severity), not 5',
      ]);
    }
  });

  it('checks the apiVersion: config.kubernetes.io/v1, or v1alpha1 as kyaml also reads', () => {
    const body = `kind: ResourceList\nitems:\n${entry}`;
    expect(messages(`apiVersion: config.kubernetes.io/v1alpha1\n${body}`)).toEqual([]);
    expect(messages(`apiVersion: v2\n${body}`)).toEqual([
      'ResourceList apiVersion v2 is not config.kubernetes.io/v1 (nor config.kubernetes.io/v1alpha1)',
    ]);
    expect(messages(body)).toEqual(['the ResourceList has no apiVersion; expected config.kubernetes.io/v1']);
  });
});

describe('plain streams (legacy kustomize plugins)', () => {
  it('round-trips a stream byte for byte and drops nothing', () => {
    const stream =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# comment\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\n';
    const read = readStream(stream);
    expect(read.value?.map((i) => i.name)).toEqual(['a', 'b']);
    expect(writeStream(read.value ?? [])).toBe(stream);
  });

  it('keeps the blank last line of a keep-chomping scalar, at the end of a document and of the stream (found by the oracle test)', () => {
    const doc = (name: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  script: |+\n    line\n\n`;
    for (const stream of [doc('a'), `${doc('a')}---\n${doc('b')}`]) {
      const read = readStream(stream);
      expect(read.value?.map((i) => i.data.data)).toEqual(read.value?.map(() => ({ script: 'line\n\n' })));
      expect(writeStream(read.value ?? [])).toBe(stream);
    }
  });

  it('through the full parser (a tab, an anchor, a flow document), still writes documents as they came', () => {
    const stream = [
      '# head comment',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: a\t# after a tab',
      '  labels: &l {x: "1"}',
      'data:',
      '  v: "a\tb"   # spaced',
      '# trailing a',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: b',
      '...',
      '---',
      '{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}',
      '',
    ].join('\n');
    const read = readStream(stream);
    expect(read.value?.map((i) => i.name)).toEqual(['a', 'b', 'c']);
    expect(read.value?.[0]?.read(['metadata', 'labels'])).toEqual({ x: '1' });
    expect(writeStream(read.value ?? [])).toBe(stream);
  });

  it('keeps a leading --- and the comments of a document with nothing else', () => {
    const stream = '---\n# notes only\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';
    const read = readStream(stream);
    expect(writeStream(read.value ?? [], { marker: startsWithMarker(stream) })).toBe(
      '---\n# notes only\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
    );
  });

  it('reports a document that is not a resource', () => {
    const read = readStream('apiVersion: v1\nkind: ConfigMap\n---\n- just\n- a list\n');
    expect(read.value).toBeUndefined();
    expect(read.problems[0]?.message).toMatch(/document 1 is not a resource/);
  });
});

describe('anchors in a plain stream', () => {
  it('reads a document holding anchors alone, and the others by lines', () => {
    const stream =
      'kind: A\nmetadata:\n  name: &n a\n  labels: {x: *n}\n---\nkind: B\nmetadata:\n  name: b\n';
    const read = readStream(stream);
    expect(read.problems).toEqual([]);
    expect(read.value?.map((item) => item.name)).toEqual(['a', 'b']);
    expect(read.value?.[0]?.data).toMatchObject({ metadata: { labels: { x: 'a' } } });
    expect(writeStream(read.value ?? [])).toBe(stream);
  });

  it('refuses an alias that reaches into another document (anchors are per document), naming it', () => {
    const read = readStream('kind: A\nmetadata:\n  name: &n a\n---\nkind: B\nmetadata:\n  name: *n\n');
    expect(read.ok).toBe(false);
    expect(read.problems.map((p) => p.message).join('\n')).toMatch(/document 1/);
  });
});
