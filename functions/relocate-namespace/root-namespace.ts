/**
 * Moving into Istio's root namespace (`rootNamespace`, istio-system by default): a PeerAuthentication with a
 * selector there is ignored and one without becomes mesh-wide, and an ALLOW AuthorizationPolicy without selector
 * there applies to every workload (../shared/domain.md sections 0 and 4). The moved workloads' principals become
 * `<trustDomain>/ns/<root>/sa/<sa>`.
 */
import { asObject } from '../../src/krm/index.js';
import type { Edits } from './edits.js';

/** Warnings for a move into the root namespace. */
export function rootNamespaceWarnings(edits: Edits): void {
  const { plan } = edits;
  const root = plan.config.rootNamespace;
  if (plan.to !== root) return;
  edits.warn(
    undefined,
    undefined,
    `${root} is Istio's root namespace: a PeerAuthentication with a selector there is ignored and one without a selector is mesh-wide, so policies for the moved workloads must live in another namespace; their principals become ${plan.config.trustDomain}/ns/${root}/sa/<service account>`,
  );
  for (const item of plan.moved) {
    const selector = asObject(item.data.spec)?.selector;
    if (item.kind === 'PeerAuthentication' && item.group === 'security.istio.io')
      edits.warn(
        item,
        selector === undefined ? ['spec'] : ['spec', 'selector'],
        selector === undefined
          ? `moved into ${root} without a selector, it becomes the mesh-wide policy for every workload`
          : `moved into ${root}, Istio ignores it (a selector policy in the root namespace does not apply)`,
      );
    if (
      item.kind === 'AuthorizationPolicy' &&
      item.group === 'security.istio.io' &&
      selector === undefined &&
      (asObject(item.data.spec)?.action ?? 'ALLOW') === 'ALLOW'
    )
      edits.warn(
        item,
        ['spec'],
        `moved into ${root} without a selector, this ALLOW policy applies to every workload in the mesh: anything its rules do not match is denied mesh-wide`,
      );
  }
}
