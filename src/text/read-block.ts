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
import { readValue, readWritten, type Written } from './plain-scalar.js';

/** Deeper than this, the parser (and its bounds) decides. */
const maxDepth = 64;

/** Thrown inside the reader when the text leaves the subset; never escapes it. */
const beyond: unique symbol = Symbol('beyond the block subset');

/** Characters a key may not start with: the subset's keys are plain strings (`-foo`, `?x` and `:x` included). */
const keyIndicators = '-?:,[]{}#&*!|>\'"%@`';

const emptyFlow = /^(\{\}|\[\])[ ]*(?:#.*)?$/;

/**
 * What the reader makes of what it reads: plain data (`dataBuilder`), or the parser's own nodes (src/krm builds
 * those, this layer has no parser). `keepsTrivia` false: the built value has no place for comments or blank
 * lines, so text holding any is left to the parser.
 */
export interface BlockBuilder<V> {
  readonly keepsTrivia: boolean;
  /** `comments[i]`: the comment lines before key i (the first one's belong to the mapping, as the parser has it). */
  map(keys: string[], values: V[], comments: (string | undefined)[]): V;
  /** `comments[i]`: the comment lines before entry i. */
  seq(values: V[], comments: (string | undefined)[]): V;
  /** A one-line scalar: its value as the parser resolves it, and how it was written. */
  scalar(value: Json, written: Written): V;
  /** `{}` or `[]`. */
  emptyFlow(map: boolean): V;
  /** Nothing after `key:` or `-`: null. */
  none(): V;
}

/** Plain data, as `toJS` gives it. */
export const dataBuilder: BlockBuilder<Json> = {
  keepsTrivia: true,
  map(keys, values) {
    const out: Record<string, Json> = {};
    for (let i = 0; i < keys.length; i++) out[keys[i] as string] = values[i] as Json;
    return out;
  },
  seq: (values) => values,
  scalar: (value) => value,
  emptyFlow: (map) => (map ? {} : []),
  none: () => null,
};

class BlockReader<V> {
  /** The first line after the node read last. */
  private pos = 0;

  constructor(
    private readonly lines: ItemLines,
    private readonly to: number,
    private readonly build: BlockBuilder<V>,
  ) {}

  /** The mapping with keys at `col` from line `from`, consumed to the end of the range. */
  readAll(from: number, col: number): V {
    const start = this.content(from);
    if (start >= this.to || this.lines.indent(start) !== col) throw beyond;
    const value = this.mapping(start, col, undefined, 0);
    if (this.content(this.pos) < this.to) throw beyond;
    return value;
  }

  /** The comment lines just before a content line, for builders that keep comments on nodes. */
  private comment: { line: number; text: string } | undefined;

  /**
   * The first content line (not blank, not only a comment) at or after `from`; `to` when none. For a builder that
   * keeps no trivia, comment lines are kept for the node on that line when they stand at its column, and
   * anything else (blank lines between content, comments elsewhere) is refused.
   */
  private content(from: number): number {
    const keep = this.build.keepsTrivia;
    let comment: string[] | undefined;
    let commentCol = -1;
    let blank = false;
    for (let i = from; i < this.to; i++) {
      const col = this.lines.indent(i);
      if (col < 0) {
        blank = true;
        continue;
      }
      if (this.lines.code(i, col) === 35) {
        if (!keep) {
          if (blank || (commentCol >= 0 && col !== commentCol)) throw beyond;
          commentCol = col;
          comment ??= [];
          comment.push(this.lines.get(i).slice(col + 1));
        }
        continue;
      }
      if (!keep) {
        if (blank || (comment && col !== commentCol)) throw beyond;
        if (comment) this.comment = { line: i, text: comment.join('\n') };
      }
      return i;
    }
    if (!keep && comment) throw beyond;
    return this.to;
  }

  /** The comment lines that stood just before line i, if any. */
  private commentAt(i: number): string | undefined {
    return this.comment?.line === i ? this.comment.text : undefined;
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
  private mapping(at: number, col: number, first: string | undefined, depth: number): V {
    if (depth > maxDepth) throw beyond;
    const keys: string[] = [];
    const values: V[] = [];
    const comments: (string | undefined)[] = [];
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
      if (keys.includes(key)) throw beyond;
      // A sequence entry's first key: the comment before the `- ` line is the entry's.
      comments.push(i === at && first !== undefined ? undefined : this.commentAt(i));
      keys.push(key);
      values.push(this.valueAfter(text.slice(end + 1), i, col, depth, true));
      i = this.pos;
      text = undefined;
    }
    this.pos = i;
    return this.build.map(keys, values, comments);
  }

  /** A block sequence whose `- ` markers stand at `col`, starting at line `at`. */
  private sequence(at: number, col: number, depth: number): V {
    if (depth > maxDepth) throw beyond;
    const out: V[] = [];
    const comments: (string | undefined)[] = [];
    let i = at;
    while (i < this.to) {
      const indent = this.lines.indent(i);
      if (indent < col) break;
      if (indent > col) throw beyond;
      // A key at the marker column ends a compact sequence; the mapping it belongs to goes on.
      if (!this.isEntry(i, col)) break;
      comments.push(this.commentAt(i));
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
    return this.build.seq(out, comments);
  }

  /**
   * The value after a key (`key:` at `col`, `inMapping`) or a sequence marker (`-` at `col`) on line i: `rest` is
   * the text after the colon or marker. Sets `pos` past it.
   */
  private valueAfter(rest: string, i: number, col: number, depth: number, inMapping: boolean): V {
    let from = 0;
    while (rest.charCodeAt(from) === 32) from++;
    // A comment after the value has no place in a builder that keeps no trivia.
    if (!this.build.keepsTrivia && rest.includes('#')) throw beyond;
    const next = this.content(i + 1);
    if (from === rest.length || rest.charCodeAt(from) === 35) {
      this.pos = next;
      if (next >= this.to) return this.build.none();
      const indent = this.lines.indent(next);
      if (indent > col) {
        return this.isEntry(next, indent)
          ? this.sequence(next, indent, depth + 1)
          : this.mapping(next, indent, undefined, depth + 1);
      }
      if (inMapping && indent === col && this.isEntry(next, col)) return this.sequence(next, col, depth + 1);
      return this.build.none();
    }
    // A scalar on the line: a more indented line after it would continue it (or be an error).
    if (next < this.to && this.lines.indent(next) > col) throw beyond;
    this.pos = next;
    const body = from === 0 ? rest : rest.slice(from);
    const flow = emptyFlow.exec(body);
    if (flow) return this.build.emptyFlow(flow[1] === '{}');
    const read = readWritten(body);
    if (read === undefined) throw beyond;
    return this.build.scalar(read.value, read.written);
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
  return buildBlockMapping(lines, from, to, col, dataBuilder) as Record<string, Json> | undefined;
}

/** The same read, building what `build` makes of it. */
export function buildBlockMapping<V>(
  lines: ItemLines,
  from: number,
  to: number,
  col: number,
  build: BlockBuilder<V>,
): V | undefined {
  try {
    return new BlockReader(lines, to, build).readAll(from, col);
  } catch (e) {
    if (e === beyond) return undefined;
    throw e;
  }
}
