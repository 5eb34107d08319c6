/**
 * Items whose text the parser refuses, found as the input is read. The line splitter passes untouched items
 * through as their text, so one malformed item would make the whole output unreadable YAML: kpt could not read
 * the results, and kpt itself refuses such a package when it reads it. The input is then refused as a whole, as
 * the full parser refuses the same input, each malformed item named. Only the items the indentation screen
 * suspects are parsed here.
 */
import { indentSuspect } from '../text/indent-screen.js';
import { type Item, MalformedItem } from './item.js';
import { error, type Result } from './results.js';

/** The error for an item whose text (keys at column `indent`) does not parse; `where` says where it stands. */
export function malformedTextProblem(
  item: Item,
  text: string,
  indent: number,
  where: string,
): Result | undefined {
  if (!indentSuspect(text, indent)) return undefined;
  // From the header lines, before the parse: a parsed item with errors has no header.
  const label = item.describe();
  const ref = item.ref;
  try {
    void item.node;
    return undefined;
  } catch (e) {
    // A key given twice parses (a warning when a function reads it); a refused item is reported by the run.
    if (!(e instanceof MalformedItem) || e.code === 'DUPLICATE_KEY' || e.code === 'REFUSED') return undefined;
    return error(
      `${label === '' ? where : `${where} (${label})`} has malformed YAML: ${e.reason}; nothing was changed`,
      { ref, file: item.file },
    );
  } finally {
    item.revert();
  }
}
