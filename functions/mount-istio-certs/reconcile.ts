/**
 * The resources this function generates (DestinationRules for bypassing scrapers, PeerAuthentication exceptions for
 * self-scrapes) converge on what the config asks: one still wanted is kept as it is (or replaced when its content
 * changed), one no longer wanted for a scraper this run handled is removed, and a same-named resource someone else
 * wrote is an error, never overwritten.
 */
import { generatedFor, generatedSpecContent } from '../../src/domain/generated.js';
import { reconcileWanted, type Wanted } from '../../src/domain/reconcile-generated.js';
import type { Item, Result } from '../../src/krm/index.js';

/** The function's name, as its generated resources carry it. */
export const functionName = 'mount-istio-certs';

/** The kinds it generates, with their API groups. */
export const generatedKinds: Readonly<Record<string, string>> = {
  DestinationRule: 'networking.istio.io',
  PeerAuthentication: 'security.istio.io',
};

/** A resource the run wants, and why (for its result). */
export type { Wanted } from '../../src/domain/reconcile-generated.js';

/**
 * Makes the generated resources match `wanted`. `handled` names the scrapers this run handled
 * (`Prometheus/monitoring/k8s`); a generated resource made for one of them and no longer wanted is removed. One
 * from before resources named what they were made for is removed when it is in a namespace this run handled.
 */
export function reconcileGenerated(
  items: readonly Item[],
  wanted: readonly Wanted[],
  handled: ReadonlySet<string>,
  handledNamespaces: ReadonlySet<string>,
): { items: Item[]; results: Result[] } {
  return reconcileWanted(items, wanted, {
    functionName,
    generatedKinds,
    content: generatedSpecContent,
    stale: (item) => {
      const madeFor = generatedFor(item);
      return madeFor.length > 0
        ? madeFor.some((f) => handled.has(f))
        : handledNamespaces.has(item.namespace ?? '');
    },
  });
}
