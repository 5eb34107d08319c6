/**
 * A cheap look at the indentation of an item's text, for the items no function parses: their text is written back
 * as it came, so one the parser would refuse would make the output unreadable YAML. The screen never decides alone:
 * it only names the items worth a parse, and the parser says whether they are malformed.
 *
 * A line may sit at the column of a block still open (a sibling key), deeper than the last one (a nested block, or
 * the continuation of a plain scalar), but not between two open blocks: `metadata:` at 2, `name:` at 7, then
 * `namespace:` at 4 closes the block at 7 and starts none at 4. A line deeper than one that opened nothing (a plain
 * scalar's continuation, rare in manifests) is a suspect too. Block scalar content is skipped.
 */
import { LineChecker } from './line-check.js';

/** Whether the text of an item (keys at column `indent`, its first line maybe a `- ` entry) needs a parse to tell. */
export function indentSuspect(text: string, indent: number): boolean {
  const open: number[] = [indent];
  const checker = new LineChecker();
  // Whether the last content line may have opened a block (`key:`, `-`, or a comment that hides how it ends).
  let opened = true;
  // Offsets of the next `#`, `|` and `>` at or after the current line (Infinity when none): one search each
  // reaches past many lines. Only `|` and `>` can start a block scalar (the splitter already vetted quotes and
  // flow collections).
  let hash = -1;
  let bar = -1;
  let fold = -1;
  for (let from = 0; from <= text.length; ) {
    let end = text.indexOf('\n', from);
    if (end < 0) end = text.length;
    const next = end + 1;
    let first = from;
    while (first < end && text.charCodeAt(first) === 32) first++;
    const blank = first === end;
    let col = blank ? -1 : first - from;
    // The entry's first line: its content sits at `indent`, right of the `- `.
    if (from === 0 && col >= 0 && col < indent) col = indent;
    if (checker.inBlockScalarAt(col) || blank || text.charCodeAt(first) === 35 /* # */) {
      from = next;
      continue;
    }
    let top = open[open.length - 1] as number;
    let closed = false;
    while (top > col) {
      open.pop();
      closed = true;
      top = open.length > 0 ? (open[open.length - 1] as number) : -1;
    }
    if (top < col) {
      if (closed || !opened) return true;
      open.push(col);
    }
    if (bar < from) bar = nextAt(text, '|', from);
    if (fold < from) fold = nextAt(text, '>', from);
    if ((bar < end || fold < end) && !checker.accept(text.slice(from, end), col)) return true;
    // Entries `- ` open a block right of their dash: `- name: a` then `  port: 1` at the column of `name`.
    let at = from === 0 ? from + indent : first;
    while (text.charCodeAt(at) === 45 /* - */ && (at + 1 === end || text.charCodeAt(at + 1) === 32)) {
      at++;
      while (at < end && text.charCodeAt(at) === 32) at++;
      if (at < end && at - from > (open[open.length - 1] as number)) open.push(at - from);
    }
    const last = text.charCodeAt(end - 1);
    if (hash < from) hash = nextAt(text, '#', from);
    opened = last === 58 /* : */ || at === end || hash < end;
    from = next;
  }
  return false;
}

function nextAt(text: string, char: string, from: number): number {
  const found = text.indexOf(char, from);
  return found < 0 ? Number.POSITIVE_INFINITY : found;
}
