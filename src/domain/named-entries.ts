/** Lists of named entries (volumes, volumeMounts, containers, scrapeClasses): add once, never overwrite. */
import type { YAMLSeq } from 'yaml';
import { appendNode, error, fieldPath, findByKey, type Item, plain, type Result } from '../krm/index.js';
import { canonicalJson } from './canonical-json.js';

function sameContent(existing: unknown, wanted: Record<string, unknown>): boolean {
  return canonicalJson(existing) === canonicalJson(wanted);
}

/**
 * Adds `entry` (which has a `name`) to the list unless an entry of that name is there. An existing entry of the
 * same name with other content is an error result naming it, and is left as it is.
 */
export function addNamedEntry(
  seq: YAMLSeq,
  entry: Record<string, unknown> & { name: string },
  item: Item,
  path: readonly (string | number)[],
): Result[] {
  const found = findByKey(seq, 'name', entry.name);
  if (!found) {
    appendNode(seq, entry);
    return [];
  }
  if (sameContent(plain(found.node), entry)) return [];
  return [
    error(
      `${entry.name} already exists with other content (${JSON.stringify(plain(found.node))}); meshscrape needs ${JSON.stringify(entry)}. Rename or remove it by hand`,
      { ref: item.ref, file: item.file, path: fieldPath([...path, found.index]) },
    ),
  ];
}
