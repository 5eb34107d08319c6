/**
 * Items of a ResourceList the full parser had to read (a tab, an anchor or a flow collection somewhere in it).
 * One such construct must not make every other resource come out re-formatted: an item that stands alone in the
 * text (a block mapping on its own `- ` lines, with no anchor or alias) is kept as its input text, after checking
 * that the text alone parses to the same data. The others become documents of their own, aliases inlined.
 */

import { Document, isMap, isNode, type Node, visit, type YAMLMap, type YAMLSeq } from 'yaml';
import { isTrivia } from '../text/lines.js';
import { BoundsCheck, exhaustedProblem } from './bounded-parse.js';
import { inlineAliases } from './inline-aliases.js';
import { Item, MalformedItem } from './item.js';
import { parseOptions } from './yaml-options.js';

/** Offset one past the end of the line holding `offset`. */
function afterLine(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

/** Where the lines of a node's content end: the start of the line after its last value. */
function contentEnd(text: string, node: Node): number | undefined {
  const valueEnd = node.range?.[1];
  if (valueEnd === undefined) return undefined;
  return valueEnd > 0 && text.charAt(valueEnd - 1) === '\n' ? valueEnd : afterLine(text, valueEnd);
}

/** The trivia lines in [from, to), or undefined when something else is there. */
function triviaLines(text: string, from: number, to: number): string[] | undefined {
  if (from >= to) return [];
  const lines = text.slice(from, to).replace(/\n$/, '').split('\n');
  return lines.every(isTrivia) ? lines : undefined;
}

/** `text` as an item when, parsed on its own, it gives the data the full parser found for it. */
function sameAlone(text: string, indent: number, data: unknown): Item | undefined {
  const item = Item.fromParsedText(text, indent);
  if (item.parseErrors.length > 0) return undefined;
  return JSON.stringify(item.data) === JSON.stringify(data) ? item : undefined;
}

/** The item as its input text, when that text alone parses to the same data. */
function textItem(
  text: string,
  document: Document,
  node: YAMLMap,
  lineStart: number,
  end: number,
): Item | undefined {
  const start = node.range?.[0] as number;
  if (!/^ *- +$/.test(text.slice(lineStart, start))) return undefined;
  const own = text.slice(lineStart, end).replace(/\n$/, '');
  if (own.includes('\r')) return undefined;
  return sameAlone(own, start - lineStart, node.toJS(document));
}

/**
 * The items of a parsed ResourceList: input text where it stands alone, documents otherwise, and the trivia lines
 * after the last item. Comment lines between items are taken from the text for every item (the parser hangs them
 * on whichever node is near), so each is written once, where it was. `itemsStart` is where the line after the
 * `items:` key begins; the document's aliases are inlined here.
 *
 * `duplicates` are the offsets of keys the parser found given twice. One inside an item that stands alone makes
 * that item its input text, read through the parser when a function reads it: the run then sets it aside with a
 * warning naming the key and its line, as it does for the same item on the line-splitting path. Offsets that fall
 * in no such item come back as `unplaced` (the caller refuses the input for them).
 */
export function parsedItems(
  text: string,
  document: Document,
  items: YAMLSeq | undefined,
  itemsStart: number,
  duplicates: readonly number[] = [],
): { items: Item[]; trailing: string[]; unplaced: number[] } {
  // A copy: refused items are taken out of the document below (the loop reads the document's, aliases inlined).
  const nodes = [...(items?.items ?? [])];
  // Bounds first, in document order (an alias may point into an earlier item): inlining an alias bomb, or
  // reading 100,000-deep nesting, is what they are there to prevent. A refused item leaves the document.
  const check = new BoundsCheck();
  const exhausted = document.errors.filter((e) => e.code === 'RESOURCE_EXHAUSTION').map((e) => e.pos[0]);
  const spans = nodes.map((node) => {
    const start = (node as Node).range?.[0];
    const end = contentEnd(text, node as Node);
    const lineStart = start === undefined ? undefined : text.lastIndexOf('\n', start - 1) + 1;
    const tooDeep =
      lineStart !== undefined && end !== undefined && exhausted.some((at) => at >= lineStart && at < end);
    const length = start === undefined || end === undefined ? 0 : end - start;
    const refusal = tooDeep ? exhaustedProblem() : check.check(node, length);
    return { start, end, lineStart, refusal };
  });
  for (const [index, span] of spans.entries()) if (span.refusal && items) items.items[index] = null;
  const alone = nodes.map(
    // An item holding its own anchors stands alone too: sameAlone keeps its text only when parsing it alone gives
    // the data the whole list gives (an alias into another item does not), so a second run writes it as it came.
    (node, index) => !spans[index]?.refusal && !items?.flow && isMap(node) && !node.flow,
  );
  inlineAliases(document);
  // An alias left after inlining names no anchor before it: that item cannot be read, the others can.
  for (const [index, span] of spans.entries()) {
    if (span.refusal) continue;
    // The document's node, not `nodes`: an item that was itself an alias has been replaced by a copy.
    const dangling = danglingAlias(items?.items[index]);
    if (dangling === undefined) continue;
    span.refusal = `the alias *${dangling} names no anchor set before it`;
    if (items) items.items[index] = null;
  }
  const placed = new Set<number>();
  const out: Item[] = [];
  let previousEnd: number | undefined = itemsStart;
  for (const [index, node] of (items?.items ?? []).entries()) {
    const { start, end, lineStart, refusal } = spans[index] as (typeof spans)[number];
    const leading =
      previousEnd === undefined || lineStart === undefined
        ? undefined
        : triviaLines(text, previousEnd, lineStart);
    const refused =
      refusal && lineStart !== undefined && end !== undefined && start !== undefined
        ? Item.refused(text.slice(lineStart, end).replace(/\n$/, ''), start - lineStart, refusal)
        : undefined;
    const inside =
      lineStart === undefined || end === undefined
        ? []
        : duplicates.filter((at) => at >= lineStart && at < end);
    const duplicated =
      !refused && inside.length > 0 && alone[index] && leading && lineStart !== undefined && end !== undefined
        ? duplicateKeyItem(text, node as YAMLMap, lineStart, end)
        : undefined;
    if (duplicated) for (const at of inside) placed.add(at);
    const kept =
      !refused && !duplicated && alone[index] && leading && lineStart !== undefined && end !== undefined
        ? textItem(text, document, node as YAMLMap, lineStart, end)
        : undefined;
    const item = refused ?? duplicated ?? kept ?? documentItem(node as Node, leading !== undefined);
    if (leading) item.leading = leading;
    out.push(item);
    previousEnd = end;
  }
  const seqEnd = items?.range?.[2];
  const trailing =
    previousEnd !== undefined && seqEnd !== undefined && nodes.length > 0
      ? (triviaLines(text, previousEnd, afterLine(text, Math.max(seqEnd - 1, previousEnd))) ?? [])
      : [];
  return {
    items: out,
    trailing: trailing.some((line) => line.trim() !== '') ? trailing : [],
    unplaced: duplicates.filter((at) => !placed.has(at)),
  };
}

/**
 * An item holding a key given twice, as its input text, made as the line-splitting path makes it: its header read
 * from its lines (through the parser when it holds a tab), its data through the parser, which reports the key and
 * its line within the item. Undefined when its text is not its own `- ` lines, or gives another duplicate-free
 * reading than the whole document's parse (so it could not be the same resource).
 */
function duplicateKeyItem(text: string, node: YAMLMap, lineStart: number, end: number): Item | undefined {
  const start = node.range?.[0] as number;
  if (!/^ *- +$/.test(text.slice(lineStart, start))) return undefined;
  const own = text.slice(lineStart, end).replace(/\n$/, '');
  if (own.includes('\r')) return undefined;
  // As the line-splitting path makes it: named from its header lines, unless a tab makes the parser read it.
  const indent = start - lineStart;
  const item = own.includes('\t') ? Item.fromParsedText(own, indent) : Item.fromText(own, indent);
  // The header is read from the lines only before the item is first parsed.
  void item.kind;
  // Alone, the text must show the same problem: a key given twice, and nothing worse.
  try {
    void item.node;
  } catch (e) {
    if (e instanceof MalformedItem && e.code === 'DUPLICATE_KEY') return item;
    return undefined;
  } finally {
    item.revert();
  }
  return undefined;
}

/** An item of its own document; its surrounding comments dropped when the text gives them instead. */
function documentItem(node: Node, commentsFromText: boolean): Item {
  if (commentsFromText) {
    node.commentBefore = null;
    node.spaceBefore = false;
    node.comment = null;
  }
  const itemDocument = new Document(null, parseOptions);
  itemDocument.contents = node;
  return Item.fromDocument(itemDocument);
}

/**
 * A document of a plain stream the full parser read, as its input text (from after its `---` line to the next
 * one) when that text alone parses to the same data; undefined otherwise. Anchors cannot reach across documents,
 * so every block-mapping document can stand alone.
 */
export function streamDocumentItem(text: string, document: Document, isFirst: boolean): Item | undefined {
  const contents = document.contents;
  if (!document.range || !isMap(contents) || contents.flow) return undefined;
  const [docStart, , docEnd] = document.range;
  let start = docStart;
  if (!isFirst || text.startsWith('---', docStart)) {
    const markerEnd = afterLine(text, docStart);
    if (text.slice(docStart, markerEnd).trim() !== '---') return undefined;
    start = markerEnd;
  } else {
    start = 0;
  }
  const own = text.slice(start, docEnd).replace(/\n$/, '');
  if (own.includes('\r')) return undefined;
  // Its bounds were checked (readStream): every alias may be followed.
  return sameAlone(own, 0, contents.toJS(document, { maxAliasCount: -1 }));
}

/** The source of the first alias still in a node, if any. */
function danglingAlias(node: unknown): string | undefined {
  let found: string | undefined;
  if (!isNode(node)) return undefined;
  visit(node, {
    Alias(_, alias) {
      found = alias.source;
      return visit.BREAK;
    },
  });
  return found;
}
