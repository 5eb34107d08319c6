/** Small, comment-preserving edits on `yaml` nodes: find or create maps and lists, set scalars only when they differ. */
import { Document, isMap, isScalar, isSeq, type Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { hasError, type Result } from './results.js';
import { parseOptions } from './yaml-options.js';

const factory = new Document(null, parseOptions);

/** Makes a block-style node from plain data. */
export function toNode(value: unknown): Node {
  return factory.createNode(value) as Node;
}

/** The map under `key`, created (block style) when missing; undefined when something else sits there. */
export function ensureMap(parent: YAMLMap, key: string): YAMLMap | undefined {
  const existing = parent.get(key, true) as unknown;
  if (isMap(existing)) {
    // An empty flow map (`{}`) would stay flow once keys are added; block style reads better.
    if (existing.items.length === 0) existing.flow = false;
    return existing;
  }
  if (existing !== undefined && !(isScalar(existing) && existing.value === null)) return undefined;
  const created = new YAMLMap();
  parent.set(key, created);
  return created;
}

/** The list under `key`, created when missing; undefined when something else sits there. */
export function ensureSeq(parent: YAMLMap, key: string): YAMLSeq | undefined {
  const existing = parent.get(key, true) as unknown;
  if (isSeq(existing)) {
    // An empty flow list (`[]`) would stay flow once items are added; block style reads better.
    if (existing.items.length === 0) existing.flow = false;
    return existing;
  }
  if (existing !== undefined && !(isScalar(existing) && existing.value === null)) return undefined;
  const created = new YAMLSeq();
  parent.set(key, created);
  return created;
}

/** Follows map keys; undefined when a step is missing or not a map. */
export function mapAt(root: YAMLMap, path: readonly string[]): YAMLMap | undefined {
  let node: unknown = root;
  for (const key of path) {
    if (!isMap(node)) return undefined;
    node = node.get(key, true);
  }
  return isMap(node) ? node : undefined;
}

/** The list at a path of map keys, or undefined. */
export function seqAt(root: YAMLMap, path: readonly string[]): YAMLSeq | undefined {
  const parent = mapAt(root, path.slice(0, -1));
  const node = parent?.get(path[path.length - 1] as string, true);
  return isSeq(node) ? node : undefined;
}

/** Plain value of a node (or undefined). */
export function plain(node: unknown): unknown {
  if (node === undefined || node === null) return undefined;
  if (isMap(node) || isSeq(node) || isScalar(node)) return node.toJSON();
  return node;
}

/** Sets a scalar, keeping the existing node (and its quoting and comments) when the value is already equal. */
export function setScalar(map: YAMLMap, key: string, value: string | number | boolean): boolean {
  const existing = map.get(key, true) as unknown;
  if (isScalar(existing) && existing.value === value) return false;
  if (isScalar(existing)) {
    existing.value = value;
    // A quoting style chosen for the old value may not fit the new one.
    delete (existing as { type?: Scalar.Type }).type;
    return true;
  }
  map.set(key, new Scalar(value));
  return true;
}

/** Appends plain data to a list as block-style nodes. */
export function appendNode(seq: YAMLSeq, value: unknown): void {
  seq.items.push(toNode(value));
}

/** The first map item of a list whose `key` equals `value`, with its index. */
export function findByKey(
  seq: YAMLSeq,
  key: string,
  value: string,
): { node: YAMLMap; index: number } | undefined {
  for (const [index, node] of seq.items.entries()) {
    if (isMap(node) && plain(node.get(key, true)) === value) return { node, index };
  }
  return undefined;
}

/** Follows map keys, creating missing maps; undefined when a step holds something other than a map. */
export function ensureMapPath(root: YAMLMap, path: readonly string[]): YAMLMap | undefined {
  let node: YAMLMap | undefined = root;
  for (const key of path) {
    if (!node) return undefined;
    node = ensureMap(node, key);
  }
  return node;
}

/**
 * Runs `step`, which edits `root`, and puts `root` back as it was when one of its results is an error: a resource
 * is edited whole or not at all, so an error never ships beside half a recipe. Restoring the clone's pairs keeps
 * key order and comments, so an undone resource is written byte-identical.
 */
export function allOrNothing(root: YAMLMap, step: () => Result[]): { results: Result[]; undone: boolean } {
  const before = root.clone() as YAMLMap;
  const results = step();
  if (!hasError(results)) return { results, undone: false };
  root.items = before.items;
  return { results, undone: true };
}
