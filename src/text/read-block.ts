/**
 * A reader for block YAML as Kubernetes tools write it (kpt, kustomize, kubectl, Helm, PyYAML): nested block
 * mappings and sequences, compact or indented, with one-line scalars whose meaning the plain-scalar rule is sure
 * of, comments and blank lines anywhere. It exists because building a `yaml` Document costs an order of magnitude
 * more than reading the same lines: most items of a list are only read, and most of the time of a run went there.
 *
 * Anything outside that subset (block and multi-line scalars, flow collections with content, anchors, aliases,
 * tags, quoted or typed keys, a key given twice, tabs, a deep nest) gets undefined, and the caller hands the text
 * to the real parser. Where it answers, it answers what `parseDocument(...).toJS()` gives with the project's
 * options: test/unit/read-block.test.ts holds it to that on the fixtures and on generated text.
 */
import type { ItemLines } from './item-lines.js';
import type { Json } from './json.js';
import { readValue } from './plain-scalar.js';

/** Deeper than this, the parser (and its bounds) decides. */
const maxDepth = 64;

/** Thrown inside the reader when the text leaves the subset; never escapes it. */
const beyond: unique symbol = Symbol('beyond the block subset');

/** Characters a key may not start with: the subset's keys are plain strings (`-foo`, `?x` and `:x` included). */
const keyIndicators = '-?:,[]{}#&*!|>\'"%@`';

const emptyFlow = /^(\{\}|\[\])[ ]*(?:#.*)?$/;

class BlockReader {
  /** The first line after the node read last. */
  private pos = 0;

  constructor(
    private readonly lines: ItemLines,
    private readonly to: number,
  ) {}

  /** The mapping with keys at `col` from line `from`, consumed to the end of the range. */
  readAll(from: number, col: number): Record<string, Json> {
    const start = this.content(from);
    if (start >= this.to || this.lines.indent(start) !== col) throw beyond;
    const value = this.mapping(start, col, undefined, 0);
    if (this.content(this.pos) < this.to) throw beyond;
    return value;
  }

  /** The first content line (not blank, not only a comment) at or after `from`; `to` when none. */
  private content(from: number): number {
    for (let i = from; i < this.to; i++) {
      const col = this.lines.indent(i);
      if (col >= 0 && this.lines.code(i, col) !== 35) return i;
    }
    return this.to;
  }

  /** Line i's text from `col`, refused when it holds a tab or a carriage return (the parser reads those). */
  private text(i: number, col: number): string {
    const line = this.lines.get(i);
    if (line.includes('\t') || line.includes('\r')) throw beyond;
    return line.slice(col);
  }

  private isEntry(i: number, col: number): boolean {
    const next = this.lines.code(i, col + 1);
    return this.lines.code(i, col) === 45 && (Number.isNaN(next) || next === 32);
  }

  /**
   * A mapping whose keys stand at `col`, starting at line `at`; `first` is that line's text from `col` when it is
   * a sequence entry's first line (the text after `- `).
   */
  private mapping(at: number, col: number, first: string | undefined, depth: number): Record<string, Json> {
    if (depth > maxDepth) throw beyond;
    const out: Record<string, Json> = {};
    let i = at;
    let text = first;
    while (i < this.to) {
      if (text === undefined) {
        const indent = this.lines.indent(i);
        if (indent < col) break;
        if (indent > col || this.isEntry(i, col)) throw beyond;
        text = this.text(i, col);
      }
      const end = keyEnd(text);
      if (end < 0) throw beyond;
      const key = text.slice(0, end);
      if (keyIndicators.includes(key[0] as string) || readValue(key) !== key || key === '__proto__')
        throw beyond;
      if (Object.hasOwn(out, key)) throw beyond;
      out[key] = this.valueAfter(text.slice(end + 1), i, col, depth, true);
      i = this.pos;
      text = undefined;
    }
    this.pos = i;
    return out;
  }

  /** A block sequence whose `- ` markers stand at `col`, starting at line `at`. */
  private sequence(at: number, col: number, depth: number): Json[] {
    if (depth > maxDepth) throw beyond;
    const out: Json[] = [];
    let i = at;
    while (i < this.to) {
      const indent = this.lines.indent(i);
      if (indent < col) break;
      if (indent > col) throw beyond;
      // A key at the marker column ends a compact sequence; the mapping it belongs to goes on.
      if (!this.isEntry(i, col)) break;
      const line = this.text(i, 0);
      let k = col + 1;
      while (line.charCodeAt(k) === 32) k++;
      const rest = line.slice(k);
      if (rest === '' || rest[0] === '#') out.push(this.valueAfter('', i, col, depth, false));
      else if (rest[0] === '-' && (rest.length === 1 || rest[1] === ' ')) throw beyond;
      else if (rest[0] !== '"' && rest[0] !== "'" && keyEnd(rest) >= 0)
        out.push(this.mapping(i, k, rest, depth + 1));
      else out.push(this.valueAfter(rest, i, col, depth, false));
      i = this.pos;
    }
    this.pos = i;
    return out;
  }

  /**
   * The value after a key (`key:` at `col`, `inMapping`) or a sequence marker (`-` at `col`) on line i: `rest` is
   * the text after the colon or marker. Sets `pos` past it.
   */
  private valueAfter(rest: string, i: number, col: number, depth: number, inMapping: boolean): Json {
    let from = 0;
    while (rest.charCodeAt(from) === 32) from++;
    const next = this.content(i + 1);
    if (from === rest.length || rest.charCodeAt(from) === 35) {
      this.pos = next;
      if (next >= this.to) return null;
      const indent = this.lines.indent(next);
      if (indent > col) {
        return this.isEntry(next, indent)
          ? this.sequence(next, indent, depth + 1)
          : this.mapping(next, indent, undefined, depth + 1);
      }
      if (inMapping && indent === col && this.isEntry(next, col)) return this.sequence(next, col, depth + 1);
      return null;
    }
    // A scalar on the line: a more indented line after it would continue it (or be an error).
    if (next < this.to && this.lines.indent(next) > col) throw beyond;
    this.pos = next;
    const body = from === 0 ? rest : rest.slice(from);
    const flow = emptyFlow.exec(body);
    if (flow) return flow[1] === '{}' ? {} : [];
    const value = readValue(body);
    if (value === undefined) throw beyond;
    return value;
  }
}

/** Where the key of a `key: value` (or `key:`) line ends: the first colon followed by a space or the end; -1. */
function keyEnd(text: string): number {
  for (let at = text.indexOf(':'); at >= 0; at = text.indexOf(':', at + 1)) {
    const next = text.charCodeAt(at + 1);
    if (Number.isNaN(next) || next === 32) return at;
  }
  return -1;
}

/**
 * The mapping whose keys stand at column `col` on lines [from, to), as plain data; undefined when the text leaves
 * the subset this reader follows (then only the parser may say).
 */
export function readBlockMapping(
  lines: ItemLines,
  from: number,
  to: number,
  col: number,
): Record<string, Json> | undefined {
  try {
    return new BlockReader(lines, to).readAll(from, col);
  } catch (e) {
    if (e === beyond) return undefined;
    throw e;
  }
}
