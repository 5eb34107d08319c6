/**
 * Reads one value of a resource from its text without parsing the whole resource: the lines of the block under a
 * key path are found by indentation and only they are parsed (by the parser the caller hands in; this layer has
 * none). Large resources (Deployments with long container specs) are read for a few labels far more often than
 * they are edited. Returns `fallback` when the text is written in a way this reader does not follow; the caller
 * then parses the whole resource.
 */
import { type ItemLines, WithLine } from './item-lines.js';
import type { Json } from './json.js';
import { readBlockMapping } from './read-block.js';

/** Marker: the reader cannot answer, parse the whole resource. */
export const fallback = Symbol('fallback');

/** A path step: a map key, or `*` for every entry of a list. */
export type PathStep = string;

/** Parses the text of one block (its key line at column 0) to plain data; `fallback` when it cannot say. */
export type BlockParser = (text: string) => unknown | typeof fallback;

function isTriviaAt(lines: ItemLines, i: number, col: number): boolean {
  return col < 0 || lines.code(i, col) === 35;
}

/** End (exclusive) of the block that belongs to the key line at `start`, whose key sits at `level`. */
function blockEnd(lines: ItemLines, start: number, to: number, level: number): number {
  let last = start + 1;
  for (let end = start + 1; end < to; end++) {
    const col = lines.indent(end);
    if (isTriviaAt(lines, end, col)) continue;
    // A compact sequence (`- ` at the key's own column) belongs to the key above it.
    if (
      col > level ||
      (col === level && lines.code(end, col) === 45 && isSpaceOrEnd(lines.code(end, col + 1)))
    ) {
      last = end + 1;
      continue;
    }
    break;
  }
  return last;
}

function isSpaceOrEnd(code: number): boolean {
  return code === 32 || Number.isNaN(code);
}

/** Index of the line holding `key` at column `level` within [from, to); -1 when absent; fallback when unclear. */
function findKey(
  lines: ItemLines,
  from: number,
  to: number,
  level: number,
  key: string,
): number | typeof fallback {
  let found = -1;
  for (let i = from; i < to; i++) {
    if (lines.indent(i) !== level) continue;
    const c = lines.code(i, level);
    if (c === 34 || c === 39 || c === 63 /* " ' ? */) return fallback;
    if (lines.holds(i, key, level) && lines.code(i, level + key.length) === 58 /* : */) {
      if (!isSpaceOrEnd(lines.code(i, level + key.length + 1))) continue;
      if (found >= 0) return fallback; // a duplicate key: let the real parser report it
      found = i;
    }
  }
  return found;
}

function parseBlock(
  lines: ItemLines,
  start: number,
  end: number,
  level: number,
  parse: BlockParser,
): unknown | typeof fallback {
  const read = readBlockMapping(lines, start, end, level);
  if (read !== undefined) return read;
  const text: string[] = [];
  for (let i = start; i < end; i++) {
    const col = lines.indent(i);
    text.push(col < 0 ? '' : lines.get(i).slice(Math.min(col, level)));
  }
  return parse(text.join('\n'));
}

function dig(value: unknown, path: readonly PathStep[]): Json | undefined {
  let node: unknown = value;
  for (const [i, step] of path.entries()) {
    if (step === '*') {
      if (!Array.isArray(node)) return undefined;
      return node.map((entry) => dig(entry, path.slice(i + 1))).filter((v) => v !== undefined) as Json[];
    }
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[step];
  }
  return node as Json | undefined;
}

/** Sequence entries of the block [from, to) at column `level`: each entry's line range and content column. */
function entries(
  lines: ItemLines,
  from: number,
  to: number,
  level: number,
): { start: number; end: number }[] | typeof fallback {
  const out: { start: number; end: number }[] = [];
  for (let i = from; i < to; i++) {
    const col = lines.indent(i);
    if (isTriviaAt(lines, i, col)) continue;
    if (col < level) return fallback;
    if (col > level) continue;
    if (lines.code(i, col) !== 45 || lines.code(i, col + 1) !== 32) return fallback;
    const previous = out[out.length - 1];
    if (previous) previous.end = i;
    out.push({ start: i, end: to });
  }
  return out;
}

function readIn(
  lines: ItemLines,
  from: number,
  to: number,
  level: number,
  path: readonly PathStep[],
  parse: BlockParser,
): Json | undefined | typeof fallback {
  const [key, ...rest] = path;
  if (key === undefined) return fallback;
  if (key === '*') return fallback;
  const at = findKey(lines, from, to, level, key);
  if (at === fallback) return fallback;
  if (at < 0) return undefined;
  const end = blockEnd(lines, at, to, level);
  const keyLine = lines.get(at);
  const inline = keyLine.slice(level + key.length + 1).trim();
  if (rest.length === 0 || (inline !== '' && !inline.startsWith('#'))) {
    const parsed = parseBlock(lines, at, end, level, parse);
    if (parsed === fallback) return fallback;
    return dig(parsed, path);
  }
  // Find the child column: the first content line under the key.
  let child = -1;
  for (let i = at + 1; i < end; i++) {
    const col = lines.indent(i);
    if (!isTriviaAt(lines, i, col)) {
      child = col;
      break;
    }
  }
  if (child < 0) return undefined;
  if (rest[0] === '*') {
    const list = entries(lines, at + 1, end, child);
    if (list === fallback) return fallback;
    const values: Json[] = [];
    for (const entry of list) {
      // Turn the entry's `- ` into spaces so its first key sits at the entry's content column.
      const line = lines.get(entry.start);
      const entryLines = new WithLine(
        lines,
        entry.start,
        `${line.slice(0, child)}  ${line.slice(child + 2)}`,
      );
      const contentColumn = entryLines.indent(entry.start);
      if (isTriviaAt(entryLines, entry.start, contentColumn)) return fallback;
      // `- |` / `- >`: the entry is a block scalar whose text may look like keys at the content column.
      const head = entryLines.code(entry.start, contentColumn);
      if (head === 124 || head === 62) return fallback;
      if (rest.length === 1) {
        const parsed = parseBlock(entryLines, entry.start, entry.end, child, parse);
        if (parsed === fallback) return fallback;
        if (parsed !== undefined && parsed !== null) values.push(parsed as Json);
        continue;
      }
      const value = readIn(entryLines, entry.start, entry.end, contentColumn, rest.slice(1), parse);
      if (value === fallback) return fallback;
      if (value !== undefined) values.push(value);
    }
    return values;
  }
  const first = at + 1 < end ? firstContent(lines, at + 1, end) : at;
  // A list where a map was expected (`- ` at the child column; `--- a: b` is a key).
  if (lines.code(first, child) === 45 && isSpaceOrEnd(lines.code(first, child + 1))) return undefined;
  return readIn(lines, at + 1, end, child, rest, parse);
}

function firstContent(lines: ItemLines, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    if (!isTriviaAt(lines, i, lines.indent(i))) return i;
  }
  return from;
}

/**
 * The value at `path` in an item (its `itemLines`, keys at column `indent`); `*` steps collect from every list
 * entry. Undefined when the path is absent; `fallback` when only the full parser can say. Blocks the line reader
 * cannot read as they stand go to `parse`.
 */
export function readPath(
  lines: ItemLines,
  indent: number,
  path: readonly PathStep[],
  parse: BlockParser,
): Json | undefined | typeof fallback {
  return readIn(lines, 0, lines.length, indent, path, parse);
}

/** The same read on parsed data, for items already parsed and for fallbacks. */
export function digPath(data: unknown, path: readonly PathStep[]): Json | undefined {
  return dig(data, path);
}
