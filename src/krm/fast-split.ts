/**
 * Finds item boundaries with a line scanner so untouched items pass through as their original text and only the
 * items a function needs are parsed. The full parser is slower by an order of magnitude on large inputs
 * (README, "Benchmark"). Returns undefined whenever the text has something line splitting cannot honour; the
 * caller then parses the whole input.
 *
 * The items section is scanned by offsets, not as an array of line strings: a 10k-item list has 300k lines, and
 * a string per line was a fifth of the run in garbage collection. A line is cut out only when it needs a closer
 * look; each item keeps its text as one slice of the input, and its lines are made only if it is ever read.
 */
import { indentOf, isTrivia, lineStarts } from './item-text.js';
import { LineChecker, OpenerScan } from './line-check.js';

/** A top-level key of the ResourceList with its lines (key line first). */
export interface Section {
  key: string;
  lines: string[];
}

/** One sequence entry under `items:` with the trivia lines before it. */
export interface SplitItem {
  leading: string[];
  /** The item's own lines as in the input, joined: a slice of the input, so no characters are copied. */
  text: string;
  indent: number;
}

/** The ResourceList cut into top-level sections, with `items` cut into entries. */
export interface Split {
  sections: Section[];
  items: SplitItem[];
  /** Column of the `-` of the item entries. */
  seqIndent: number;
  /** Trivia lines after the last item, still inside the items section. */
  itemsTrailing: string[];
}

/**
 * Anchors, aliases, tags on items, directives, document markers, complex keys, tabs and CR line ends make the
 * line structure unreliable. Each pattern runs only when the text holds characters every match of it needs: one
 * expression with all the alternatives cost 60 ms on a 13 MB input, and most inputs hold none of `& * ! ? `.
 */
function unsplittable(text: string): boolean {
  if (text.includes('\t') || text.includes('\r')) return true;
  if (text.includes('%') && /^%/m.test(text)) return true;
  if (text.includes('...') && /^\.\.\./m.test(text)) return true;
  if (text.includes('? ') && /^\s*\? /m.test(text)) return true;
  if (!text.includes('&') && !text.includes('*') && !text.includes('!')) return false;
  return /(^|[\s[{,])(?:[&*][^\s,\]}]|![A-Za-z!<])/m.test(text);
}

/** Splits a YAML stream's text into lines, ignoring one final newline. */
export function toLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Where each line of a text starts, cut as `toLines` cuts: line i is text[start(i), end(i)). */
class LineIndex {
  private readonly starts: Int32Array;
  readonly length: number;

  constructor(readonly text: string) {
    // One final newline ends the last line; it does not start an empty one. No text, no lines.
    const end = text.charCodeAt(text.length - 1) === 10 ? text.length - 1 : text.length;
    this.starts = text === '' ? new Int32Array(0) : lineStarts(text, end);
    this.length = Math.max(this.starts.length - 1, 0);
  }

  start(i: number): number {
    return this.starts[i] as number;
  }

  end(i: number): number {
    return (this.starts[i + 1] as number) - 1;
  }

  line(i: number): string {
    return this.text.slice(this.start(i), this.end(i));
  }

  /** Lines [from, to) as strings. */
  lines(from: number, to: number): string[] {
    const out: string[] = [];
    for (let i = from; i < to; i++) out.push(this.line(i));
    return out;
  }

  /** Lines [from, to) joined by newlines, as one slice of the text. */
  joined(from: number, to: number): string {
    return from >= to ? '' : this.text.slice(this.start(from), this.end(to - 1));
  }
}

/** A top-level section as a range of line indices, before its lines are copied out. */
interface SectionRange {
  key: string;
  start: number;
  end: number;
}

/** Cuts a block-style ResourceList into sections and items; undefined when only the full parser can read it. */
export function splitResourceList(text: string): Split | undefined {
  if (unsplittable(text)) return undefined;
  const index = new LineIndex(text);
  let start = 0;
  if (text.startsWith('---')) {
    if (index.line(0).trim() !== '---') return undefined;
    start = 1;
  }
  const ranges: SectionRange[] = [];
  let current: SectionRange | undefined;
  const preamble: string[] = [];
  for (let i = start; i < index.length; i++) {
    const from = index.start(i);
    const to = index.end(i);
    const first = from < to ? text.charCodeAt(from) : Number.NaN;
    if (first === 45 /* - */ && text.startsWith('---', from)) return undefined; // a second document
    // A key at column 0: not blank, not indented, not a comment, not a sequence entry.
    if (from < to && first !== 32 && first !== 35 && first !== 45) {
      const colon = text.indexOf(':', from);
      if (colon <= from || colon >= to || first === 34 || first === 39 || first === 123 || first === 91) {
        return undefined;
      }
      if (current) current.end = i;
      current = { key: text.slice(from, colon), start: i, end: index.length };
      ranges.push(current);
    } else if (!current) {
      const line = index.line(i);
      if (!isTrivia(line)) return undefined;
      preamble.push(line);
    }
  }
  const at = ranges.findIndex((r) => r.key === 'items');
  // The items section keeps only its key line here: splitItems cuts the rest into items.
  const sections: Section[] = ranges.map((r, k) => ({
    key: r.key,
    lines: index.lines(r.start, k === at ? r.start + 1 : r.end),
  }));
  if (preamble.length > 0) {
    const first = sections[0];
    if (!first) return undefined;
    first.lines.unshift(...preamble);
  }
  if (start === 1 && sections[0]) sections[0].lines.unshift(index.line(0));
  const itemsSection = sections[at];
  const itemsRange = ranges[at];
  if (!itemsSection || !itemsRange) return { sections, items: [], seqIndent: 0, itemsTrailing: [] };
  return splitItems(index, sections, itemsSection, itemsRange);
}

/** An item found by splitItems, as line index ranges: leading trivia [lead, start), own lines [start, end). */
interface ItemRange {
  lead: number;
  start: number;
  end: number;
  indent: number;
}

function splitItems(
  index: LineIndex,
  sections: Section[],
  itemsSection: Section,
  range: SectionRange,
): Split | undefined {
  const text = index.text;
  const keyLine = index.line(range.start);
  const inline = keyLine.slice('items:'.length).trim();
  const bodyStart = range.start + 1;
  const bodyEnd = range.end;
  if (inline !== '' && !inline.startsWith('#')) {
    const body = index.lines(bodyStart, bodyEnd);
    if (/^\[\]\s*(#.*)?$/.test(inline) && body.every(isTrivia)) {
      // The section keeps its trivia lines too: writeResourceList expects it so (see its items: [] case).
      itemsSection.lines = itemsSection.lines.concat(body);
      return { sections, items: [], seqIndent: 0, itemsTrailing: body };
    }
    return undefined;
  }
  let seqIndent = -1;
  const ranges: ItemRange[] = [];
  // Trivia lines not yet given to an item are always the lines [pending, i).
  let pending = bodyStart;
  let current: ItemRange | undefined;
  // The current item's key column once known (0 until then): lines indented at least that far and not ending in
  // a space always belong to the item.
  let contentColumn = 0;
  const checker = new LineChecker();
  const openers = new OpenerScan(text);
  for (let i = bodyStart; i < bodyEnd; i++) {
    const from = index.start(i);
    const to = index.end(i);
    let first = from;
    while (first < to && text.charCodeAt(first) === 32) first++;
    const col = first === to ? -1 : first - from;
    if (current && checker.inBlockScalarAt(col)) {
      current.end = i + 1;
      pending = i + 1;
      continue;
    }
    if (current && contentColumn > 0 && col >= contentColumn && text.charCodeAt(to - 1) !== 32) {
      if (openers.within(from, to) && !checker.accept(text.slice(from, to), col)) return undefined;
      current.end = i + 1;
      pending = i + 1;
      continue;
    }
    const trivia = col < 0 || text.charCodeAt(first) === 35;
    if (seqIndent < 0 && !trivia) {
      if (text.charCodeAt(first) !== 45 /* - */) return undefined;
      seqIndent = col;
    }
    if (trivia) {
      // Trivia deeper than the entry marker belongs to the entry; trivia at or left of it may precede the next.
      if (current && col > seqIndent + 1) {
        current.end = i + 1;
        pending = i + 1;
      }
      continue;
    }
    if (openers.within(from, to) && !checker.accept(text.slice(from, to), col)) return undefined;
    if (col === seqIndent) {
      const rest = text.slice(first + 1, to);
      if (rest !== '' && rest[0] !== ' ') return undefined;
      const after = rest.trimStart();
      if (after.startsWith('{') || after.startsWith('[') || after.startsWith('|') || after.startsWith('>')) {
        return undefined;
      }
      current = { lead: pending, start: i, end: i + 1, indent: -1 };
      pending = i + 1;
      contentColumn = 0;
      if (after !== '' && !after.startsWith('#')) {
        current.indent = col + 1 + (rest.length - after.length);
        contentColumn = current.indent;
      }
      ranges.push(current);
      continue;
    }
    if (!current || col < seqIndent + 2) return undefined;
    if (current.indent < 0) {
      current.indent = col;
      contentColumn = col;
    } else if (col < current.indent) return undefined;
    current.end = i + 1;
    pending = i + 1;
  }
  const items: SplitItem[] = [];
  for (const r of ranges) {
    if (r.indent < 0) return undefined; // an entry with no content: a null item
    items.push({
      leading: index.lines(r.lead, r.start),
      text: index.joined(r.start, r.end),
      indent: r.indent,
    });
  }
  return {
    sections,
    items,
    seqIndent: Math.max(seqIndent, 0),
    itemsTrailing: index.lines(pending, bodyEnd),
  };
}

/** One document of a plain YAML stream. */
export interface StreamDocument {
  leading: string[];
  lines: string[];
}

/** Cuts a plain multi-document stream at `---` lines; undefined when only the full parser can read it. */
export function splitStream(text: string): { documents: StreamDocument[]; trailing: string[] } | undefined {
  if (unsplittable(text)) return undefined;
  const documents: StreamDocument[] = [];
  let pending: string[] = [];
  let lines: string[] = [];
  const flush = (): void => {
    if (lines.some((l) => !isTrivia(l))) {
      documents.push({ leading: pending, lines });
      pending = [];
    } else {
      pending.push(...lines);
    }
    lines = [];
  };
  let checker = new LineChecker();
  for (const line of toLines(text)) {
    if (line.startsWith('---')) {
      if (line.slice(3).trim() !== '') return undefined;
      flush();
      checker = new LineChecker();
      continue;
    }
    if (checker.inBlockScalar(line)) {
      lines.push(line);
      continue;
    }
    if (!isTrivia(line) && !checker.accept(line, indentOf(line))) return undefined;
    if (lines.length === 0 && !isTrivia(line) && indentOf(line) !== 0) return undefined;
    const first = line.trimStart()[0];
    if (lines.every(isTrivia) && !isTrivia(line) && (first === '{' || first === '[' || first === '-'))
      return undefined;
    lines.push(line);
  }
  flush();
  return { documents, trailing: pending };
}
