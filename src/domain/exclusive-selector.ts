/**
 * The selector for a policy meant for one workload's pods and no others. A workload's `spec.selector.matchLabels`
 * is what all its pods carry, but another workload's pods may carry it too (`app: shop` on both the api and the
 * payments Deployment): a PeerAuthentication or AuthorizationPolicy with it would loosen or lock down both. The
 * pod template's full label set is tried next; when neither picks these pods alone, the caller says which others
 * it picks.
 */
import type { Inventory } from './inventory.js';
import { type PodSource, workloadSelector } from './pod-sources.js';

/** A selector with the other pod sources of the list it also picks (none when it picks these pods alone). */
export interface ExclusiveSelector {
  selector: Record<string, string>;
  alsoSelects: PodSource[];
}

/** The first of the workload's selector and its pod labels that picks only these pods, else the one picking fewest others. */
export function exclusiveSelector(inventory: Inventory, pods: PodSource): ExclusiveSelector {
  let fallback: ExclusiveSelector | undefined;
  for (const selector of [workloadSelector(pods), pods.labels]) {
    if (Object.keys(selector).length === 0) continue;
    const alsoSelects = inventory
      .podSourcesMatching(pods.namespace, { matchLabels: selector })
      .filter((p) => p.item !== pods.item);
    if (alsoSelects.length === 0) return { selector, alsoSelects };
    if (!fallback || alsoSelects.length < fallback.alsoSelects.length) fallback = { selector, alsoSelects };
  }
  return fallback ?? { selector: {}, alsoSelects: [] };
}

/** `Deployment/shop/payments, StatefulSet/shop/cache`, for a result. */
export const describePods = (pods: readonly PodSource[]): string =>
  pods.map((p) => p.item.describe()).join(', ');
