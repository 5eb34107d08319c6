/**
 * Moving into a namespace that runs Istio ambient mode (`istio.io/dataplane-mode: ambient` on the Namespace `to`
 * in the list): the moved pods get no sidecar there (../shared/domain.md section 4), so Istio's cert-mount recipe,
 * which reads the certificates a sidecar writes, cannot apply to them. Pods that get a sidecar anyway (labelled
 * `sidecar.istio.io/inject: "true"`, or `to` also enables injection: `sidecarlessAmbient`) are left out.
 */
import { sidecarlessAmbient } from '../../src/domain/mesh.js';
import type { Edits } from './edits.js';

/** A warning on the Namespace `to` when moved pods run ambient there without a sidecar. */
export function ambientTargetWarning(edits: Edits): void {
  const { plan } = edits;
  const { inventory } = plan;
  const namespace = inventory.namespace(plan.to);
  if (!namespace) return;
  const sidecarless = plan.pods.filter(
    (p) => p.moved && sidecarlessAmbient(inventory, plan.to, p.source.labels)?.from === 'namespace',
  );
  if (sidecarless.length === 0) return;
  const names = sidecarless.map((p) => `${p.source.item.kind}/${p.source.item.name}`).join(', ');
  edits.warn(
    namespace,
    ['metadata', 'labels', 'istio.io/dataplane-mode'],
    `the Namespace ${plan.to} runs Istio ambient mode, which has no sidecar: the pods of the moved ${names} get none there, so Istio's cert-mount recipe (mount-istio-certs) cannot give them the certificates it reads from a sidecar (ztunnel carries their traffic as ${plan.config.trustDomain}/ns/${plan.to}/sa/<service account> instead). For the recipe, move them into a namespace with sidecar injection, or label their pods sidecar.istio.io/inject: "true" (Istio then injects them, and ambient leaves pods with a sidecar alone)`,
  );
}
