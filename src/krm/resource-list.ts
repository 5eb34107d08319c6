/** Reading and writing the KRM ResourceList (`config.kubernetes.io/v1`) and plain YAML streams. */
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  type Node,
  parseAllDocuments,
  parseDocument,
  stringify,
  YAMLMap,
} from 'yaml';
import { type Section, type Split, splitResourceList } from '../text/split-list.js';
import { splitStream } from '../text/split-stream.js';
import { BoundsCheck, boundsProblem } from './bounded-parse.js';
import { inlineAliases } from './inline-aliases.js';
import { asObject, Item, type Resource } from './item.js';
import { type JsonLayout, readJsonDocument, readJsonList, writeJsonList } from './json-resource-list.js';
import {
  checkHead,
  duplicateKeyProblem,
  readResults,
  repeatedKey,
  resourceListApiVersion,
} from './list-envelope.js';
import { malformedTextProblem } from './malformed-text.js';
import { failure, type Outcome, success } from './outcome.js';
import { parsedItems, streamDocumentItem } from './parsed-items.js';
import { error, type Result } from './results.js';
import { parseOptions, stringifyOptions } from './yaml-options.js';
import { holdsSeveralDocuments, lineOf, severalDocumentsMessage, yamlErrorMessage } from './yaml-problems.js';

/** Layout of the input, so the output keeps its section order and trivia. */
type Layout =
  | { form: 'split'; split: Split }
  | { form: 'json'; json: JsonLayout }
  | {
      form: 'parsed';
      functionConfig: Node | undefined;
      itemsTrailing: string[];
      /** Blank lines after the functionConfig section, which the line-splitting path keeps with it. */
      functionConfigBlankLines: number;
    };

/** A ResourceList as read from stdin. */
export interface ResourceList {
  items: Item[];
  functionConfig: Resource | undefined;
  /** Results the input already carried (a previous function's); written back before this run's. */
  results: Result[];
  layout: Layout;
}

/** Reads a ResourceList; line splitting when possible, the full `yaml` parser otherwise. */
export function readResourceList(text: string): Outcome<ResourceList> {
  if (text.trim() === '') {
    return failure([error('no input: expected a ResourceList on stdin')]);
  }
  const json = startsLikeJson(text) ? fromJson(text) : undefined;
  if (json) return json;
  const split = splitResourceList(text);
  if (split) return fromSplit(split);
  return fromParsed(text);
}

/** True when the first character past leading whitespace opens a JSON object. */
function startsLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return c === 123; /* { */
  }
  return false;
}

/** A ResourceList written as JSON, read with JSON.parse; undefined when only the YAML reader may read it. */
function fromJson(text: string): Outcome<ResourceList> | undefined {
  const read = readJsonList(text);
  if (!read) return undefined;
  const { head, items, layout } = read;
  const problems = checkHead(head, Object.hasOwn(head, 'items'));
  if (problems.length > 0) return failure(problems);
  const results = readResults(head.results);
  if (!results.ok) return results;
  return success({
    items,
    functionConfig: asObject(head.functionConfig),
    results: results.value,
    layout: { form: 'json', json: layout },
  });
}

function parseSection(section: Section): { value: unknown; errors: string[] } {
  const text = section.lines.join('\n');
  const document = parseDocument(text, parseOptions);
  const problem = boundsProblem(document, text.length);
  if (problem) return { value: undefined, errors: [`refused: ${problem}`] };
  const errors = document.errors.map((e) => yamlErrorMessage(e, text, section.key));
  try {
    return { value: document.toJS({ maxAliasCount: -1 }) as unknown, errors };
  } catch (e) {
    // An alias whose anchor is not in this section (in an item, or after the alias).
    return { value: undefined, errors: [...errors, `it cannot be read: ${(e as Error).message}`] };
  }
}

function fromSplit(split: Split): Outcome<ResourceList> {
  const repeated = repeatedKey(split.sections.map((s) => s.key));
  if (repeated !== undefined) return failure([duplicateKeyProblem(repeated)]);
  const head: Record<string, unknown> = {};
  for (const section of split.sections) {
    if (section.key === 'items') continue;
    const parsed = parseSection(section);
    if (parsed.errors.length > 0) {
      return failure([error(`malformed YAML in ${section.key}: ${parsed.errors[0]}`)]);
    }
    Object.assign(head, asObject(parsed.value));
  }
  const problems = checkHead(
    head,
    split.sections.some((s) => s.key === 'items'),
  );
  if (problems.length > 0) return failure(problems);
  const results = readResults(head.results);
  if (!results.ok) return results;
  const items = itemsOfSplit(split);
  if (!items.ok) return items;
  return success({
    items: items.value,
    functionConfig: asObject(head.functionConfig),
    results: results.value,
    layout: { form: 'split', split },
  });
}

/** The entries of a split `items:` sequence as items, each its text; a malformed one refuses them all, named. */
function itemsOfSplit(split: Split): Outcome<Item[]> {
  const items = split.items.map((entry) => {
    // The header and block readers assume space-separated lines: an item holding a tab is read by the parser.
    const item =
      entry.anchored || entry.tabbed
        ? Item.fromParsedText(entry.text, entry.indent)
        : Item.fromText(entry.text, entry.indent);
    item.leading = entry.leading;
    // Aliases are where the work can explode: an item holding them is bounds-checked now, not when first read.
    if (entry.anchored) void item.isMapping;
    return item;
  });
  const malformed = items.flatMap((item, index) => {
    const entry = split.items[index] as Split['items'][number];
    return malformedTextProblem(item, entry.text, entry.indent, `items[${index}]`, entry.tabbed) ?? [];
  });
  return malformed.length > 0 ? failure(malformed) : success(items);
}

/**
 * The items of any document with an `items:` sequence (a `kind: List`), read by lines as a ResourceList's are;
 * undefined when the line splitter cannot cut it (the caller parses it whole) or it has no items section.
 */
export function listItemsByLines(text: string): Outcome<Item[]> | undefined {
  const split = splitResourceList(text);
  if (!split || !split.sections.some((s) => s.key === 'items')) return undefined;
  if (repeatedKey(split.sections.map((s) => s.key)) !== undefined) return undefined;
  return itemsOfSplit(split);
}

function fromParsed(text: string): Outcome<ResourceList> {
  const document = parseDocument(text, parseOptions);
  if (holdsSeveralDocuments(document.errors)) {
    return failure([error(severalDocumentsMessage(text))]);
  }
  const root = document.contents;
  // The parser reports a repeated key without naming it: at the top level the key says what is wrong.
  const repeated = isMap(root)
    ? repeatedKey(root.items.map((p) => (isScalar(p.key) ? p.key.value : p.key)))
    : undefined;
  if (repeated !== undefined) return failure([duplicateKeyProblem(repeated)]);
  // Nesting too deep for the parser is an item's problem (parsedItems refuses that item), not the whole input's;
  // so is a key given twice inside an item (parsedItems keeps it as its text, set aside when read, as on the
  // line-splitting path), unless parsedItems cannot place it in an item's own lines.
  const malformed = (e: (typeof document.errors)[number]) =>
    error(`malformed YAML: ${yamlErrorMessage(e, text)}`);
  const itemsSeq = isMap(root) ? root.get('items', true) : undefined;
  const itemsRange = (isSeq(itemsSeq) && !itemsSeq.flow && itemsSeq.range) || undefined;
  const inItems = (e: (typeof document.errors)[number]) =>
    e.code === 'DUPLICATE_KEY' &&
    itemsRange !== undefined &&
    e.pos[0] >= itemsRange[0] &&
    e.pos[0] < itemsRange[2];
  const errors = document.errors.filter((e) => e.code !== 'RESOURCE_EXHAUSTION' && !inItems(e));
  if (errors.length > 0) return failure(errors.map(malformed));
  if (!isMap(root)) return failure([error('input is not a ResourceList (not a mapping)')]);
  const duplicates = document.errors.filter(inItems);
  const head = headOf(root, document, text.length);
  if (typeof head === 'string') return failure([error(head)]);
  const problems = checkHead(head, root.has('items'));
  if (problems.length > 0) return failure(problems);
  const results = readResults(head.results);
  if (!results.ok) return results;
  const itemsPair = root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'items');
  const itemsNode = itemsPair?.value;
  if (itemsNode !== null && itemsNode !== undefined && !isSeq(itemsNode)) {
    return failure([error('items must be a list of resources', { path: 'items' })]);
  }
  const keyEnd = (itemsPair?.key as Node | undefined)?.range?.[1] ?? 0;
  const itemsStart = text.indexOf('\n', keyEnd) < 0 ? text.length : text.indexOf('\n', keyEnd) + 1;
  // Items that are not mappings are kept too: the run reports them (item-checks.ts) and writes them back.
  const parsed = parsedItems(
    text,
    document,
    itemsNode ?? undefined,
    itemsStart,
    duplicates.map((e) => e.pos[0]),
  );
  const unplaced = duplicates.filter((e) => parsed.unplaced.includes(e.pos[0]));
  if (unplaced.length > 0) return failure(unplaced.map(malformed));
  const items = parsed.items;
  const functionConfigNode = root.get('functionConfig', true) as Node | undefined;
  return success({
    items,
    functionConfig: asObject(head.functionConfig),
    results: results.value,
    layout: {
      form: 'parsed',
      functionConfig: functionConfigNode,
      itemsTrailing: parsed.trailing,
      functionConfigBlankLines: blankLinesAfter(root, 'functionConfig', text),
    },
  });
}

/**
 * How many blank lines follow the value of a top-level key before the next key (or the end): only whitespace
 * there, else 0. A second run that reads its input through the parser (carried results can look like aliases to
 * the splitter) then writes what the first, line-split, run wrote.
 */
function blankLinesAfter(root: YAMLMap, key: string, text: string): number {
  const index = root.items.findIndex((pair) => isScalar(pair.key) && pair.key.value === key);
  const value = root.items[index]?.value as Node | null | undefined;
  const end = value?.range?.[1];
  if (index < 0 || end === undefined) return 0;
  const next = (root.items[index + 1]?.key as Node | undefined)?.range?.[0] ?? text.length;
  const between = text.slice(end, next);
  if (!/^[^\S\n]*(?:\n[^\S\n]*)*$/.test(between)) return 0;
  // A block value's range ends after its last line break, a scalar's before it.
  const breaks = between.split('\n').length - 1;
  return Math.max(0, text[end - 1] === '\n' ? breaks : breaks - 1);
}

/** The ResourceList's fields but items, as data; a problem when one crosses a bound (README, "Limits"). */
function headOf(root: YAMLMap, document: Document, textLength: number): Record<string, unknown> | string {
  const head: Record<string, unknown> = {};
  const check = new BoundsCheck();
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    // The items are read one by one (parsedItems): only whether there are any matters here.
    if (key === 'items') {
      head.items = [];
      continue;
    }
    const value = pair.value as Node | null;
    const problem = check.check(value, textLength);
    if (problem) return `${key} is refused: ${problem}`;
    try {
      head[key] = value === null ? null : value.toJS(document, { maxAliasCount: -1 });
    } catch (e) {
      // An alias whose anchor is not where the parser looks (inside an item, after the alias).
      return `${key} cannot be read: ${(e as Error).message}`;
    }
  }
  return head;
}

function renderResults(results: readonly Result[]): string {
  if (results.length === 0) return '';
  // Results that share one resourceRef object (every config problem does) must not come out as anchors and
  // aliases: a reader of the output would then take the full-parser path and re-render untouched items.
  return stringify({ results }, { ...stringifyOptions(false), aliasDuplicateObjects: false });
}

/** Adds the items' texts (each after its leading trivia) to the output lines. */
function pushItems(out: string[], items: readonly Item[], seqIndent: number): void {
  for (const item of items) {
    if (item.leading.length > 0) out.push(item.leading.join('\n'));
    out.push(item.toEntry(seqIndent));
  }
}

/**
 * Writes a ResourceList: the input's sections in their order, the items, then all results. The parts are joined
 * once, at the end: each join or concatenation of the whole output copies megabytes (and stdout would copy a
 * concatenation once more to flatten it).
 */
export function writeResourceList(list: ResourceList, results: readonly Result[]): string {
  const allResults = [...list.results, ...results];
  const out: string[] = [];
  const layout = list.layout;
  if (layout.form === 'json') return writeJsonList(layout.json, list.items, allResults);
  if (layout.form === 'split') {
    const { split } = layout;
    for (const section of split.sections) {
      if (section.key === 'results') continue;
      if (section.key !== 'items') {
        out.push(section.lines.join('\n'));
        continue;
      }
      const keyLines = section.lines.slice(0, -1);
      out.push(...keyLines);
      out.push(list.items.length === 0 ? 'items: []' : 'items:');
      if (list.items.length > 0) pushItems(out, list.items, split.seqIndent);
      if (split.itemsTrailing.length > 0) out.push(split.itemsTrailing.join('\n'));
    }
  } else {
    out.push(`apiVersion: ${resourceListApiVersion}`, 'kind: ResourceList');
    out.push(list.items.length === 0 ? 'items: []' : 'items:');
    pushItems(out, list.items, 0);
    if (layout.itemsTrailing.length > 0) out.push(layout.itemsTrailing.join('\n'));
    if (layout.functionConfig) {
      const wrapper = new Document(new YAMLMap(), parseOptions);
      (wrapper.contents as YAMLMap).set('functionConfig', layout.functionConfig);
      out.push(wrapper.toString(stringifyOptions(false)).replace(/\n$/, ''));
      for (let n = 0; n < layout.functionConfigBlankLines; n++) out.push('');
    }
  }
  out.push(renderResults(allResults));
  return out.join('\n');
}

/** A ResourceList made from nothing but results, for input that could not be read at all. */
export function writeFailure(results: readonly Result[]): string {
  return `apiVersion: ${resourceListApiVersion}\nkind: ResourceList\nitems: []\n${renderResults(results)}`;
}

/** Reads a plain multi-document YAML stream (legacy kustomize plugins, Helm post-renderers). */
export function readStream(text: string): Outcome<Item[]> {
  // One JSON document (`kubectl get -o json`: a List): read by JSON.parse, its List flattened by the caller.
  const json = startsLikeJson(text) ? readJsonDocument(text) : undefined;
  if (json) return success([json]);
  const split = splitStream(text);
  if (split) {
    const items = split.documents.map((d) => {
      // Every line ends with its newline: a blank last line can belong to a keep-chomping (`|+`) scalar's value.
      const text = `${d.lines.join('\n')}\n`;
      const alone = d.tabbed || d.anchored;
      const item = alone ? Item.fromParsedText(text, 0) : Item.fromText(text, 0);
      item.leading = d.leading;
      // Aliases are where the work can explode: an item holding them is bounds-checked now, not when first read.
      if (d.anchored) void item.isMapping;
      return item;
    });
    const problems = items.flatMap((item, index) => {
      const document = split.documents[index];
      const alone = document?.tabbed === true || document?.anchored === true;
      const refusal = item.refusal;
      if (refusal)
        return [error(`document ${index} (${item.describe() || 'unnamed'}) is refused: ${refusal}`)];
      return malformedTextProblem(item, item.inputText ?? '', 0, `document ${index}`, alone) ?? [];
    });
    return problems.length > 0 ? failure(problems) : success(items);
  }
  const problems: Result[] = [];
  const items: Item[] = [];
  let first = true;
  for (const [index, document] of parseAllDocuments(text, parseOptions).entries()) {
    // Before any toJS or inlining: an alias bomb or nesting too deep is refused here, naming the document.
    const range = document.range;
    const refusal = boundsProblem(document, range ? range[2] - range[0] : text.length);
    if (refusal) {
      problems.push(error(`document ${index}${streamLabel(document)} is refused: ${refusal}`));
      continue;
    }
    if (document.errors.length > 0) {
      problems.push(
        ...document.errors.map((e) => error(`malformed YAML in document ${index}: ${e.message}`)),
      );
      continue;
    }
    if (document.contents === null) continue;
    if (!isMap(document.contents)) {
      problems.push(error(`document ${index} is not a resource (a YAML mapping)`));
      continue;
    }
    try {
      const kept = streamDocumentItem(text, document, first);
      first = false;
      if (kept) {
        items.push(kept);
        continue;
      }
      inlineAliases(document);
      items.push(Item.fromDocument(document));
    } catch (e) {
      // yaml reports an alias whose anchor is not in its document only when it is followed. Anchors are per
      // document: one set in an earlier document of the stream does not count.
      problems.push(
        error(
          `document ${index}${streamLabel(document)} cannot be read: ${(e as Error).message} (anchors do not reach across documents)`,
        ),
      );
    }
  }
  return problems.length > 0 ? failure(problems) : success(items);
}

/** ` (Kind/namespace/name)` of a stream document, from its top-level scalars only (no alias is followed). */
function streamLabel(document: Document): string {
  const root = document.contents;
  if (!isMap(root)) return '';
  const scalar = (node: unknown): string | undefined =>
    isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
  const metadata = root.get('metadata', true);
  const kind = scalar(root.get('kind', true));
  const name = isMap(metadata) ? scalar(metadata.get('name', true)) : undefined;
  const namespace = isMap(metadata) ? scalar(metadata.get('namespace', true)) : undefined;
  if (kind === undefined || name === undefined) return '';
  return ` (${kind}/${namespace ? `${namespace}/` : ''}${name})`;
}

/**
 * Writes items as a plain YAML stream separated by `---`, each after the comment lines that stood before it; with
 * `marker`, the stream starts with `---` as the input did (`helm template` output does).
 */
export function writeStream(items: readonly Item[], options: { marker?: boolean } = {}): string {
  const documents = items.map((item) => {
    const leading = item.leading.length > 0 ? `${item.leading.join('\n')}\n` : '';
    return leading + item.toDocument();
  });
  return (options.marker && items.length > 0 ? '---\n' : '') + documents.join('---\n');
}

/** True when a stream's first line is a `---` document marker. */
export const startsWithMarker = (text: string): boolean => /^---[ \t]*(?:\n|$)/.test(text);

/**
 * The error for input holding invalid UTF-8: the byte offset, the line, and the resource it is in when the items
 * (read from the text with U+FFFD in its place) show which one. The run stops there: replacing the bytes would
 * change the resource, and the function cannot pass them through.
 */
export function invalidUtf8Problem(
  text: string,
  invalid: { byte: number; char: number },
  items: readonly Item[],
): Result {
  const line = lineOf(text, invalid.char);
  let cursor = 0;
  let holder: Item | undefined;
  for (const item of items) {
    const own = item.inputText;
    if (own === undefined) continue;
    const start = text.indexOf(own, cursor);
    if (start < 0) continue;
    cursor = start + own.length;
    if (invalid.char >= start && invalid.char < cursor) {
      holder = item;
      break;
    }
  }
  const where = holder ? ` in ${holder.describe()}` : '';
  const message = `invalid UTF-8 at byte ${invalid.byte} (line ${line})${where}: the input must be UTF-8 text; nothing was changed`;
  return error(message, holder ? { ref: holder.ref, file: holder.file } : {});
}
