/**
 * A ResourceList written as JSON (JSON is YAML: kpt and kustomize accept it, `kubectl get -o json` and many tools
 * emit it), read with `JSON.parse` and written back as JSON: each untouched item as its own text, changed and new
 * ones as JSON in the input's indentation. The `yaml` package reads JSON about 40 times slower than `JSON.parse`.
 * Anything the JSON scan doubts (a key given twice, nesting past the bound, text that is not one JSON object, an
 * item that is not an object) goes to the YAML reader instead, which reports it as it reports any input.
 */
import { type JsonListLayout, scanJsonList, spaceBefore } from '../text/json-list.js';
import { Item, type Resource } from './item.js';
import { currentLimits } from './limits.js';
import type { Result } from './results.js';

/** How a JSON input was laid out, to write the output the same way. */
export interface JsonLayout {
  text: string;
  layout: JsonListLayout;
  /** The indentation step ('' for compact JSON) and the whitespace before the top-level keys and the items. */
  unit: string;
  memberSpace: string;
  itemSpace: string;
}

/** The parsed JSON ResourceList and its layout; undefined when the YAML reader must read the text. */
export function readJsonList(
  text: string,
): { head: Record<string, unknown>; items: Item[]; layout: JsonLayout } | undefined {
  const layout = scanJsonList(text, currentLimits().maxDepth);
  if (!layout) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const data = parsed as Record<string, unknown>;
  // No items, or items that are not a list: the YAML reader's messages say what is wrong.
  if (!Array.isArray(data.items)) return undefined;
  const entries = data.items as Resource[];
  if (entries.length !== layout.items.length) return undefined;
  // An item holding a key given twice is read as the YAML it also is: set aside, named, when a function reads it.
  const items = layout.items.map((range, index) =>
    range.repeated
      ? Item.fromParsedText(text.slice(range.start, range.end), 0)
      : Item.fromJson(text.slice(range.start, range.end), entries[index] as Resource),
  );
  const head = { ...data, items: [] };
  const first = layout.members[0];
  const memberSpace = first ? spaceBefore(text, first.range.start) : '';
  const firstItem = layout.items[0];
  const itemSpace = firstItem ? spaceBefore(text, firstItem.start) : '';
  const newline = memberSpace.lastIndexOf('\n');
  const unit = newline < 0 ? '' : memberSpace.slice(newline + 1);
  return { head, items, layout: { text, layout, unit, memberSpace, itemSpace } };
}

/**
 * The ResourceList as JSON: the input's members in their order (items replaced by `items`, results dropped), then
 * all results.
 */
export function writeJsonList(json: JsonLayout, items: readonly Item[], results: readonly Result[]): string {
  const { text, layout, unit, memberSpace } = json;
  const compact = unit === '';
  // Items added to an empty list go one level in from the keys.
  const itemSpace = json.itemSpace !== '' ? json.itemSpace : compact ? '' : `${memberSpace}${unit}`;
  const itemIndent = itemSpace.slice(itemSpace.lastIndexOf('\n') + 1);
  const colon = compact ? ':' : ': ';
  const members: string[] = [];
  for (const member of layout.members) {
    if (member.key === 'results') continue;
    if (member.key !== 'items') {
      members.push(text.slice(member.range.start, member.range.end));
      continue;
    }
    const entries = items.map((item) => item.toJsonText(unit, itemIndent));
    const close = entries.length === 0 || compact ? '' : memberSpace;
    members.push(`"items"${colon}[${entries.map((e) => `${itemSpace}${e}`).join(',')}${close}]`);
  }
  if (results.length > 0) {
    const memberIndent = memberSpace.slice(memberSpace.lastIndexOf('\n') + 1);
    const written = JSON.stringify(results, null, unit);
    members.push(`"results"${colon}${compact ? written : written.replaceAll('\n', `\n${memberIndent}`)}`);
  }
  const end = spaceBefore(text, text.trimEnd().length - 1);
  const trailing = text.slice(text.trimEnd().length);
  return `{${members.map((m) => `${memberSpace}${m}`).join(',')}${end}}${trailing}`;
}

/** One JSON object as a stream's item (a resource, or a List flattened later); undefined for the YAML reader. */
export function readJsonDocument(text: string): Item | undefined {
  if (!scanJsonList(text, currentLimits().maxDepth)) return undefined;
  try {
    const data = JSON.parse(text) as unknown;
    return typeof data === 'object' && data !== null && !Array.isArray(data)
      ? Item.fromJson(text, data as Resource)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The entries of a JSON List item's `items` as items, each its own text; undefined when the scan doubts it. */
export function jsonListEntries(item: Item): Item[] | undefined {
  const text = item.inputText;
  if (text === undefined || !item.isJson) return undefined;
  const layout = scanJsonList(text, currentLimits().maxDepth);
  const entries = item.data.items;
  if (!layout || !Array.isArray(entries) || entries.length !== layout.items.length) return undefined;
  return layout.items.map((range, index) =>
    range.repeated
      ? Item.fromParsedText(text.slice(range.start, range.end), 0)
      : Item.fromJson(text.slice(range.start, range.end), entries[index] as Resource),
  );
}
