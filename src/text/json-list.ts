/**
 * Where the entries of a JSON document's top-level `items` array stand in its text (`kubectl get -o json`, a
 * ResourceList written as JSON), found in one pass that only follows strings and brackets. JSON is YAML, but the
 * `yaml` package reads it about 40 times slower than `JSON.parse`; with these ranges each untouched entry is
 * written back as its own text. The scan also finds what `JSON.parse` would hide: a key given twice (it keeps the
 * last silently; Kubernetes' YAML readers refuse it) and nesting past a bound. Inside an item, a repeated key marks
 * that item; anywhere else either gives undefined, as does text that is not a JSON object, and the caller reads the
 * text with the YAML parser, which reports it.
 */

/** An entry's text is text.slice(start, end). */
export interface Range {
  start: number;
  end: number;
}

/** The layout of a JSON object holding an `items` array. */
export interface JsonListLayout {
  /** The top-level members in order: each key, and the text from its opening quote to the end of its value. */
  members: { key: string; range: Range }[];
  /** Offsets of the `[` and `]` of the top-level `items` array; -1 when there is no such array. */
  itemsOpen: number;
  itemsClose: number;
  /**
   * Each entry of that array (objects only: another value gives undefined for the whole scan); `repeated` marks
   * one holding a key given twice, which only the YAML reader may read (it reports the key and the resource).
   */
  items: (Range & { repeated?: true })[];
}

/** Character codes the scan looks at. */
const Code = {
  Quote: 34,
  Backslash: 92,
  Comma: 44,
  Colon: 58,
  OpenBrace: 123,
  CloseBrace: 125,
  OpenBracket: 91,
  CloseBracket: 93,
} as const;

/** End (offset after the closing quote) of the string whose opening quote is at `at`; -1 when unterminated. */
function stringEnd(text: string, at: number): number {
  let close = text.indexOf('"', at + 1);
  while (close >= 0) {
    let slashes = 0;
    while (text.charCodeAt(close - 1 - slashes) === Code.Backslash) slashes++;
    if (slashes % 2 === 0) return close + 1;
    close = text.indexOf('"', close + 1);
  }
  return -1;
}

/** A key's text as `JSON.parse` reads it (escapes resolved), so `"a"` and `"\u0061"` count as the same key. */
function keyOf(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end - 1);
  return raw.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : raw;
}

/** Keys of one open object, for spotting a repeat; small objects (most) are searched in an array. */
class KeySet {
  private list: string[] = [];
  private set: Set<string> | undefined;

  /** Adds a key; false when it was there already. */
  add(key: string): boolean {
    if (this.set) {
      if (this.set.has(key)) return false;
      this.set.add(key);
      return true;
    }
    if (this.list.includes(key)) return false;
    this.list.push(key);
    if (this.list.length > 16) this.set = new Set(this.list);
    return true;
  }
}

/**
 * The layout of `text` when it is one JSON object whose keys are unique at every level and whose nesting stays
 * within `maxDepth` levels below its items; undefined otherwise. Validity beyond that is `JSON.parse`'s to check.
 */
export function scanJsonList(text: string, maxDepth: number): JsonListLayout | undefined {
  const n = text.length;
  let i = 0;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== Code.OpenBrace) return undefined;
  // One entry per open collection: its keys when it is an object, null for an array.
  const stack: (KeySet | null)[] = [];
  let expectKey = false;
  let lastKeyAtTop: string | undefined;
  let itemsOpen = -1;
  let itemsClose = -1;
  const items: JsonListLayout['items'] = [];
  let entryStart = -1;
  let entryRepeated = false;
  const members: JsonListLayout['members'] = [];
  let memberStart = -1;
  const closeMember = (at: number) => {
    let end = at;
    while (end > memberStart && isSpace(text.charCodeAt(end - 1))) end--;
    if (memberStart >= 0 && lastKeyAtTop !== undefined)
      members.push({ key: lastKeyAtTop, range: { start: memberStart, end } });
    memberStart = -1;
  };
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === Code.Quote) {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      if (expectKey) {
        const keys = stack[stack.length - 1] as KeySet;
        const key = keyOf(text, i, end);
        if (!keys.add(key)) {
          // Inside an item: that item is the YAML reader's; anywhere else the whole text is.
          if (stack.length > 2 && entryStart >= 0 && itemsClose < 0) entryRepeated = true;
          else return undefined;
        }
        if (stack.length === 1) {
          lastKeyAtTop = key;
          memberStart = i;
        }
        expectKey = false;
      } else if (stack.length === 2 && itemsOpen >= 0 && itemsClose < 0) return undefined; // a string entry
      i = end - 1;
      continue;
    }
    if (c === Code.OpenBrace || c === Code.OpenBracket) {
      if (stack.length === 2 && itemsOpen >= 0 && itemsClose < 0) {
        if (c !== Code.OpenBrace) return undefined; // an entry that is not an object
        entryStart = i;
      }
      if (stack.length === 1 && lastKeyAtTop === 'items' && c === Code.OpenBracket && itemsOpen < 0)
        itemsOpen = i;
      if (stack.length > maxDepth + 2) return undefined;
      const keys = c === Code.OpenBrace ? new KeySet() : null;
      stack.push(keys);
      expectKey = c === Code.OpenBrace;
      continue;
    }
    if (c === Code.CloseBrace || c === Code.CloseBracket) {
      if (stack.length === 1) closeMember(i);
      stack.pop();
      if (stack.length === 2 && entryStart >= 0 && itemsClose < 0) {
        items.push(
          entryRepeated
            ? { start: entryStart, end: i + 1, repeated: true }
            : { start: entryStart, end: i + 1 },
        );
        entryRepeated = false;
        entryStart = -1;
      }
      if (stack.length === 1 && i > itemsOpen && itemsOpen >= 0 && itemsClose < 0) itemsClose = i;
      if (stack.length === 0) {
        // Only whitespace may follow the object.
        for (let k = i + 1; k < n; k++) if (!isSpace(text.charCodeAt(k))) return undefined;
        return { members, itemsOpen, itemsClose, items };
      }
      continue;
    }
    if (c === Code.Comma) {
      if (stack.length === 1) closeMember(i);
      expectKey = stack[stack.length - 1] !== null;
      continue;
    }
    // Numbers, true, false, null and whitespace need no attention; a scalar entry of items is refused.
    if (stack.length === 2 && itemsOpen >= 0 && itemsClose < 0 && !isSpace(c) && c !== Code.Colon)
      return undefined;
  }
  return undefined;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** The whitespace just before offset `at` back to the previous non-space (the indentation of what stands there). */
export function spaceBefore(text: string, at: number): string {
  let from = at;
  while (from > 0 && isSpace(text.charCodeAt(from - 1))) from--;
  return text.slice(from, at);
}
