/**
 * Generated resources converge on what the config asks: a later run restores a PodMonitor an earlier run replaced
 * (from the annotation on what replaced it), regenerates what is still wanted, and drops what no longer is.
 */

import { canonicalJson } from '../../src/domain/canonical-json.js';
import { generatedBy, generatedFor, originalAnnotation } from '../../src/domain/generated.js';
import { monitoringGroups, podTemplatePaths } from '../../src/domain/kinds.js';
import { asObject, Item, type Resource } from '../../src/krm/index.js';
import { functionName } from './context.js';
import { mergedFor } from './merge-markers.js';

/** The kinds this function generates: only resources of these kinds, annotated as its own, are reconciled. */
export const generatedKinds: readonly string[] = [
  'ServiceMonitor',
  'Service',
  'PeerAuthentication',
  'PodMonitor',
];

/** True for a resource this function generated (its annotation, on a kind it generates). */
const isGenerated = (item: Item): boolean =>
  generatedBy(item) === functionName && generatedKinds.includes(item.kind);

/**
 * The monitors a holder may carry an original of: the ones it was generated for, or the one a workload was
 * merged for. Only a generated resource or a workload (a kind with a pod template) holds originals.
 */
function monitorsHeld(item: Item): string[] {
  if (isGenerated(item)) return generatedFor(item);
  const merged = mergedFor(item);
  return merged !== undefined && podTemplatePaths[item.kind] !== undefined ? [merged] : [];
}

/** True when the data is a PodMonitor as the CRD requires it, named as the holder says. */
function isPodMonitor(data: Resource, held: readonly string[]): boolean {
  const apiVersion = typeof data.apiVersion === 'string' ? data.apiVersion : '';
  const metadata = asObject(data.metadata);
  const spec = asObject(data.spec);
  if (data.kind !== 'PodMonitor' || !monitoringGroups.some((g) => apiVersion.startsWith(`${g}/`)))
    return false;
  if (typeof metadata?.name !== 'string' || typeof metadata.namespace !== 'string' || !spec) return false;
  if (!asObject(spec.selector)) return false;
  const endpoints = spec.podMetricsEndpoints;
  if (endpoints !== undefined && !(Array.isArray(endpoints) && endpoints.every((e) => asObject(e))))
    return false;
  return held.includes(`PodMonitor/${metadata.namespace}/${metadata.name}`);
}

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
    const held = monitorsHeld(item);
    if (held.length === 0) continue;
    const original = item.read(['metadata', 'annotations', originalAnnotation]);
    if (typeof original !== 'string') continue;
    let data: unknown;
    try {
      data = JSON.parse(original);
    } catch {
      continue;
    }
    const resource = asObject(data);
    // A stored original comes back only as the PodMonitor its holder was made for: never as any resource at all.
    if (!resource || !isPodMonitor(resource, held)) continue;
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
    if (!isGenerated(item)) {
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
