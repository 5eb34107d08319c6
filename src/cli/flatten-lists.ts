/**
 * List documents flattened into their items, as kubectl does. apimachinery decodes a document as a list when its
 * kind ends in `List` and it has `items` (`kind: List`, and kube-prometheus' ConfigMapList, RoleList,
 * RoleBindingList), and kubectl applies the items one by one. Functions work on resources: a List left whole would
 * be refused as a resource without a name, and the resources inside it would never be seen.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, type Node, parseDocument, type YAMLSeq } from 'yaml';
import {
  asDecoded,
  type DecodedInput,
  error,
  failure,
  type Item,
  invalidUtf8Problem,
  isTrivia,
  jsonListEntries,
  listItemsByLines,
  type Outcome,
  parsedItems,
  parseOptions,
  type Result,
  readStream,
  success,
} from '../krm/index.js';

/** Where a document came from, for messages: its label and, from a file, the file and document index. */
export interface Origin {
  label: string;
  file?: { path: string; index: number };
}

/** True when kubectl would read the item as a list: a kind ending in `List`, with an `items` key. */
function isList(item: Item): boolean {
  // The kind comes from the header line; only a List-like kind is parsed to look for `items`.
  return item.kind.endsWith('List') && item.isMapping && Object.hasOwn(item.data, 'items');
}

/** Offset of the line after the one holding `offset` (where a block sequence under a key starts). */
function nextLine(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

/** The `items` value of a parsed List: its sequence, or null for an empty one, or the problem with it. */
function itemsOf(value: Node | null | undefined, kind: string, document: Document): YAMLSeq | null | string {
  // `items:` with no value is an empty list to kubectl.
  if (value === null || value === undefined || (isScalar(value) && value.value === null)) return null;
  if (!isSeq(value)) return `the items of the ${kind} are not a list`;
  // An alias to a resource is one (parsedItems inlines it).
  const resolved = (entry: unknown) => (isAlias(entry) ? entry.resolve(document) : entry);
  const wrong = value.items.flatMap((entry, index) => (isMap(resolved(entry)) ? [] : [`items[${index}]`]));
  if (wrong.length === 0) return value;
  return `${wrong.join(', ')} of the ${kind} ${wrong.length > 1 ? 'are' : 'is'} not a resource (a YAML mapping)`;
}

/**
 * The resources of a List item (Lists inside it flattened too), each a plain input item written as its own text
 * where that text stands alone; the item itself when it is not a List.
 */
export function flattenList(item: Item, origin: Origin): Outcome<Item[]> {
  if (!isList(item)) return success([item]);
  const json = jsonListEntries(item);
  if (json) return flattenEntries(item, '', json, origin);
  const text = item.toDocument();
  // Read by lines where the List allows it: the full parser takes minutes on a List of tens of thousands of items.
  const byLines = listItemsByLines(text);
  if (byLines?.ok && byLines.value.every((entry) => entry.kind !== '' && entry.apiVersion !== ''))
    return flattenEntries(item, text, byLines.value, origin);
  const document = parseDocument(text, parseOptions);
  const root = document.contents;
  const pair = isMap(root) ? root.items.find((p) => isScalar(p.key) && p.key.value === 'items') : undefined;
  const seq = itemsOf(pair?.value as Node | null | undefined, item.kind, document);
  if (typeof seq === 'string') {
    const where = origin.file ? { file: origin.file } : {};
    return failure([error(`${origin.label}: ${seq}`, { ...where, path: 'items' })]);
  }
  if (seq === null) return success([]);
  const keyEnd = (pair?.key as Node | undefined)?.range?.[1] ?? 0;
  const entries = parsedItems(text, document, seq, nextLine(text, keyEnd)).items;
  return flattenEntries(item, text, entries, origin);
}

/** The List's entries as resources (Lists among them flattened), its comments kept above them. */
function flattenEntries(item: Item, text: string, entries: Item[], origin: Origin): Outcome<Item[]> {
  // Comments go where the resources now stand: the List's heading above its first resource, all at column 0.
  const lines = text.split('\n');
  const heading = lines.slice(
    0,
    lines.findIndex((line) => !isTrivia(line)),
  );
  for (const entry of entries) entry.leading = entry.leading.map((line) => line.trimStart());
  if (entries[0]) entries[0].leading = [...item.leading, ...heading, ...entries[0].leading];
  const items: Item[] = [];
  for (const [index, entry] of entries.entries()) {
    const inner = flattenList(entry, { ...origin, label: `${origin.label} items[${index}]` });
    if (!inner.ok) return inner;
    items.push(...inner.value);
  }
  return success(items);
}

/** Every item with its Lists flattened; `origin` names the document at an index, for messages. */
export function flattenLists(
  items: readonly Item[],
  origin: (index: number) => Origin,
): { items: Item[]; problems: Result[] } {
  const out: Item[] = [];
  const problems: Result[] = [];
  for (const [index, item] of items.entries()) {
    const flat = flattenList(item, origin(index));
    if (flat.ok) out.push(...flat.value);
    else problems.push(...flat.problems);
  }
  return { items: out, problems };
}

/** A plain YAML stream (stdin of the stream modes) read as resources, its Lists flattened. */
export function readResourceStream(input: string | DecodedInput): Outcome<Item[]> {
  const decoded = asDecoded(input);
  const read = readStream(decoded.text);
  if (decoded.invalid) return failure([invalidUtf8Problem(decoded.text, decoded.invalid, read.value ?? [])]);
  if (!read.ok) return read;
  const flat = flattenLists(read.value, (index) => ({ label: `document ${index} of the input` }));
  return flat.problems.length > 0 ? failure(flat.problems) : success(flat.items);
}
