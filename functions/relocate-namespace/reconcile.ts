/**
 * The resources this function generates (the Namespace `to`, Roles and RoleBindings that let moved accounts read
 * what stays behind, ServiceAccounts that pods staying behind still need) converge on what the config asks: one
 * still wanted is kept (or replaced when its content changed), one no longer wanted for this `from` is removed,
 * and a same-named resource someone else wrote is an error, never overwritten.
 */
import { canonicalJson } from '../../src/domain/canonical-json.js';
import { generatedFor, generatedMetadata } from '../../src/domain/generated.js';
import { reconcileWanted, type Wanted } from '../../src/domain/reconcile-generated.js';
import { syncWaveOf } from '../../src/domain/sync-wave.js';
import { asObject, type Item, type Resource, type Result } from '../../src/krm/index.js';

/** The function's name, as its generated resources carry it. */
export const functionName = 'relocate-namespace';

/** The kinds it generates, with their API groups. */
export const generatedKinds: Readonly<Record<string, string>> = {
  Namespace: '',
  Role: 'rbac.authorization.k8s.io',
  RoleBinding: 'rbac.authorization.k8s.io',
  ServiceAccount: '',
};

export type { Wanted } from '../../src/domain/reconcile-generated.js';

/** What every generated resource is made for: the move out of `from` (so a later run knows it as its own). */
export const madeFor = (from: string): string => `Namespace/${from}`;

/** Metadata of a generated resource (`namespace` undefined for a cluster-scoped one). */
export function metadataFor(
  name: string,
  namespace: string | undefined,
  from: string,
  forWhat: readonly string[],
  labels: Record<string, string> = {},
): Resource {
  const metadata = generatedMetadata(functionName, name, namespace ?? '', [madeFor(from), ...forWhat], {
    labels,
  });
  if (namespace === undefined) delete metadata.namespace;
  return metadata;
}

/** What decides whether a generated resource is current: all but its metadata, its labels, what it is for. */
const content = (item: Item): string => {
  const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = item.data;
  const labels = asObject(asObject(item.data.metadata)?.labels) ?? null;
  return canonicalJson({ rest, labels, wave: syncWaveOf(item), for: generatedFor(item) });
};

/** Makes the generated resources match `wanted`: one made for this `from` and no longer wanted is removed. */
export function reconcileGenerated(
  items: readonly Item[],
  wanted: readonly Wanted[],
  from: string,
  namespaceOf: (item: Item) => string | undefined,
): { items: Item[]; results: Result[] } {
  return reconcileWanted(items, wanted, {
    functionName,
    generatedKinds,
    content,
    namespaceOf,
    stale: (item) => generatedFor(item).includes(madeFor(from)),
  });
}
