/**
 * Generated resources converge on what the config asks: a later run restores a PodMonitor an earlier run replaced
 * (from the annotation on what replaced it), regenerates what is still wanted, and drops what no longer is.
 */

import { canonicalJson } from '../../src/domain/canonical-json.js';
import { generatedBy, generatedFor, originalAnnotation } from '../../src/domain/generated.js';
import { asObject, Item } from '../../src/krm/item.js';
import { functionName } from './context.js';
import { mergedFor } from './merge-markers.js';

const identity = (item: Item): string =>
  `${item.apiVersion}|${item.kind}|${item.namespace ?? ''}|${item.name}`;

/**
 * PodMonitors an earlier run replaced, rebuilt from the `original` annotation (on what replaced them, or on the
 * workloads merged for them), unless the list has them again.
 */
export function restoreReplaced(items: readonly Item[]): Item[] {
  const present = new Set(items.filter((i) => i.kind === 'PodMonitor').map(identity));
  const restored = new Map<string, Item>();
  for (const item of items) {
    if (generatedBy(item) !== functionName && mergedFor(item) === undefined) continue;
    const original = item.read(['metadata', 'annotations', originalAnnotation]);
    if (typeof original !== 'string') continue;
    let data: unknown;
    try {
      data = JSON.parse(original);
    } catch {
      continue;
    }
    const resource = asObject(data);
    if (!resource) continue;
    const monitor = Item.create(resource);
    if (!present.has(identity(monitor)) && !restored.has(identity(monitor)))
      restored.set(identity(monitor), monitor);
  }
  return [...restored.values()];
}

/**
 * Replaces the function's generated resources with `wanted`: an existing one with the same identity and content
 * is kept as it is (byte-identical), others are replaced or added; generated resources made for monitors handled
 * in this run but no longer wanted are dropped.
 */
export function reconcileGenerated(
  items: readonly Item[],
  wanted: readonly Item[],
  handled: ReadonlySet<string>,
): Item[] {
  const byIdentity = new Map(wanted.map((item) => [identity(item), item]));
  const out: Item[] = [];
  for (const item of items) {
    if (generatedBy(item) !== functionName) {
      out.push(item);
      continue;
    }
    const replacement = byIdentity.get(identity(item));
    if (replacement) {
      byIdentity.delete(identity(item));
      // Key order may differ (a restored monitor comes from sorted JSON): compare the data, keep the text.
      out.push(canonicalJson(item.data) === canonicalJson(replacement.data) ? item : replacement);
      continue;
    }
    if (generatedFor(item).some((ref) => handled.has(ref))) continue;
    out.push(item);
  }
  out.push(...byIdentity.values());
  return out;
}
