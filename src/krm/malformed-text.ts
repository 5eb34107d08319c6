/**
 * Items whose text the parser refuses, found as the input is read. The line splitter passes untouched items
 * through as their text, so one malformed item would make the whole output unreadable YAML: kpt could not read
 * the results, and kpt itself refuses such a package when it reads it. The input is then refused as a whole, as
 * the full parser refuses the same input, each malformed item named. Only the items the indentation screen
 * suspects, and those holding a tab, are parsed here.
 */
import { indentSuspect } from '../text/indent-screen.js';
import { headerLabel } from '../text/read-header.js';
import { type Item, MalformedItem } from './item.js';
import { error, type Result } from './results.js';

/**
 * The error for an item whose text (keys at column `indent`) does not parse; `where` says where it stands. An item
 * holding a tab (`tabbed`) is always parsed: the screen measures columns in spaces, and a tab in a line's
 * indentation is a parse error the screen cannot see.
 */
export function malformedTextProblem(
  item: Item,
  text: string,
  indent: number,
  where: string,
  tabbed = false,
): Result | undefined {
  if (!tabbed && !indentSuspect(text, indent)) return undefined;
  // From the header lines, before the parse: a parsed item with errors has no header. An item read only through
  // the parser (one holding a tab) has none either: its header lines still name it.
  const named = item.kind !== '' || item.name !== '';
  const label = named ? item.describe() : headerLabel(text, indent);
  // A reference naming nothing would only print as `/`.
  const ref = named ? item.ref : undefined;
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
