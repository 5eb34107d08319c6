/** An info result for each field a step changed, naming what was added or changed and why. */
import { canonicalJson } from '../../src/domain/canonical-json.js';
import { fieldPath, type Item, info, plain, type Result } from '../../src/krm/index.js';

type Snapshot = Map<string, unknown>;

function snapshot(item: Item, paths: readonly (readonly (string | number)[])[]): Snapshot {
  return new Map(paths.map((path) => [fieldPath([...path]), plain(item.node.getIn([...path], true))]));
}

/** What differs at one field: map keys set, list entries added or removed (by name), or the whole value. */
function describeChange(before: unknown, after: unknown): string | undefined {
  if (canonicalJson(before) === canonicalJson(after)) return undefined;
  const asMap = (v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  if (Array.isArray(after) || Array.isArray(before)) {
    const names = (v: unknown) =>
      (Array.isArray(v) ? v : []).map((e) => String(asMap(e).name ?? JSON.stringify(e)));
    const had = names(before);
    const has = names(after);
    const added = has.filter((n) => !had.includes(n));
    const removed = had.filter((n) => !has.includes(n));
    const entry = (v: unknown, name: string) =>
      canonicalJson((Array.isArray(v) ? v : []).find((e) => String(asMap(e).name) === name));
    const changed = has.filter((n) => had.includes(n) && entry(before, n) !== entry(after, n));
    const parts = [
      added.length > 0 ? `added ${added.join(', ')}` : '',
      changed.length > 0 ? `changed ${changed.join(', ')}` : '',
      removed.length > 0 ? `removed ${removed.join(', ')}` : '',
    ].filter((p) => p !== '');
    return parts.length > 0 ? parts.join('; ') : 'reordered';
  }
  const b = asMap(before);
  const a = asMap(after);
  const set = Object.keys(a).filter((k) => canonicalJson(a[k]) !== canonicalJson(b[k]));
  const removed = Object.keys(b).filter((k) => !(k in a));
  return [
    set.length > 0 ? `set ${set.join(', ')}` : '',
    removed.length > 0 ? `removed ${removed.join(', ')}` : '',
  ]
    .filter((p) => p !== '')
    .join('; ');
}

/** Runs an editing step and reports each of `paths` it changed, with `reason`. */
export function withEditResults(
  item: Item,
  paths: readonly (readonly (string | number)[])[],
  reason: string,
  step: () => Result[],
): Result[] {
  const before = snapshot(item, paths);
  const results = step();
  const after = snapshot(item, paths);
  for (const [path, value] of after) {
    const change = describeChange(before.get(path), value);
    if (change) results.push(info(`${change}: ${reason}`, { ref: item.ref, file: item.file, path }));
  }
  return results;
}
