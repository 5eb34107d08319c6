/**
 * Finds item boundaries with a line scanner so untouched items pass through as their original text and only the
 * items a function needs are parsed. The full parser is slower by an order of magnitude on large inputs
 * (README, "Benchmark"). Returns undefined whenever the text has something line splitting cannot honour; the
 * caller then parses the whole input.
 *
 * The text is scanned by offsets, not as an array of line strings: a 10k-item list has half a million lines, and
 * a string per line was a fifth of the run in garbage collection. A line is cut out only when it needs a closer
 * look; each item keeps its text as one slice of the input, and its lines are made only if it is ever read.
 */
import { LineChecker, OpenerScan } from './line-check.js';
import { isTrivia } from './lines.js';
import { anchorsOf, unsplittable } from './split-guards.js';
import { pastIndentation, tabRule } from './tab-rule.js';

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
  /** True when the item holds anchors and aliases of its own: it is read through the parser, alone. */
  anchored: boolean;
  /** True when the item holds a tab (none where indentation is measured, see tab-rule.ts): read alone too. */
  tabbed: boolean;
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
 * Offset where line-wise reading stops: one past the last line, as `toLines` cuts (a final newline ends the last
 * line rather than starting an empty one; no text, no lines). Lines are read by offsets: a line starting at
 * `from` ends at `lineEnd(text, from)`, and the next starts one past that.
 */
function linesEnd(text: string): number {
  if (text === '') return 0;
  return text.charCodeAt(text.length - 1) === 10 ? text.length : text.length + 1;
}

/** End of the line starting at `from`: its newline, or the end of the text. */
function lineEnd(text: string, from: number): number {
  const at = text.indexOf('\n', from);
  return at < 0 ? text.length : at;
}

/** The lines starting in [from, to), where `to` is a line start or `linesEnd`, as strings. */
function linesIn(text: string, from: number, to: number): string[] {
  return from >= to ? [] : text.slice(from, to - 1).split('\n');
}

/** A top-level section as a range of line offsets [start, end), before its lines are copied out. */
interface SectionRange {
  key: string;
  start: number;
  end: number;
}

const indentedMarker = /^ +---(?:[ \t]|$)/m;

// After the first key, only lines at column 0 can start a section (or a second document): find just those.
const columnZero = /\n(?:[^ #\-\n]|---)/g;

/** Cuts a block-style ResourceList into sections and items; undefined when only the full parser can read it. */
export function splitResourceList(text: string): Split | undefined {
  if (unsplittable(text, { anchors: 'allow' })) return undefined;
  // An indented `---` is a plain key or scalar where it stands (`--- a: b` inside an item is the key `--- a`), but
  // an item is parsed alone at column 0, where the same line starts a second document.
  if (text.includes('---') && indentedMarker.test(text)) return undefined;
  const end = linesEnd(text);
  let from = 0;
  let marker: string | undefined;
  if (text.startsWith('---')) {
    marker = text.slice(0, lineEnd(text, 0));
    if (marker.trim() !== '---') return undefined;
    from = marker.length + 1;
  }
  const preamble: string[] = [];
  for (; from < end && !startsSection(text, from); from = lineEnd(text, from) + 1) {
    const line = text.slice(from, lineEnd(text, from));
    if (!isTrivia(line)) return undefined; // a `---` too: a second document
    preamble.push(line);
  }
  const ranges: SectionRange[] = [];
  columnZero.lastIndex = from;
  for (let start = from; start < end; ) {
    const key = sectionKey(text, start);
    if (key === undefined) return undefined;
    const next = columnZero.exec(text);
    const range = { key, start, end: next ? next.index + 1 : end };
    ranges.push(range);
    start = range.end;
  }
  const at = ranges.findIndex((r) => r.key === 'items');
  // The items section keeps only its key line here: splitItems cuts the rest into items.
  const sections: Section[] = ranges.map((r, k) => ({
    key: r.key,
    lines: linesIn(text, r.start, k === at ? lineEnd(text, r.start) + 1 : r.end),
  }));
  if (preamble.length > 0) {
    const first = sections[0];
    if (!first) return undefined;
    first.lines.unshift(...preamble);
  }
  if (marker !== undefined && sections[0]) sections[0].lines.unshift(marker);
  const itemsSection = sections[at];
  const itemsRange = ranges[at];
  if (!itemsSection || !itemsRange) return { sections, items: [], seqIndent: 0, itemsTrailing: [] };
  return splitItems(text, sections, itemsRange);
}

/** Whether the line at `from` is at column 0 and not trivia, a sequence entry or a document marker. */
function startsSection(text: string, from: number): boolean {
  const first = text.charCodeAt(from);
  return first !== 10 && first !== 32 && first !== 35 && first !== 45 && from < text.length;
}

/** The key of a column-0 line; undefined when the line is something the splitter does not take. */
function sectionKey(text: string, from: number): string | undefined {
  const first = text.charCodeAt(from);
  if (first === 45 /* - */) return undefined; // `---`: a second document
  if (first === 9) return undefined; // a tab where indentation would be
  const colon = text.indexOf(':', from);
  if (colon <= from || colon >= lineEnd(text, from)) return undefined;
  if (first === 34 || first === 39 || first === 123 || first === 91) return undefined; // " ' { [
  const key = text.slice(from, colon);
  // `items :` is valid YAML for the key `items`: the parser reads it, where a key kept with its space would not
  // match `items` and the list would seem to have none.
  if (/\s$/.test(key)) return undefined;
  return key;
}

/**
 * Where a run of plain lines starting at `from` ends (the next line's start; `from` when that line is not plain).
 * Plain lines are indented at least `column`, do not end in a space and hold no opener: outside a block scalar,
 * the lines `LineChecker.accept` takes without looking, and that change nothing.
 */
function plainRunEnd(text: string, from: number, to: number, column: number, openers: OpenerScan): number {
  let at = from;
  while (at < to) {
    const end = lineEnd(text, at);
    if (end <= at + column || text.charCodeAt(end - 1) === 32) break;
    let spaces = 0;
    while (spaces < column && text.charCodeAt(at + spaces) === 32) spaces++;
    if (spaces < column || openers.within(at, end)) break;
    at = end + 1;
  }
  return at;
}

/** An item found by splitItems, as line offsets: leading trivia [lead, start), own lines [start, end). */
interface ItemRange {
  lead: number;
  start: number;
  end: number;
  indent: number;
}

function splitItems(text: string, sections: Section[], range: SectionRange): Split | undefined {
  const keyEnd = lineEnd(text, range.start);
  const inline = text.slice(range.start + 'items:'.length, keyEnd).trim();
  const bodyStart = keyEnd + 1;
  const bodyEnd = range.end;
  if (inline !== '' && !inline.startsWith('#')) {
    const body = linesIn(text, bodyStart, bodyEnd);
    if (/^\[\]\s*(#.*)?$/.test(inline) && body.every(isTrivia)) {
      // The trivia after `items: []` is written back as the items' trailing lines, not as part of the key line.
      return { sections, items: [], seqIndent: 0, itemsTrailing: body };
    }
    return undefined;
  }
  let seqIndent = -1;
  const ranges: ItemRange[] = [];
  // Trivia lines not yet given to an item are always the lines [pending, from).
  let pending = bodyStart;
  let current: ItemRange | undefined;
  // The current item's key column once known (0 until then): lines indented at least that far and not ending in
  // a space always belong to the item.
  let contentColumn = 0;
  const checker = new LineChecker();
  const openers = new OpenerScan(text);
  // One look at the whole input spares the tab rule on every line in the usual case, a list without tabs.
  const hasTabs = text.includes('\t');
  for (let from = bodyStart; from < bodyEnd; ) {
    if (current && contentColumn > 0 && !checker.readingBlockScalar) {
      // Most lines are plain content of the current item: pass over them without measuring each.
      const after = plainRunEnd(text, from, bodyEnd, contentColumn, openers);
      if (after > from) {
        current.end = after;
        pending = after;
        from = after;
        continue;
      }
    }
    const to = lineEnd(text, from);
    const next = to + 1;
    let first = from;
    while (first < to && text.charCodeAt(first) === 32) first++;
    const col = first === to ? -1 : first - from;
    if (current && checker.inBlockScalarAt(col)) {
      current.end = next;
      pending = next;
      from = next;
      continue;
    }
    // Outside a block scalar, a tab left of the item's content column leaves the line's place unclear (the
    // full parser decides); one further right only makes the item read alone. Either way the tab is ruled on
    // before any other check, so a line with a quote, a bracket or `|` / `>` is treated as a plain one is.
    let content = first;
    if (hasTabs) {
      const known = current !== undefined && contentColumn > 0;
      if (tabRule(text, from, to, known ? contentColumn : Number.POSITIVE_INFINITY) === 'unreadable')
        return undefined;
      content = pastIndentation(text, first, to);
    }
    if (current && contentColumn > 0 && col >= contentColumn && text.charCodeAt(to - 1) !== 32) {
      // The line checks read from the line's content: past a tab in its indentation too.
      if (openers.within(from, to) && !checker.accept(text.slice(from, to), content - from)) return undefined;
      current.end = next;
      pending = next;
      from = next;
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
        current.end = next;
        pending = next;
      }
      from = next;
      continue;
    }
    if (openers.within(from, to) && !checker.accept(text.slice(from, to), content - from)) return undefined;
    if (col === seqIndent) {
      const rest = text.slice(first + 1, to);
      if (rest !== '' && rest[0] !== ' ') return undefined;
      const after = rest.trimStart();
      // The spaces right of the `-` are the entry's indentation: its content column is past them.
      if (hasTabs && tabRule(text, first + 1, to, rest.length - after.length) === 'unreadable')
        return undefined;
      if (after.startsWith('{') || after.startsWith('[') || after.startsWith('|') || after.startsWith('>')) {
        return undefined;
      }
      current = { lead: pending, start: from, end: next, indent: -1 };
      pending = next;
      contentColumn = 0;
      if (after !== '' && !after.startsWith('#')) {
        current.indent = col + 1 + (rest.length - after.length);
        contentColumn = current.indent;
      }
      ranges.push(current);
      from = next;
      continue;
    }
    if (!current || col < seqIndent + 2) return undefined;
    if (current.indent < 0) {
      current.indent = col;
      contentColumn = col;
    } else if (col < current.indent) return undefined;
    current.end = next;
    pending = next;
    from = next;
  }
  const items: SplitItem[] = [];
  for (const r of ranges) {
    if (r.indent < 0) return undefined; // an entry with no content: a null item
    const own = text.slice(r.start, r.end - 1);
    const anchors = anchorsOf(own);
    if (anchors === 'crossing') return undefined;
    items.push({
      leading: linesIn(text, r.lead, r.start),
      text: own,
      indent: r.indent,
      anchored: anchors === 'own',
      tabbed: hasTabs && own.includes('\t'),
    });
  }
  // Anchors in the other sections (functionConfig, results) are read with the section alone: none may cross.
  for (const section of sections) if (anchorsOf(section.lines.join('\n')) !== 'none') return undefined;
  return {
    sections,
    items,
    seqIndent: Math.max(seqIndent, 0),
    itemsTrailing: linesIn(text, pending, bodyEnd),
  };
}
