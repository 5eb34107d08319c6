import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Document, isMap, parseDocument, stringify } from 'yaml';
import { resources, toPyYaml, toYaml } from '../../bench/generate.mjs';
import { blockDocument } from '../../src/krm/block-document.js';
import { parseOptions, stringifyOptions } from '../../src/krm/yaml-options.js';
import { itemLines } from '../../src/text/item-lines.js';
import { dedent } from '../../src/text/reindent.js';
import { splitResourceList } from '../../src/text/split-list.js';
import { realWorldFiles, streamFiles } from '../support/corpus.js';
import { read, resourceList } from '../support/resource-list.js';

/** Edits of the kinds functions make: a scalar changed, a key added under a map, an entry appended to a list. */
function edit(document: Document): void {
  const root = document.contents;
  if (!isMap(root)) return;
  document.setIn(['metadata', 'annotations', 'meshscrape.dev/test'], 'yes');
  document.setIn(['kind'], 'Edited');
  const spec = root.get('spec', true);
  if (isMap(spec)) spec.set('added', document.createNode({ scheme: 'https', ports: [8080, 'web'] }));
}

/** Checks one item's text (keys at `col`); true when the builder answered. */
function agrees(text: string, col: number): boolean {
  const built = blockDocument(itemLines(text, col), col);
  if (!built) return false;
  const own = dedent(text.split('\n'), col);
  const parsed = parseDocument(own, parseOptions);
  expect(parsed.errors).toEqual([]);
  expect(built.toJS()).toEqual(parsed.toJS());
  for (const indentSeq of [true, false])
    expect(built.toString(stringifyOptions(indentSeq)), own).toBe(
      parsed.toString(stringifyOptions(indentSeq)),
    );
  // An edit that cannot apply (a path through a scalar) fails on both alike.
  const outcome = (d: Document) => {
    try {
      edit(d);
      return 'edited';
    } catch (e) {
      return (e as Error).message;
    }
  };
  expect(outcome(built)).toBe(outcome(parsed));
  for (const indentSeq of [true, false])
    expect(built.toString(stringifyOptions(indentSeq)), own).toBe(
      parsed.toString(stringifyOptions(indentSeq)),
    );
  return true;
}

describe('blockDocument', () => {
  it('builds what the parser builds for the fixtures, real-world manifests and the benchmark list', () => {
    let answered = 0;
    const texts = [
      ...streamFiles(),
      ...realWorldFiles('the block Document oracle on real-world manifests'),
    ].map((f) => resourceList(read(f)));
    const { items } = resources(200);
    texts.push(toYaml(items), toPyYaml(items));
    for (const text of texts) {
      const split = splitResourceList(text);
      for (const item of split?.items ?? []) {
        if (item.tabbed || item.anchored) continue;
        if (agrees(item.text, item.indent)) answered++;
      }
    }
    expect(answered).toBeGreaterThan(200);
  });

  it('declines trailing and misplaced comments, blank lines between entries and floats', () => {
    const declined = [
      'a: 1 # c\n',
      '# c\na: 1\n',
      'a: 1\n\nb: 2\n',
      'a: 0.5\n',
      'a:\n# c\n  b: 1\n',
      'a: 1\n# end\n',
    ];
    for (const text of declined) expect(blockDocument(itemLines(text, 0), 0), text).toBeUndefined();
  });

  it('keeps comment lines where the parser keeps them: before a first key or entry, and before later ones', () => {
    const text = [
      'spec:',
      '  # first key',
      '  a: 1',
      '  # second key',
      '  # on two lines',
      '  b:',
      '  # first entry',
      '  - x: 1',
      '    # inside the entry',
      '    w: 2',
      '  # second entry',
      '  - z',
      '  c:',
      '    d:',
      '      e: 1',
      '    # after a deeper block',
      '    f: 2',
      '',
    ].join('\n');
    expect(agrees(text, 0)).toBe(true);
  });

  const key = fc.constantFrom('a', 'name', 'app.kubernetes.io/name', 'x-y', 'with space', '-dash');
  const scalar = fc.oneof(
    fc.constantFrom(
      'yes',
      'no',
      'On',
      'null',
      '~',
      '',
      '0755',
      '08',
      '1e3',
      '-1',
      '12:30',
      '.',
      'a: b',
      '"q"',
    ),
    fc.constantFrom("it's", 'say "hi"', '--x=:1', '*a', '&a', '%x', '@x', '[x]', '{x}', 'x,y', '-'),
    fc.string({ maxLength: 5 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof(
      { maxDepth: 3 },
      scalar,
      fc.array(tie('node'), { maxLength: 3 }),
      fc.dictionary(key, tie('node'), { maxKeys: 3 }),
    ),
  })).node;

  it('agrees with the parser on generated documents in both sequence styles and quoting styles', () => {
    let answered = 0;
    fc.assert(
      fc.property(
        fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 }),
        fc.boolean(),
        fc.boolean(),
        (data, indentSeq, single) => {
          const text = stringify(data, {
            ...stringifyOptions(indentSeq),
            version: '1.1',
            singleQuote: single,
          });
          if (agrees(text, 0)) answered++;
        },
      ),
      { numRuns: 2000 },
    );
    expect(answered).toBeGreaterThan(500);
  });
});
