// Test-only reference: src/krm/fast-split.ts as it was before the offset-based splitter (commit 1aac976). The
// differential test (test/unit/split-reference.test.ts) holds the new code to exactly this behaviour. One
// deliberate change since: after `items: []` the trivia lines are the items' trailing lines only (they were also
// left in the section, and written twice).
/**
 * Finds item boundaries with a line scanner so untouched items pass through as their original text and only the
 * items a function needs are parsed. The full parser is slower by an order of magnitude on large inputs
 * (README, "Benchmark"). Returns undefined whenever the text has something line splitting cannot honour; the
 * caller then parses the whole input.
 */
import { indentOf, isTrivia } from './item-text.js';
import { LineChecker } from './line-check.js';

/** A top-level key of the ResourceList with its lines (key line first). */
export interface Section {
  key: string;
  lines: string[];
}

/** One sequence entry under `items:` with the trivia lines before it. */
export interface SplitItem {
  leading: string[];
  /** The item's own text as in the input (its lines joined), to write it back without joining again. */
  text: string;
  lines: string[];
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

// Anchors, aliases, tags on items, directives, document markers, complex keys, tabs and CR line ends make the
// line structure unreliable.
const unsplittable = /\t|\r|^%|^\.\.\.|^\s*\? |(^|[\s[{,])(?:[&*][^\s,\]}]|![A-Za-z!<])/m;

/** Splits a YAML stream's text into lines, ignoring one final newline. */
export function toLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A top-level section as a range of line indices, before its lines are copied out. */
interface SectionRange {
  key: string;
  start: number;
  end: number;
}

/** Cuts a block-style ResourceList into sections and items; undefined when only the full parser can read it. */
export function splitResourceList(text: string): Split | undefined {
  if (unsplittable.test(text)) return undefined;
  const lines = toLines(text);
  let start = 0;
  if (lines[0]?.startsWith('---')) {
    if (lines[0].trim() !== '---') return undefined;
    start = 1;
  }
  // Lines are only looked at here; each section's lines are copied out once, as one slice.
  const ranges: SectionRange[] = [];
  let current: SectionRange | undefined;
  const preamble: string[] = [];
  for (let i = start; i < lines.length; i++) {
    const line = lines[i] as string;
    const first = line.charCodeAt(0);
    if (first === 45 /* - */ && line.startsWith('---')) return undefined; // a second document
    // A key at column 0: not blank, not indented, not a comment, not a sequence entry.
    if (line.length > 0 && first !== 32 && first !== 35 && first !== 45) {
      const colon = line.indexOf(':');
      if (colon <= 0 || first === 34 || first === 39 || first === 123 || first === 91) return undefined;
      if (current) current.end = i;
      current = { key: line.slice(0, colon), start: i, end: lines.length };
      ranges.push(current);
    } else if (!current) {
      if (!isTrivia(line)) return undefined;
      preamble.push(line);
    }
  }
  const sections: Section[] = ranges.map((r) => ({ key: r.key, lines: lines.slice(r.start, r.end) }));
  if (preamble.length > 0) {
    const first = sections[0];
    if (!first) return undefined;
    first.lines.unshift(...preamble);
  }
  if (start === 1 && sections[0]) sections[0].lines.unshift(lines[0] as string);
  const at = sections.findIndex((s) => s.key === 'items');
  const itemsSection = sections[at];
  const itemsRange = ranges[at];
  if (!itemsSection || !itemsRange) return { sections, items: [], seqIndent: 0, itemsTrailing: [] };
  return splitItems(lines, sections, itemsSection, itemsRange, text);
}

/** An item found by splitItems, as line index ranges: leading trivia [lead, start), own lines [start, end). */
interface ItemRange {
  lead: number;
  start: number;
  end: number;
  indent: number;
}

/** Offset in `text` of the start of each line, and one past the end. */
function lineOffsets(lines: readonly string[]): Float64Array {
  const offsets = new Float64Array(lines.length + 1);
  let at = 0;
  for (let i = 0; i < lines.length; i++) {
    offsets[i] = at;
    at += (lines[i] as string).length + 1;
  }
  offsets[lines.length] = at;
  return offsets;
}

function splitItems(
  lines: readonly string[],
  sections: Section[],
  itemsSection: Section,
  range: SectionRange,
  text: string,
): Split | undefined {
  // Lines before the key line in the section are the preamble (and `---`) put there above.
  const keyLineIndex = itemsSection.lines.length - (range.end - range.start);
  const keyLine = lines[range.start] as string;
  const inline = keyLine.slice('items:'.length).trim();
  const bodyStart = range.start + 1;
  const bodyEnd = range.end;
  if (inline !== '' && !inline.startsWith('#')) {
    const body = lines.slice(bodyStart, bodyEnd);
    if (/^\[\]\s*(#.*)?$/.test(inline) && body.every(isTrivia)) {
      itemsSection.lines = itemsSection.lines.slice(0, keyLineIndex + 1);
      return { sections, items: [], seqIndent: 0, itemsTrailing: body };
    }
    return undefined;
  }
  let seqIndent = -1;
  const ranges: ItemRange[] = [];
  // Trivia lines not yet given to an item are always the lines [pending, i).
  let pending = bodyStart;
  let current: ItemRange | undefined;
  // Lines at or right of the current item's key column, not blank: always part of the item.
  let contentPad = '';
  const checker = new LineChecker();
  for (let i = bodyStart; i < bodyEnd; i++) {
    const line = lines[i] as string;
    if (current && checker.inBlockScalar(line)) {
      current.end = i + 1;
      pending = i + 1;
      continue;
    }
    if (
      current &&
      contentPad !== '' &&
      line.charCodeAt(line.length - 1) !== 32 &&
      line.startsWith(contentPad)
    ) {
      if (!checker.accept(line, indentOf(line))) return undefined;
      current.end = i + 1;
      pending = i + 1;
      continue;
    }
    const col = indentOf(line);
    const trivia = col < 0 || line.charCodeAt(col) === 35;
    if (seqIndent < 0 && !trivia) {
      if (line.charCodeAt(col) !== 45 /* - */) return undefined;
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
    if (!checker.accept(line, col)) return undefined;
    if (col === seqIndent) {
      const rest = line.slice(col + 1);
      if (rest !== '' && rest[0] !== ' ') return undefined;
      const after = rest.trimStart();
      if (after.startsWith('{') || after.startsWith('[') || after.startsWith('|') || after.startsWith('>')) {
        return undefined;
      }
      current = { lead: pending, start: i, end: i + 1, indent: -1 };
      pending = i + 1;
      contentPad = '';
      if (after !== '' && !after.startsWith('#')) {
        current.indent = col + 1 + (rest.length - after.length);
        contentPad = ' '.repeat(current.indent);
      }
      ranges.push(current);
      continue;
    }
    if (!current || col < seqIndent + 2) return undefined;
    if (current.indent < 0) {
      current.indent = col;
      contentPad = ' '.repeat(col);
    } else if (col < current.indent) return undefined;
    current.end = i + 1;
    pending = i + 1;
  }
  const items: SplitItem[] = [];
  const offsets = lineOffsets(lines);
  for (const r of ranges) {
    if (r.indent < 0) return undefined; // an entry with no content: a null item
    items.push({
      leading: lines.slice(r.lead, r.start),
      lines: lines.slice(r.start, r.end),
      // A slice of the input shares its characters: no copy until the output is joined.
      text: text.slice(offsets[r.start] as number, (offsets[r.end] as number) - 1),
      indent: r.indent,
    });
  }
  itemsSection.lines = itemsSection.lines.slice(0, keyLineIndex + 1);
  return {
    sections,
    items,
    seqIndent: Math.max(seqIndent, 0),
    itemsTrailing: lines.slice(pending, bodyEnd),
  };
}

/** One document of a plain YAML stream. */
export interface StreamDocument {
  leading: string[];
  lines: string[];
}

/** Cuts a plain multi-document stream at `---` lines; undefined when only the full parser can read it. */
export function splitStream(text: string): { documents: StreamDocument[]; trailing: string[] } | undefined {
  if (unsplittable.test(text)) return undefined;
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
