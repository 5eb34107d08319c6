// Test-only reference: src/krm/sub-block.ts as it was before the offset-based splitter (commit 1aac976). The
// differential test (test/unit/split-reference.test.ts) holds the new code to exactly this behaviour. Do not edit.
/**
 * Reads one value of a resource from its text without parsing the whole resource: the lines of the block under a
 * key path are found by indentation and only they are parsed. Large resources (Deployments with long container
 * specs) are read for a few labels far more often than they are edited. Returns `fallback` when the text is
 * written in a way this reader does not follow; the caller then parses the whole resource.
 */
import { parseDocument } from 'yaml';
import type { Json } from '../../../src/krm/item.js';
import { parseOptions } from '../../../src/krm/yaml-options.js';
import { indentOf } from './item-text.js';
import { readSimpleBlock } from './simple-block.js';

/** Marker: the reader cannot answer, parse the whole resource. */
export const fallback = Symbol('fallback');

/** A path step: a map key, or `*` for every entry of a list. */
export type PathStep = string;

interface Lines {
  get(i: number): string;
  length: number;
}

/** The item's lines with the first line's sequence marker (`- `) turned into spaces. */
function normalized(lines: readonly string[], indent: number): Lines {
  const first = lines[0] ?? '';
  const head = indent > 0 && first.length >= indent ? ' '.repeat(indent) + first.slice(indent) : first;
  return { get: (i) => (i === 0 ? head : (lines[i] as string)), length: lines.length };
}

function isTriviaAt(line: string, col: number): boolean {
  return col < 0 || line.charCodeAt(col) === 35;
}

/** End (exclusive) of the block that belongs to the key line at `start`, whose key sits at `level`. */
function blockEnd(lines: Lines, start: number, to: number, level: number): number {
  let end = start + 1;
  let last = start + 1;
  for (; end < to; end++) {
    const line = lines.get(end);
    const col = indentOf(line);
    if (isTriviaAt(line, col)) continue;
    // A compact sequence (`- ` at the key's own column) belongs to the key above it.
    if (
      col > level ||
      (col === level &&
        line.charCodeAt(col) === 45 &&
        (line.charCodeAt(col + 1) === 32 || line.length === col + 1))
    ) {
      last = end + 1;
      continue;
    }
    break;
  }
  return last;
}

/** Index of the line holding `key` at column `level` within [from, to); -1 when absent; fallback when unclear. */
function findKey(
  lines: Lines,
  from: number,
  to: number,
  level: number,
  key: string,
): number | typeof fallback {
  let found = -1;
  for (let i = from; i < to; i++) {
    const line = lines.get(i);
    if (line.length <= level || line.charCodeAt(level) === 32) continue;
    const col = indentOf(line);
    if (col !== level) continue;
    const c = line.charCodeAt(level);
    if (c === 34 || c === 39 || c === 63 /* " ' ? */) return fallback;
    if (line.startsWith(key, level) && line.charCodeAt(level + key.length) === 58 /* : */) {
      const after = line.charCodeAt(level + key.length + 1);
      if (!(Number.isNaN(after) || after === 32)) continue;
      if (found >= 0) return fallback; // a duplicate key: let the real parser report it
      found = i;
    }
  }
  return found;
}

function parseBlock(lines: Lines, start: number, end: number, level: number): unknown | typeof fallback {
  const keyLine = lines.get(start);
  const colon = keyLine.indexOf(':', level);
  if (colon > level && /^\s*(?:#.*)?$/.test(keyLine.slice(colon + 1))) {
    const simple = readSimpleBlock(lines.get, start, end);
    if (simple !== undefined) return { [keyLine.slice(level, colon)]: simple };
  }
  const text: string[] = [];
  for (let i = start; i < end; i++) {
    const line = lines.get(i);
    const col = indentOf(line);
    text.push(col < 0 ? '' : line.slice(Math.min(col, level)));
  }
  const document = parseDocument(text.join('\n'), parseOptions);
  if (document.errors.length > 0) return fallback;
  return document.toJS({ maxAliasCount: -1 }) as unknown;
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
  lines: Lines,
  from: number,
  to: number,
  level: number,
): { start: number; end: number }[] | typeof fallback {
  const out: { start: number; end: number }[] = [];
  for (let i = from; i < to; i++) {
    const line = lines.get(i);
    const col = indentOf(line);
    if (isTriviaAt(line, col)) continue;
    if (col < level) return fallback;
    if (col > level) continue;
    if (line.charCodeAt(col) !== 45 || line.charCodeAt(col + 1) !== 32) return fallback;
    const previous = out[out.length - 1];
    if (previous) previous.end = i;
    out.push({ start: i, end: to });
  }
  return out;
}

function readIn(
  lines: Lines,
  from: number,
  to: number,
  level: number,
  path: readonly PathStep[],
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
    const parsed = parseBlock(lines, at, end, level);
    if (parsed === fallback) return fallback;
    return dig(parsed, path);
  }
  // Find the child column: the first content line under the key.
  let child = -1;
  for (let i = at + 1; i < end; i++) {
    const line = lines.get(i);
    const col = indentOf(line);
    if (!isTriviaAt(line, col)) {
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
      const entryLines: Lines = {
        get: (i) => {
          const line = lines.get(i);
          return i === entry.start ? `${line.slice(0, child)}  ${line.slice(child + 2)}` : line;
        },
        length: lines.length,
      };
      const first = entryLines.get(entry.start);
      const contentColumn = indentOf(first);
      if (contentColumn < 0 || first.charCodeAt(contentColumn) === 35) return fallback;
      if (rest.length === 1) {
        const parsed = parseBlock(entryLines, entry.start, entry.end, child);
        if (parsed === fallback) return fallback;
        if (parsed !== undefined && parsed !== null) values.push(parsed as Json);
        continue;
      }
      const value = readIn(entryLines, entry.start, entry.end, contentColumn, rest.slice(1));
      if (value === fallback) return fallback;
      if (value !== undefined) values.push(value);
    }
    return values;
  }
  const line = lines.get(at + 1 < end ? firstContent(lines, at + 1, end) : at);
  if (line.charCodeAt(child) === 45) return undefined; // a list where a map was expected
  return readIn(lines, at + 1, end, child, rest);
}

function firstContent(lines: Lines, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const line = lines.get(i);
    if (!isTriviaAt(line, indentOf(line))) return i;
  }
  return from;
}

/**
 * The value at `path` in an item written as `lines` with keys at column `indent`; `*` steps collect from every
 * list entry. Undefined when the path is absent; `fallback` when only the full parser can say.
 */
export function readPath(
  lines: readonly string[],
  indent: number,
  path: readonly PathStep[],
): Json | undefined | typeof fallback {
  return readIn(normalized(lines, indent), 0, lines.length, indent, path);
}

/** The same read on parsed data, for items already parsed and for fallbacks. */
export function digPath(data: unknown, path: readonly PathStep[]): Json | undefined {
  return dig(data, path);
}
