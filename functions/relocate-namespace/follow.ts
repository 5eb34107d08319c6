/**
 * How a reference to `from` follows the move: `replace` when everything it names moved, `add` (the old entry
 * stays, the new one joins it) when part of it stays, `leave` when nothing it names moved. One decision, used by
 * every list of namespaces, principals and hosts.
 */
import { asObject, type Item, type Json } from '../../src/krm/index.js';
import type { Edits, Path } from './edits.js';
import type { Plan } from './plan.js';

/** What to do with one reference, and why. */
export interface Follow {
  action: 'replace' | 'add' | 'leave';
  reason: string;
}

/** The decision from what the reference names: how many of those moved, how many stay. */
export function decide(moved: readonly string[], staying: readonly string[], what: string): Follow {
  if (moved.length === 0 && staying.length === 0)
    return { action: 'leave', reason: `the list shows no ${what} it names` };
  if (moved.length === 0) return { action: 'leave', reason: `what it names stays (${staying.join(', ')})` };
  if (staying.length === 0) return { action: 'replace', reason: `what it names moved (${moved.join(', ')})` };
  return {
    action: 'add',
    reason: `part of what it names moved (${moved.join(', ')}), part stays (${staying.join(', ')})`,
  };
}

/** The pods of `from` split by whether they move, as names (for callers and consumers). */
export function podsDecision(plan: Plan, what = 'pods'): Follow {
  const name = (p: Plan['pods'][number]) => p.source.item.name;
  return decide(
    plan.pods.filter((p) => p.moved).map(name),
    plan.pods.filter((p) => !p.moved).map(name),
    what,
  );
}

/** The value at a path of keys and indexes in plain data. */
export function dig(data: Json | undefined, path: Path): Json | undefined {
  let node: Json | undefined = data;
  for (const key of path) {
    if (typeof key === 'number') node = Array.isArray(node) ? node[key] : undefined;
    else node = asObject(node)?.[key];
  }
  return node;
}

/** The strings of a list in an item's input, with their indexes. */
export function stringsAt(data: Json | undefined, path: Path): { value: string; index: number }[] {
  const node = dig(data, path);
  return Array.isArray(node)
    ? node.flatMap((value, index) => (typeof value === 'string' ? [{ value, index }] : []))
    : [];
}

/** Applies a decision to the entry `index` of the list at `path`: `next` replaces it or joins it. */
export function applyFollow(
  edits: Edits,
  item: Item,
  path: Path,
  index: number,
  next: string,
  follow: Follow,
): void {
  const at = [...path, index];
  if (follow.action === 'replace') edits.set(item, at, next, follow.reason);
  else if (follow.action === 'add') edits.append(item, path, next, follow.reason);
  else edits.info(item, at, `left: ${follow.reason}`);
}
