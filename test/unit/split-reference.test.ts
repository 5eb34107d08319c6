/**
 * The offset-based splitter, header reader and block reader must behave exactly as the line-array versions they
 * replaced (kept under ./reference): the same items with the same text, the same cases handed to the full parser,
 * the same headers and the same values read by path. Checked over the project's fixtures, the benchmark's
 * generated list, and seeded random mutations of them (comments at odd columns, blank lines, block scalars, flow
 * values, quoted keys, anchors, items at other columns).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseBlock } from '../../src/krm/parse-block.js';
import { readResourceList } from '../../src/krm/resource-list.js';
import { itemLines } from '../../src/text/item-lines.js';
import { readHeader } from '../../src/text/read-header.js';
import { fallback, type PathStep, readPath } from '../../src/text/read-path.js';
import { splitResourceList } from '../../src/text/split-list.js';
import { splitStream } from '../../src/text/split-stream.js';
import { streamFiles } from '../support/corpus.js';
import { read, resourceList } from '../support/resource-list.js';
import * as reference from './reference/fast-split.js';
import { readHeader as referenceHeader } from './reference/item-text.js';
import { fallback as referenceFallback, readPath as referencePath } from './reference/sub-block.js';

const root = join(import.meta.dirname, '..', '..');

const paths: PathStep[][] = [
  ['metadata', 'labels'],
  ['metadata', 'annotations'],
  ['metadata', 'annotations', 'config.kubernetes.io/index'],
  ['metadata', 'name'],
  ['spec', 'selector'],
  ['spec', 'ports'],
  ['spec', 'endpoints'],
  ['spec', 'endpoints', '*', 'port'],
  ['spec', 'template', 'metadata', 'labels'],
  ['spec', 'template', 'metadata', 'annotations'],
  ['spec', 'template', 'spec', 'hostNetwork'],
  ['spec', 'template', 'spec', 'containers', '*', 'ports'],
  ['spec', 'template', 'spec', 'containers', '*'],
  ['spec', 'template', 'spec', 'initContainers', '*', 'ports'],
  ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers', '*', 'ports'],
  ['data'],
  ['data', 'config.yaml'],
  ['key'],
  ['missing', 'path'],
];

/** The benchmark's generator (plain JavaScript), for a small list laid out as the benchmark's. */
async function benchList(count: number): Promise<string> {
  const url = pathToFileURL(join(root, 'bench', 'generate.mjs')).href;
  const generate = (await import(url)) as {
    resources(count: number): { items: unknown[] };
    toYaml(items: unknown[]): string;
  };
  return generate.toYaml(generate.resources(count).items);
}

/** mulberry32, seeded: the same mutations on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lines the mutations insert, each at some column: what the splitter must pass, and what it must refuse. */
const snippets = [
  '',
  '   ',
  '# a comment',
  "# it's: 'unclosed",
  '# note: "open',
  '# note: "open ',
  'key: value',
  'key: value   ',
  'key: "quoted"',
  "key: 'single'",
  "key: 'it''s'",
  'key: "unclosed',
  "key: 'unclosed",
  'key: "a" # "c',
  'key: a # "comment',
  'key: [1, 2]',
  'key: [1,',
  'key: {a: 1}',
  'key: {a:',
  'key: |',
  'key: >-',
  'key: |2',
  'key: > # folded',
  'key:',
  '"quoted key": 1',
  "'single key': 1",
  '? complex',
  '?key: 1',
  '"key": 1',
  '- item',
  '- "quoted"',
  '- [a, b]',
  '- {a: 1}',
  '- |',
  '- # head',
  '-',
  '- - nested',
  'text with [bracket',
  '[unclosed',
  '{a: 1}',
  'key: &anchor x',
  'key: *alias',
  'key: !tag x',
  'key: a&b*c!d',
  '%YAML 1.1',
  '...',
  '---',
  '--- a: b',
  'key:\tvalue',
  'key: a\tb # c',
  '\tkey: value',
  'key: "quoted\ttab"',
  'key: value\r',
  'a: b: c',
  'name: other',
  "name: 'quoted name'",
  'name: "esc\\"aped"',
  'namespace: ns',
  'kind: Other',
  'apiVersion: "v2"',
  'metadata: {name: flow}',
  'labels:',
  'app: web',
  'containerPort: 0755',
  'ports: [{containerPort: 81, name: x}]',
  'hostNetwork: yes',
  'items: []',
];

/** One random edit of a text's lines. */
function mutate(text: string, next: () => number): string {
  const lines = text.split('\n');
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const at = Math.floor(next() * (lines.length + 1));
  const col = pick([0, 0, 1, 2, 2, 3, 4, 4, 5, 6, 7, 8, 10]);
  switch (pick(['insert', 'insert', 'insert', 'append', 'block', 'reindent', 'ends', 'head'] as const)) {
    case 'insert':
      lines.splice(at, 0, ' '.repeat(col) + pick(snippets));
      break;
    case 'append':
      if (at < lines.length)
        lines[at] += pick([' ', '  ', ' # c', ' # "q', " 'x", ' [', ' {a: 1}', ' |', ' &a']);
      break;
    case 'block':
      // A block scalar whose content looks like everything the checks look for (a tab, half the time).
      lines.splice(
        at,
        0,
        `${' '.repeat(col)}script: ${pick(['|', '>', '|-', '|+', '>2'])}`,
        `${' '.repeat(col + 2)}[unclosed {`,
        `${' '.repeat(col + 2)}"also unclosed`,
        `${' '.repeat(col + 2)}${pick(['\t', ''])}recipe line`,
        '',
        `${' '.repeat(col + 4)}- key: 'x`,
        `${' '.repeat(col + pick([0, 1, 2]))}after: 1`,
      );
      break;
    case 'reindent': {
      // Items (and whatever follows) moved right: `items:` with entries at column 2 or 4.
      const start = lines.indexOf('items:');
      const by = pick([1, 2, 4]);
      for (let i = start + 1; i > 0 && i < lines.length; i++) {
        if (/^[A-Za-z]/.test(lines[i] as string)) break;
        if (lines[i] !== '') lines[i] = ' '.repeat(by) + lines[i];
      }
      break;
    }
    case 'ends':
      return pick([text.replace(/\n+$/, ''), `${text}\n`, `${text}\n\n# trailing\n`, `${text}   \n`]);
    case 'head':
      return pick(['---\n', '# preamble\n\n', '--- # doc\n', '\n']) + text;
  }
  return lines.join('\n');
}

/** Texts to compare on: each base text, then mutations of it (one to three edits each). */
function variants(base: string, seed: number, count: number): string[] {
  const next = random(seed);
  const out = [base];
  for (let i = 0; i < count; i++) {
    let text = base;
    const edits = 1 + Math.floor(next() * 3);
    for (let e = 0; e < edits; e++) text = mutate(text, next);
    out.push(text);
  }
  return out;
}

/** The reference's fallback marker as the new code's, so results compare with toEqual. */
function sameMarker(value: unknown): unknown {
  return value === referenceFallback ? fallback : value;
}

let splitCount = 0;
let refusedCount = 0;

/** Items read through the splitter give the data the full parser gives for the whole list. */
function compareAnchored(text: string, label: string): void {
  const full = parseDocument(text, { version: '1.1' });
  if (full.errors.length > 0) return;
  const expected = (full.toJS({ maxAliasCount: -1 }) as { items?: unknown[] }).items ?? [];
  const read = readResourceList(text);
  if (!read.value) return;
  expect(
    read.value.items.map((item) => (item.isMapping ? item.data : undefined)),
    label,
  ).toEqual(
    expected.map((data) =>
      typeof data === 'object' && data !== null && !Array.isArray(data) ? data : undefined,
    ),
  );
}

/** Everything the new code derives from a ResourceList text must equal what the reference derives. */
function compareList(text: string, label: string): void {
  const split = splitResourceList(text);
  if (text.includes('\t') && !text.includes('\r')) {
    compareTabbed(text, split, label);
    return;
  }
  const old = reference.splitResourceList(text);
  if (!old && split && (text.includes('&') || text.includes('*'))) {
    // The reference handed every anchor to the full parser; items with their own anchors now stay split, each
    // read alone: it must give the data the full parser gives.
    compareAnchored(text, label);
    return;
  }
  if (!old) {
    expect(split, `${label}: the reference hands this to the full parser`).toBeUndefined();
    refusedCount++;
    return;
  }
  expect(split, `${label}: the reference splits this`).toBeDefined();
  if (!split) return;
  splitCount++;
  expect(split.sections, label).toEqual(old.sections);
  expect(split.seqIndent, label).toBe(old.seqIndent);
  expect(split.itemsTrailing, label).toEqual(old.itemsTrailing);
  expect(split.items.length, label).toBe(old.items.length);
  for (const [i, item] of split.items.entries()) {
    const before = old.items[i];
    if (!before) continue;
    const where = `${label} item ${i}`;
    expect(item.text, where).toBe(before.text);
    expect(item.text.split('\n'), where).toEqual(before.lines);
    expect(item.leading, where).toEqual(before.leading);
    expect(item.indent, where).toBe(before.indent);
    expect(readHeader(item.text, item.indent), where).toEqual(referenceHeader(before.lines, before.indent));
    const lines = itemLines(item.text, item.indent);
    for (const path of paths) {
      const value = readPath(lines, item.indent, path, parseBlock);
      expect(value, `${where} ${path.join('.')}`).toEqual(
        sameMarker(referencePath(before.lines, before.indent, path)),
      );
    }
  }
}

let tabSplitCount = 0;

/**
 * The reference refuses every tab; the splitter now takes tabs inside lines. Where it splits such a text, it must
 * split it as the reference splits the same text with each tab made a space (same offsets, same lines). Items with
 * a tab are read through the parser, so the line readers are not compared on them.
 */
function compareTabbed(text: string, split: ReturnType<typeof splitResourceList>, label: string): void {
  if (!split) return;
  tabSplitCount++;
  const old = reference.splitResourceList(text.replaceAll('\t', ' '));
  if (!old && (text.includes('&') || text.includes('*'))) {
    compareAnchored(text, label);
    return;
  }
  expect(old, `${label}: the reference splits the text with spaces for tabs`).toBeDefined();
  if (!old) return;
  const spaces = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replaceAll('\\t', ' '));
  expect(spaces(split.sections), label).toEqual(old.sections);
  expect(split.seqIndent, label).toBe(old.seqIndent);
  expect(spaces(split.itemsTrailing), label).toEqual(old.itemsTrailing);
  expect(
    split.items.map((item) => spaces([item.text, item.leading, item.indent])),
    label,
  ).toEqual(old.items.map((item) => [item.text, item.leading, item.indent]));
}

describe('offset-based reading, against the line-array reference', () => {
  it('splits ResourceLists, reads headers and paths exactly as before, on fixtures and their mutations', async () => {
    const files = streamFiles();
    for (const [n, file] of files.entries()) {
      const text = resourceList(read(file));
      // kube-prometheus files are many and large: fewer mutations each.
      const count = file.includes('kube-prometheus') ? 8 : 40;
      for (const [v, variant] of variants(text, n + 1, count).entries())
        compareList(variant, `${file} #${v}`);
    }
    const bench = await benchList(60);
    for (const [v, variant] of variants(bench, 7, 60).entries()) compareList(variant, `bench #${v}`);
    // Both outcomes must be well represented, or the comparison proves little.
    expect(splitCount).toBeGreaterThan(500);
    expect(refusedCount).toBeGreaterThan(300);
    expect(tabSplitCount).toBeGreaterThan(20);
  });

  it('splits plain streams exactly as before', () => {
    for (const [n, file] of streamFiles().entries()) {
      for (const [v, variant] of variants(read(file), 1000 + n, 10).entries()) {
        expect(splitStream(variant), `${file} #${v}`).toEqual(reference.splitStream(variant));
      }
    }
  });

  it('cuts lines at the edges exactly as before', () => {
    const head = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';
    const edges = [
      '',
      '\n',
      '\n\n',
      head,
      `${head}items:`,
      `${head}items:\n`,
      `${head}items: []\n# after\n\nfunctionConfig:\n  a: 1\n`,
      `${head}items: [] # none\n`,
      `${head}items:\n- a: 1`,
      `${head}items:\n- a: 1\n\n`,
      `${head}items:\n-\n  a: 1\n`,
      `${head}items:\n- # head\n  a: 1\n  # tail\n# before next\n- b: 2\n# trailing\n`,
      `${head}items:\n  - a: 1\n    b:\n    - c\n`,
      `${head}items:\n- a: |\n    x\n   y\n  b: 1\n`,
      `---\n${head}items:\n- a: 1\n`,
      `# c\n\n${head}items:\n- a: 1\n`,
      `${head}items:\n- a: 1\n---\n`,
      `${head}items:\n- a: 1\nfunctionConfig:\n  b: 1\n---\n`,
      `${head}items:\n- a: 1\nfunctionConfig:\n  b: |\n---\n`,
      `${head}items:\n- a: 1\n--- b: 1\n`,
      `${head}items:\n- apiVersion: v1\n  kind: A\n  metadata:\n    name: a\n  k:  # c\n    name: b\n    namespace: n\n`,
      `${head}items:\n- kind: A\n  metadata:\n    labels:\n      name: x\n    name: '-a.b_c/d'\n  apiVersion: v1\n`,
      `# c\n--- a: 1\n${head}items:\n- a: 1\n`,
      `${head}items:\n- a: 'x\n  b: 1\n`,
      `${head}items:\n- a: 1\n  b: [1,\n  2]\n`,
      `${head}items:\n- a: 1\n   \n  b: 2\n`,
    ];
    for (const text of edges) compareList(text, JSON.stringify(text));
  });
});
