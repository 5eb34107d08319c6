/**
 * Per-line checks that keep the line splitter honest: a flow collection or a quoted scalar must close on the line
 * that opens it, or the line structure no longer says where an item ends (and a malformed one would pass through
 * unseen). Block scalar content is skipped: it is text, whatever it looks like.
 */
import { indentOf } from './lines.js';

/** Characters that may open something the line has to close; a line without any is always accepted. */
const openers = `["'[{|>]`;
const mayNeedCheck = new RegExp(openers);
const doubleQuoted = /^"(?:[^"\\]|\\.)*"\s*(?:#.*)?$/;
const singleQuoted = /^'(?:[^']|'')*'\s*(?:#.*)?$/;
const blockIndicator = /^[|>][-+0-9]*\s*(?:#.*)?$/;

/** Whether a flow collection opened at the start of `value` closes on this line (quotes respected). */
function flowCloses(value: string): boolean {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return /^\s*(?:#.*)?$/.test(value.slice(i + 1));
    } else if (c === '#' && depth === 0) break;
  }
  return false;
}

const isBlank = (code: number): boolean => code === 32 || code === 9;

/** Feeds lines one by one; says when a line breaks what the splitter relies on. */
export class LineChecker {
  /** Column of the key whose block scalar is being read, or -1. */
  private blockKey = -1;

  /** True while lines may be content of a block scalar (a line's indentation decides, see `inBlockScalarAt`). */
  get readingBlockScalar(): boolean {
    return this.blockKey >= 0;
  }

  /** True when the line is content of a block scalar (skip every other check). */
  inBlockScalar(line: string): boolean {
    return this.inBlockScalarAt(indentOf(line));
  }

  /** `inBlockScalar` for a line whose indentation `col` is known (-1 when blank). */
  inBlockScalarAt(col: number): boolean {
    if (this.blockKey < 0) return false;
    if (col < 0 || col > this.blockKey) return true;
    this.blockKey = -1;
    return false;
  }

  /** False when the line opens something that does not close on it. `col` is its indentation. */
  accept(line: string, col: number): boolean {
    if (!mayNeedCheck.test(line)) return true;
    // A tab separates as a space does (tab-rule.ts decides where one may stand): `key:\t[1,` opens a flow too.
    let p = col;
    while (line.charCodeAt(p) === 45 /* - */ && (isBlank(line.charCodeAt(p + 1)) || p + 1 === line.length)) {
      p += 2;
      while (isBlank(line.charCodeAt(p))) p++;
    }
    // Block scalar content must sit right of the key it belongs to, or right of the entry's dash.
    let parentColumn = p === col ? col - 1 : p - 2;
    let value = line.slice(p);
    const first = value[0];
    if (first !== '"' && first !== "'" && first !== '[' && first !== '{') {
      const colon = value.search(/:(?:[ \t]|$)/);
      if (colon < 0) return true;
      parentColumn = p;
      value = value.slice(colon + 1).trimStart();
    }
    switch (value[0]) {
      case '"':
        return doubleQuoted.test(value) || /^"(?:[^"\\]|\\.)*":(?:[ \t]|$)/.test(value);
      case "'":
        return singleQuoted.test(value) || /^'(?:[^']|'')*':(?:[ \t]|$)/.test(value);
      case '[':
      case '{':
        return flowCloses(value);
      case '|':
      case '>':
        if (blockIndicator.test(value)) this.blockKey = parentColumn;
        return true;
      default:
        return true;
    }
  }
}

/**
 * Says which lines of a text hold one of the characters `LineChecker.accept` looks at, scanning the text once
 * instead of cutting every line out: most lines hold none, and their `accept` is always true.
 */
export class OpenerScan {
  private readonly pattern = new RegExp(openers, 'g');
  /** Offset of the next opener at or after the last range asked about; Infinity when there is none. */
  private next = -1;

  constructor(private readonly text: string) {}

  /** True when text[from, to) holds an opener. Ranges must be asked about in text order. */
  within(from: number, to: number): boolean {
    if (this.next < from) {
      this.pattern.lastIndex = from;
      const match = this.pattern.exec(this.text);
      this.next = match ? match.index : Number.POSITIVE_INFINITY;
    }
    return this.next < to;
  }
}
