/**
 * The one tab rule of the line splitters (ResourceList items and stream documents). YAML indentation is spaces
 * only: a tab where a line's indentation is measured leaves its column, and so the boundary it marks, unclear;
 * a tab anywhere else changes no boundary, but the header and path readers assume space-separated lines.
 */

/**
 * What a tab in a line means for splitting: `unreadable` when one stands in the line's indentation left of the
 * content column of the item (or document) it would belong to, so only the full parser can tell the structure;
 * `alone` when the line holds a tab anywhere else, so the item holding it is read through the parser, alone;
 * `none` when it holds no tab. The line is text[from, to); `contentColumn` is Infinity while the column is not
 * known (before an entry's first key), 0 for a stream document.
 */
export type TabVerdict = 'none' | 'alone' | 'unreadable';

/** The tab rule for the line text[from, to) of an item whose content starts at `contentColumn`. */
export function tabRule(text: string, from: number, to: number, contentColumn: number): TabVerdict {
  let at = from;
  while (at < to && text.charCodeAt(at) === 32) at++;
  if (at < to && text.charCodeAt(at) === 9) return at - from < contentColumn ? 'unreadable' : 'alone';
  for (; at < to; at++) if (text.charCodeAt(at) === 9) return 'alone';
  return 'none';
}

/** Offset of the first character of text[from, to) past its leading spaces and tabs (`to` for a blank line). */
export function pastIndentation(text: string, from: number, to: number): number {
  let at = from;
  while (at < to && (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9)) at++;
  return at;
}
