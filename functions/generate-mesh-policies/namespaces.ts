/**
 * The namespaces the run writes policies for: a namespace Sidecar with `outboundTrafficPolicy: REGISTRY_ONLY` when
 * asked (`sidecarEgress: registry-only`, as Big Bang ships it), and the Namespace with Istio's injection label when
 * the list has none (src/domain/namespace-object.ts, shared with relocate-namespace). A Namespace the user wrote is
 * checked, never rewritten.
 */
import { generatedBy } from '../../src/domain/generated.js';
import { isNamespace } from '../../src/domain/kinds.js';
import { neverInjectedNamespaces } from '../../src/domain/mesh.js';
import {
  bothLabelsMessage,
  injectionLabels,
  labelText,
  namespaceInjection,
  namespaceObject,
} from '../../src/domain/namespace-object.js';
import type { Wanted } from '../../src/domain/reconcile-generated.js';
import { asObject, error, Item, info, type Result, warning } from '../../src/krm/index.js';
import type { GenerateMeshPoliciesConfig } from './config.js';
import { functionName, metadataFor } from './generated.js';

/** Namespace-wide Sidecars, one per namespace, unless the user has one there (Istio honours one per namespace). */
export function sidecars(
  items: readonly Item[],
  config: GenerateMeshPoliciesConfig,
  namespaces: ReadonlySet<string>,
): { wanted: Wanted[]; results: Result[] } {
  const wanted: Wanted[] = [];
  const results: Result[] = [];
  if (config.sidecarEgress !== 'registry-only') return { wanted, results };
  for (const namespace of [...namespaces].sort()) {
    if (namespace === config.rootNamespace) {
      // A Sidecar without workloadSelector in the root namespace is the default of every namespace that has none
      // of its own (istio/api networking/v1alpha3/sidecar.proto, NOTE 2): REGISTRY_ONLY there locks the whole
      // mesh's egress, as a root-namespace ALLOW policy locks its ingress.
      results.push(
        error(
          `refused: no REGISTRY_ONLY Sidecar in namespace ${namespace}: it is Istio's root namespace, where a Sidecar without workloadSelector is the default of every namespace without one of its own, so REGISTRY_ONLY there blocks every call outside the mesh from the whole mesh; nothing generated for it (sidecarEgress applies to the other namespaces)`,
          { path: 'sidecarEgress' },
        ),
      );
      continue;
    }
    const own = items.find(
      (i) =>
        i.kind === 'Sidecar' &&
        i.group === 'networking.istio.io' &&
        i.namespace === namespace &&
        generatedBy(i) !== functionName &&
        asObject(asObject(i.data.spec)?.workloadSelector) === undefined,
    );
    if (own) {
      results.push(
        warning(
          `namespace ${namespace} already has a namespace-wide Sidecar: Istio uses one per namespace, so no REGISTRY_ONLY Sidecar is generated; set spec.outboundTrafficPolicy.mode: REGISTRY_ONLY there`,
          { ref: own.ref, file: own.file, path: 'spec.outboundTrafficPolicy' },
        ),
      );
      continue;
    }
    const calls = config.egress.filter((e) => e.namespace === namespace);
    const item = Item.create({
      apiVersion: 'networking.istio.io/v1',
      kind: 'Sidecar',
      metadata: metadataFor(
        'Sidecar',
        'registry-only',
        namespace,
        ['config/sidecarEgress'],
        config.outputDir,
      ),
      spec: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
    });
    wanted.push({
      item,
      path: 'spec.outboundTrafficPolicy.mode',
      reason: `REGISTRY_ONLY for namespace ${namespace}: its sidecars reach only the mesh's services and the ServiceEntries exported to it${calls.length > 0 ? ` (the egress entries for ${calls.map((c) => c.preset ?? c.hosts.join(', ')).join('; ')})` : ''}`,
    });
    if (calls.length === 0)
      results.push(
        warning(
          `sidecarEgress registry-only: namespace ${namespace} has no egress entry, so every call its workloads make outside the mesh is blocked; add one to egress for each external endpoint they call`,
          { ref: item.ref, path: 'spec.outboundTrafficPolicy.mode' },
        ),
      );
  }
  return { wanted, results };
}

/** Namespaces every cluster has (the API server creates them); Istio's root namespace is the config's. */
const everyClusterNamespaces: readonly string[] = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
];

/** The Namespaces the list lacks, labelled for injection; a warning for one the user wrote without injection. */
export function namespaceObjects(
  items: readonly Item[],
  config: GenerateMeshPoliciesConfig,
  namespaces: ReadonlySet<string>,
): { wanted: Wanted[]; results: Result[] } {
  const wanted: Wanted[] = [];
  const results: Result[] = [];
  const injection = injectionLabels(config.injectionRevision);
  for (const namespace of [...namespaces].sort()) {
    if (namespace === '') continue;
    if (neverInjectedNamespaces.includes(namespace)) {
      results.push(
        warning(
          `Istio never injects sidecars in ${namespace} (its injector ignores it, whatever the labels say): the policies generated for it have no effect there; move the workloads to a mesh namespace (relocate-namespace)`,
          { path: 'namespaces' },
        ),
      );
      continue;
    }
    const own = items.find((i) => isNamespace(i) && i.name === namespace && generatedBy(i) !== functionName);
    if (namespace === config.rootNamespace && own) continue; // Injection there is the install's business.
    if (!own && (namespace === config.rootNamespace || everyClusterNamespaces.includes(namespace))) {
      // Generated, it would be pruned with the rest of the output one day, and deleting a Namespace deletes all
      // it holds: one that every cluster (or every Istio install) has is never generated.
      results.push(
        info(
          `no Namespace ${namespace} generated: ${namespace === config.rootNamespace ? "it is Istio's root namespace, which the Istio install owns" : 'it exists on every cluster'}, and a generated Namespace deleted by pruning takes everything in it; ${namespace === config.rootNamespace ? 'its policies apply as they are' : `label it ${labelText(injection)} on the cluster for the policies generated for it to act`}`,
          { path: 'namespaces' },
        ),
      );
      continue;
    }
    if (own) {
      const state = namespaceInjection(own);
      if (state === 'both')
        results.push(warning(bothLabelsMessage, { ref: own.ref, file: own.file, path: 'metadata.labels' }));
      if (state === 'missing')
        results.push(
          warning(
            `the Namespace ${namespace} does not enable sidecar injection: its pods run without a sidecar and the policies generated for it have no effect; label it ${labelText(injection)}`,
            { ref: own.ref, file: own.file, path: 'metadata.labels' },
          ),
        );
      continue;
    }
    if (!config.createNamespaces) {
      results.push(
        info(
          `no Namespace ${namespace} in the list and createNamespaces: false: it must exist with sidecar injection on`,
        ),
      );
      continue;
    }
    wanted.push({
      item: namespaceObject(
        metadataFor(
          'Namespace',
          namespace,
          undefined,
          [`Namespace/${namespace}`],
          config.outputDir,
          injection,
        ),
      ),
      reason: `Namespace ${namespace}, which the list lacks, labelled ${labelText(injection)} so its pods get the sidecar the generated policies act on`,
    });
  }
  // A Namespace an earlier run generated and this one does not want is removed from the output: applied with
  // pruning, that deletes the namespace and every resource in it.
  const kept = new Set(wanted.map((w) => w.item.name));
  for (const item of items)
    if (isNamespace(item) && generatedBy(item) === functionName && !kept.has(item.name))
      results.push(
        warning(
          `removing Namespace ${item.name}, which an earlier run generated and this config no longer asks for: applied with pruning (kpt live apply, Argo CD prune, kubectl apply --prune) that deletes the namespace and everything in it; keep it in namespaces or egress, or write the Namespace into the package yourself before pruning`,
          { ref: item.ref, file: item.file },
        ),
      );
  return { wanted, results };
}
