// Test-only reference: src/krm/line-check.ts as it was before the offset-based splitter (commit 1aac976). The
// differential test (test/unit/split-reference.test.ts) holds the new code to exactly this behaviour. Do not edit.
/**
 * Per-line checks that keep the line splitter honest: a flow collection or a quoted scalar must close on the line
 * that opens it, or the line structure no longer says where an item ends (and a malformed one would pass through
 * unseen). Block scalar content is skipped: it is text, whatever it looks like.
 */
import { indentOf } from './item-text.js';

const mayNeedCheck = /["'[{|>]/;
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

/** Feeds lines one by one; says when a line breaks what the splitter relies on. */
export class LineChecker {
  /** Column of the key whose block scalar is being read, or -1. */
  private blockKey = -1;

  /** True when the line is content of a block scalar (skip every other check). */
  inBlockScalar(line: string): boolean {
    if (this.blockKey < 0) return false;
    const col = indentOf(line);
    if (col < 0 || col > this.blockKey) return true;
    this.blockKey = -1;
    return false;
  }

  /** False when the line opens something that does not close on it. `col` is its indentation. */
  accept(line: string, col: number): boolean {
    if (!mayNeedCheck.test(line)) return true;
    let p = col;
    while (line.charCodeAt(p) === 45 /* - */ && (line.charCodeAt(p + 1) === 32 || p + 1 === line.length)) {
      p += 2;
      while (line.charCodeAt(p) === 32) p++;
    }
    // Block scalar content must sit right of the key it belongs to, or right of the entry's dash.
    let parentColumn = p === col ? col - 1 : p - 2;
    let value = line.slice(p);
    const first = value[0];
    if (first !== '"' && first !== "'" && first !== '[' && first !== '{') {
      const colon = value.search(/:(?: |$)/);
      if (colon < 0) return true;
      parentColumn = p;
      value = value.slice(colon + 1).trimStart();
    }
    switch (value[0]) {
      case '"':
        return doubleQuoted.test(value) || /^"(?:[^"\\]|\\.)*":(?: |$)/.test(value);
      case "'":
        return singleQuoted.test(value) || /^'(?:[^']|'')*':(?: |$)/.test(value);
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
