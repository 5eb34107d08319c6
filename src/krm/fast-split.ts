/**
 * Finds item boundaries with a line scanner so untouched items pass through as their original text and only the
 * items a function needs are parsed. The full parser is slower by an order of magnitude on large inputs
 * (README, "Benchmark"). Returns undefined whenever the text has something line splitting cannot honour; the
 * caller then parses the whole input.
 */
import { indentOf, isTrivia } from './item-text.js';

/** A top-level key of the ResourceList with its lines (key line first). */
export interface Section {
  key: string;
  lines: string[];
}

/** One sequence entry under `items:` with the trivia lines before it. */
export interface SplitItem {
  leading: string[];
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

/** Cuts a block-style ResourceList into sections and items; undefined when only the full parser can read it. */
export function splitResourceList(text: string): Split | undefined {
  if (unsplittable.test(text)) return undefined;
  const lines = toLines(text);
  let start = 0;
  if (lines[0]?.startsWith('---')) {
    if (lines[0].trim() !== '---') return undefined;
    start = 1;
  }
  const sections: Section[] = [];
  let current: Section | undefined;
  const preamble: string[] = [];
  for (let i = start; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('---')) return undefined; // a second document
    const col = indentOf(line);
    const topKey = col === 0 && line[0] !== '#' && line[0] !== '-';
    if (topKey) {
      const colon = line.indexOf(':');
      if (colon <= 0 || line[0] === '"' || line[0] === "'" || line[0] === '{' || line[0] === '[')
        return undefined;
      current = { key: line.slice(0, colon), lines: [line] };
      sections.push(current);
    } else if (current) {
      current.lines.push(line);
    } else if (isTrivia(line)) {
      preamble.push(line);
    } else {
      return undefined;
    }
  }
  if (preamble.length > 0) {
    const first = sections[0];
    if (!first) return undefined;
    first.lines.unshift(...preamble);
  }
  if (start === 1 && sections[0]) sections[0].lines.unshift(lines[0] as string);
  const itemsSection = sections.find((s) => s.key === 'items');
  if (!itemsSection) return { sections, items: [], seqIndent: 0, itemsTrailing: [] };
  return splitItems(sections, itemsSection);
}

function splitItems(sections: Section[], itemsSection: Section): Split | undefined {
  const keyLineIndex = itemsSection.lines.findIndex((l) => l.startsWith('items:'));
  const keyLine = itemsSection.lines[keyLineIndex] as string;
  const inline = keyLine.slice('items:'.length).trim();
  const body = itemsSection.lines.slice(keyLineIndex + 1);
  if (inline !== '' && !inline.startsWith('#')) {
    if (/^\[\]\s*(#.*)?$/.test(inline) && body.every(isTrivia)) {
      return { sections, items: [], seqIndent: 0, itemsTrailing: body };
    }
    return undefined;
  }
  let seqIndent = -1;
  const items: SplitItem[] = [];
  let pending: string[] = [];
  let current: SplitItem | undefined;
  for (const line of body) {
    const col = indentOf(line);
    const trivia = col < 0 || line.charCodeAt(col) === 35;
    if (seqIndent < 0 && !trivia) {
      if (line.charCodeAt(col) !== 45 /* - */) return undefined;
      seqIndent = col;
    }
    if (trivia) {
      // Trivia deeper than the entry marker belongs to the entry; trivia at or left of it may precede the next.
      if (current && col > seqIndent + 1) {
        current.lines.push(...pending, line);
        pending = [];
      } else {
        pending.push(line);
      }
      continue;
    }
    if (col === seqIndent) {
      const rest = line.slice(col + 1);
      if (rest !== '' && rest[0] !== ' ') return undefined;
      const after = rest.trimStart();
      if (after.startsWith('{') || after.startsWith('[') || after.startsWith('|') || after.startsWith('>')) {
        return undefined;
      }
      current = { leading: pending, lines: [line], indent: -1 };
      pending = [];
      if (after !== '' && !after.startsWith('#')) current.indent = col + 1 + (rest.length - after.length);
      items.push(current);
      continue;
    }
    if (!current || col < seqIndent + 2) return undefined;
    if (current.indent < 0) current.indent = col;
    else if (col < current.indent) return undefined;
    current.lines.push(...pending, line);
    pending = [];
  }
  for (const item of items) {
    if (item.indent < 0) return undefined; // an entry with no content: a null item
  }
  itemsSection.lines = itemsSection.lines.slice(0, keyLineIndex + 1);
  return { sections, items, seqIndent: Math.max(seqIndent, 0), itemsTrailing: pending };
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
  for (const line of toLines(text)) {
    if (line.startsWith('---')) {
      if (line.slice(3).trim() !== '') return undefined;
      flush();
      continue;
    }
    if (lines.length === 0 && !isTrivia(line) && indentOf(line) !== 0) return undefined;
    const first = line.trimStart()[0];
    if (lines.every(isTrivia) && !isTrivia(line) && (first === '{' || first === '[' || first === '-'))
      return undefined;
    lines.push(line);
  }
  flush();
  return { documents, trailing: pending };
}
