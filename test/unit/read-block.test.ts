/**
 * The block reader against the full parser (parseDocument + toJS with the project's options), the oracle: wherever
 * the reader answers, it answers what the parser gives; where the parser reports an error, the reader declines.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { resources, toPyYaml, toYaml } from '../../bench/generate.mjs';
import { parseOptions, stringifyOptions } from '../../src/krm/yaml-options.js';
import { itemLines } from '../../src/text/item-lines.js';
import { readBlockMapping } from '../../src/text/read-block.js';
import { dedent } from '../../src/text/reindent.js';
import { splitResourceList } from '../../src/text/split-list.js';
import { realWorldFiles, streamFiles } from '../support/corpus.js';
import { read, resourceList } from '../support/resource-list.js';

/** What the parser makes of a document: its data, or undefined when it reports an error. */
function oracle(text: string): unknown {
  const document = parseDocument(text, parseOptions);
  if (document.errors.length > 0) return undefined;
  try {
    return document.toJS() as unknown;
  } catch {
    return undefined;
  }
}

/** The reader on a whole document at column 0. */
function readDocument(text: string): unknown {
  const lines = itemLines(text, 0);
  return readBlockMapping(lines, 0, lines.length, 0);
}

/** Checks one document; true when the reader answered. */
function agrees(text: string): boolean {
  const read = readDocument(text);
  if (read === undefined) return false;
  expect(read, text).toEqual(oracle(text));
  return true;
}

describe('readBlockMapping', () => {
  it('agrees with the parser on every item of the fixtures, kube-prometheus, Istio samples and ama-metrics', () => {
    let items = 0;
    let answered = 0;
    for (const file of [
      ...streamFiles(),
      ...realWorldFiles('the block reader oracle on real-world manifests'),
    ]) {
      const split = splitResourceList(resourceList(read(file)));
      if (!split) continue;
      for (const item of split.items) {
        if (item.tabbed || item.anchored) continue;
        items++;
        const lines = itemLines(item.text, item.indent);
        const value = readBlockMapping(lines, 0, lines.length, item.indent);
        if (value === undefined) continue;
        answered++;
        expect(value, file).toEqual(oracle(dedent(item.text.split('\n'), item.indent)));
      }
    }
    // Most resources are written in the subset; block scalars (ConfigMaps, CRD descriptions) are not.
    expect(answered).toBeGreaterThan(items / 2);
  });

  it('reads the benchmark list in kpt and PyYAML layouts, every item, as the parser does', () => {
    const { items } = resources(300);
    for (const text of [toYaml(items), toPyYaml(items)]) {
      const split = splitResourceList(text);
      expect(split).toBeDefined();
      let unread = 0;
      for (const item of split?.items ?? []) {
        const lines = itemLines(item.text, item.indent);
        const value = readBlockMapping(lines, 0, lines.length, item.indent);
        if (value === undefined) {
          unread++;
          continue;
        }
        expect(value).toEqual(oracle(dedent(item.text.split('\n'), item.indent)));
      }
      // Only the ConfigMaps holding a block scalar (kpt layout) are left to the parser.
      expect(unread).toBeLessThan(split?.items.length ?? 0);
    }
  });

  it('reads nested maps and lists, compact and indented, comments, empty flow values and typed scalars', () => {
    const text = [
      'apiVersion: apps/v1 # trailing',
      'spec:',
      '  # a comment line',
      '  containers:',
      '  - name: app',
      '    args: ["--x"]',
      '',
    ].join('\n');
    // A flow list with content is the parser's.
    expect(readDocument(text)).toBeUndefined();
    const plain = [
      'a: 1',
      'b: true',
      'c: ~',
      'd: 0.5',
      'e: -3',
      'f: "quoted"',
      "g: 'single'",
      'h: {}',
      'i: []',
      'j:',
      'k:',
      '- x',
      '-',
      '- w: 1',
      '  z:',
      '  - 1',
      'l:',
      '    -   m: n',
      '        o: p',
      'q: --listen=:8080',
      'r: http://a:80/b',
    ].join('\n');
    expect(agrees(plain)).toBe(true);
    expect(readDocument(plain)).toMatchObject({ b: true, c: null, d: 0.5, e: -3, h: {}, j: null });
  });

  it('declines what only the parser may read', () => {
    const declined = [
      'a: 1\na: 2', // a key given twice
      'a: |\n  text', // block scalar
      'a: >\n  text', // folded scalar
      'a: &x 1\nb: *x', // anchor and alias
      'a: !!str 1', // tag
      '"a": 1', // quoted key
      '1: a', // a key that is not a string
      'yes: a', // a key the 1.1 schema reads as true
      'a: b\n  c', // a plain scalar over two lines
      'a: 0x1F', // a hexadecimal integer
      'a: 1_000', // an integer with an underscore
      'a: "x\\ty"', // an escape
      'a:\n\tb: 1', // a tab
      '- a', // a sequence at the top
      'a:\n  - - b', // a sequence in a sequence entry's first line
      'a: {b: 1}', // a flow map with content
      'a:\n    b: 1\n  c: 2', // inconsistent indentation
      '? a\n: b', // a complex key
      '__proto__: a',
    ];
    for (const text of declined) expect(readDocument(text), text).toBeUndefined();
  });

  const key = fc.constantFrom(
    'a',
    'name',
    'app.kubernetes.io/name',
    'x-y',
    'with space',
    'k8s',
    '-dash',
    'a#b',
  );
  const scalar = fc.oneof(
    fc.constantFrom('yes', 'no', 'on', 'null', '~', '', ' ', '0755', '08', '1e3', '1.5', '-1', '-0', '+1'),
    fc.constantFrom(
      '12:30',
      '2001-12-14',
      '.',
      '.inf',
      'a: b',
      'a #b',
      '#c',
      '- x',
      '"q"',
      "'q'",
      '&a',
      '*a',
    ),
    fc.constantFrom('%x', '@x', '`x', '{x}', '[x]', 'x,y', '--x=:1', 'a\nb', '  lead', 'trail  ', '\\'),
    fc.string({ maxLength: 6 }),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof(
      { maxDepth: 4 },
      scalar,
      fc.array(tie('node'), { maxLength: 3 }),
      fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    ),
  })).node;
  const document = fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 });

  it('agrees with the parser on generated documents in both sequence styles, with comments', () => {
    let answered = 0;
    fc.assert(
      fc.property(document, fc.boolean(), fc.nat(), (data, indentSeq, seed) => {
        const text = stringify(data, { ...stringifyOptions(indentSeq), version: '1.1' });
        // A comment line at some line, at some column: comments may stand anywhere.
        const lines = text.split('\n');
        const at = seed % (lines.length + 1);
        lines.splice(at, 0, `${' '.repeat(seed % 7)}# note`);
        for (const variant of [text, lines.join('\n')]) if (agrees(variant)) answered++;
      }),
      { numRuns: 3000 },
    );
    expect(answered).toBeGreaterThan(1000);
  });

  it('declines or agrees on documents with one line shifted, doubled or replaced (never a different value)', () => {
    const junk = fc.constantFrom('- x', 'a:', 'b: c', '  - y', '#', '', '  k: v', '-', 'a: |', '...', '---');
    fc.assert(
      fc.property(
        document,
        fc.boolean(),
        fc.nat(),
        fc.integer({ min: -3, max: 3 }),
        junk,
        (data, seq, n, shift, line) => {
          const lines = stringify(data, { ...stringifyOptions(seq), version: '1.1' }).split('\n');
          const at = n % lines.length;
          const variants = [
            lines.map((l, i) =>
              i === at ? `${' '.repeat(Math.max(0, shift))}${l.slice(Math.max(0, -shift))}` : l,
            ),
            [...lines.slice(0, at + 1), ...lines.slice(at)],
            lines.map((l, i) => (i === at ? `${' '.repeat(n % 5)}${line}` : l)),
          ];
          for (const variant of variants) {
            const text = variant.join('\n');
            const read = readDocument(text);
            if (read !== undefined) expect(read, text).toEqual(oracle(text));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads a typical Deployment without the parser (the case the reader exists for)', () => {
    const text = readFileSync(
      join(import.meta.dirname, '..', '..', 'pipelines', 'example', 'shop.yaml'),
      'utf8',
    );
    const first = text.split(/^---$/m).find((doc) => doc.includes('kind: Deployment')) ?? '';
    expect(first).not.toBe('');
    expect(agrees(first.replace(/^\n/, ''))).toBe(true);
  });
});
