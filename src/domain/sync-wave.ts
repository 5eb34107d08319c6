/**
 * The Argo CD sync wave of generated Namespaces and mesh policies. Argo CD applies a lower wave first and waits for
 * it to be healthy; unannotated resources are wave 0. Within a wave it orders by kind, and Istio's kinds, being
 * custom resources, come after Deployments and StatefulSets: without a wave a pod can start before the
 * PeerAuthentication exception or AuthorizationPolicy its scrape needs (and before its Namespace's injection
 * label took effect, if the Namespace is slow). Always set, never a config option: outside Argo CD the annotation
 * does nothing, and a user with a wave scheme of their own patches it after the render.
 * The policies' Namespace must not come later: one the user wrote without a wave is wave 0, so every function that
 * generates these resources puts it in their wave (src/domain/namespace-wave.ts), or Argo CD applies the policy
 * first and a fresh cluster fails it with `namespaces "NS" not found`.
 */
import type { Item } from '../krm/index.js';

/** Argo CD's sync-wave annotation. */
export const syncWaveAnnotation = 'argocd.argoproj.io/sync-wave';

/** One wave before the workloads (wave 0). */
export const beforeWorkloadsWave = '-1';

/** An item's sync wave, or null: part of what makes a generated resource current, so older ones gain it. */
export function syncWaveOf(item: Item): unknown {
  return item.read(['metadata', 'annotations', syncWaveAnnotation]) ?? null;
}
