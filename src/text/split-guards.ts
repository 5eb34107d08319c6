/** What the splitters refuse outright, before cutting lines: constructs that make line structure unreliable. */

/**
 * Anchors, aliases, tags on items, directives, document markers, complex keys and CR line ends make the line
 * structure unreliable. Each pattern runs only when the text holds characters every match of it needs: one
 * expression with all the alternatives cost 60 ms on a 13 MB input, and most inputs hold none of `& * ! ? `.
 * Tabs are the splitters' to rule on, line by line (tab-rule.ts): one left of an item's content column sends the
 * input to the full parser, any other only makes the item holding it read through the parser, alone.
 */
export function unsplittable(text: string, options: { anchors?: 'refuse' | 'allow' } = {}): boolean {
  if (text.includes('\r')) return true;
  if (text.includes('%') && /^%/m.test(text)) return true;
  // Indented too: an item is parsed alone at column 0, where `...` at its keys' column would end the document.
  if (text.includes('...') && /^ *\.\.\.(?:[ \t]|$)/m.test(text)) return true;
  // Likewise `---`: indented, it continues a plain scalar for the full parser; at column 0 it starts a document.
  if (text.includes('---') && /^ +---(?:[ \t]|$)/m.test(text)) return true;
  if (text.includes('? ') && /^\s*\? /m.test(text)) return true;
  if (options.anchors === 'allow') return text.includes('!') && tagPattern.test(text);
  if (!text.includes('&') && !text.includes('*') && !text.includes('!')) return false;
  return /(^|[\s[{,])(?:[&*][^\s,\]}]|![A-Za-z!<])/m.test(withoutQuotedValues(text));
}

/**
 * A quoted scalar that is a whole value (after `key: ` or at a line's start, `- ` entries included) and ends its
 * line: no alias, anchor or tag can hide inside one, and our own result messages (which quote principal
 * patterns that begin with a star) are written so. Blanked out before the patterns look, so such text no longer sends a list to the full parser. A
 * quote after anything else (inside a plain scalar, `[a - "b, *x`) is left for the patterns to see.
 */
const quotedValue = /(^[ \t]*(?:- )*|: )(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*')(?=[ \t]*(?:#[^\n]*)?$)/gm;

function withoutQuotedValues(text: string): string {
  if (!text.includes('"') && !text.includes("'")) return text;
  return text.replace(quotedValue, '$1""');
}

const tagPattern = /(^|[\s[{,])![A-Za-z!<]/m;
const anchorOrAlias = /(?:^|[\s[{,])([&*])([^\s,\]}]+)/g;

/**
 * Whether an item's text holds an anchor or alias, and whether each alias names an anchor the item itself
 * defines before it. An item whose aliases all stay inside it is parsed alone; one alias that reaches into
 * another item (or a section) sends the whole list to the full parser. A `&` or `*` inside a block scalar or a
 * quoted scalar that does not end its line counts too: the item is then only parsed when not needed, never wrong.
 */
export function anchorsOf(text: string): 'none' | 'own' | 'crossing' {
  if (!text.includes('&') && !text.includes('*')) return 'none';
  const defined = new Set<string>();
  let found = false;
  for (const match of withoutQuotedValues(text).matchAll(anchorOrAlias)) {
    found = true;
    const name = match[2] as string;
    if (match[1] === '&') defined.add(name);
    else if (!defined.has(name)) return 'crossing';
  }
  return found ? 'own' : 'none';
}
