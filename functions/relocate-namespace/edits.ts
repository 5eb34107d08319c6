/** Edits of one run, each reported: a scalar set or a list entry added, with the field path and the reason. */
import { isScalar, isSeq, Scalar } from 'yaml';
import { error, fieldPath, type Item, info, type Result, warning } from '../../src/krm/index.js';
import type { Plan } from './plan.js';

/** A path into a resource: keys and list indexes. */
export type Path = readonly (string | number)[];

/** Collects the run's edits and results. */
export class Edits {
  readonly results: Result[] = [];
  /** Items this run changed (for the summary). */
  readonly changed = new Set<Item>();

  constructor(readonly plan: Plan) {}

  private target(item: Item, path: Path | undefined) {
    return {
      ref: this.plan.refOf(item),
      file: item.file,
      ...(path ? { path: fieldPath([...path]) } : {}),
    };
  }

  /** Sets the scalar at `path` (keeping its node, comments and quoting) and reports it. */
  set(item: Item, path: Path, value: string, reason: string): void {
    const node = item.node.getIn([...path], true) as unknown;
    if (isScalar(node)) {
      if (node.value === value) return;
      const before = String(node.value);
      node.value = value;
      this.info(item, path, `${before} -> ${value}: ${reason}`);
    } else {
      item.node.setIn([...path], new Scalar(value));
      this.info(item, path, `set to ${value}: ${reason}`);
    }
    this.changed.add(item);
  }

  /** Appends `value` to the list at `path` unless it holds it already; reports it. */
  append(item: Item, path: Path, value: string, reason: string): void {
    const node = item.node.getIn([...path], true) as unknown;
    if (!isSeq(node)) return;
    if (node.items.some((entry) => isScalar(entry) && entry.value === value)) return;
    const added = new Scalar(value);
    // Written as its neighbour is (quoted stays quoted), so the list reads as one.
    const last = node.items.at(-1);
    if (isScalar(last) && last.type) added.type = last.type;
    node.items.push(added);
    this.info(item, [...path, node.items.length - 1], `added ${value}: ${reason}`);
    this.changed.add(item);
  }

  info(item: Item | undefined, path: Path | undefined, message: string): void {
    this.results.push(info(message, item ? this.target(item, path) : {}));
  }

  warn(item: Item | undefined, path: Path | undefined, message: string): void {
    this.results.push(warning(message, item ? this.target(item, path) : {}));
  }

  fail(item: Item | undefined, path: Path | undefined, message: string): void {
    this.results.push(error(message, item ? this.target(item, path) : {}));
  }
}
