/**
 * The Namespace `to`: generated (`createNamespace`, default) with Istio's injection label, `istio-injection:
 * enabled` or `istio.io/rev: <revision>`, never both (Istio reads the revision label first and a namespace with
 * both is ambiguous to readers). One the user wrote is checked, not rewritten.
 */

import { generatedBy } from '../../src/domain/generated.js';
import { isNamespace } from '../../src/domain/kinds.js';
import { Item } from '../../src/krm/index.js';
import type { Edits } from './edits.js';
import { labelsOf } from './plan.js';
import { functionName, metadataFor, type Wanted } from './reconcile.js';

/** The Namespace `to` the run wants generated, if any; checks a user's own. */
export function wantedNamespace(edits: Edits): Wanted[] {
  const { plan } = edits;
  const { config } = plan;
  const injection: Record<string, string> = config.revision
    ? { 'istio.io/rev': config.revision }
    : { 'istio-injection': 'enabled' };
  const own = plan.items.find((i) => isNamespace(i) && i.name === plan.to && generatedBy(i) !== functionName);
  if (own) {
    const labels = labelsOf(own);
    const rev = labels['istio.io/rev'];
    const inject = labels['istio-injection'];
    if (rev !== undefined && inject !== undefined)
      edits.warn(
        own,
        ['metadata', 'labels'],
        `carries both istio-injection and istio.io/rev: use one (istio.io/rev for a revision)`,
      );
    else if (inject === 'enabled' || rev !== undefined)
      edits.info(
        own,
        ['metadata', 'labels'],
        `the Namespace ${plan.to} is yours and enables injection; left as it is`,
      );
    else
      edits.warn(
        own,
        ['metadata', 'labels'],
        `the Namespace ${plan.to} does not enable sidecar injection: the moved pods start without a sidecar and certificate; label it ${Object.entries(
          injection,
        )
          .map(([k, v]) => `${k}: ${v}`)
          .join('')}`,
      );
    return [];
  }
  // Wanted while anything lives in `to` because of a move (this run's, or an earlier run's): idempotent.
  const used = plan.moved.size > 0 || plan.items.some((i) => i.namespace === plan.to && !isNamespace(i));
  if (!used) return [];
  if (plan.to === config.rootNamespace) {
    edits.info(
      undefined,
      undefined,
      `no Namespace ${plan.to} generated: Istio's root namespace belongs to the Istio install; label it for injection there if its workloads need a sidecar`,
    );
    return [];
  }
  if (!config.createNamespace) {
    edits.info(
      undefined,
      undefined,
      `no Namespace ${plan.to} in the list and createNamespace: false: it must exist with sidecar injection on`,
    );
    return [];
  }
  const label = Object.entries(injection)
    .map(([k, v]) => `${k}: ${v}`)
    .join('');
  const item = Item.create({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: metadataFor(plan.to, undefined, plan.from, [], injection),
  });
  return [
    {
      item,
      reason: `Namespace ${plan.to} for the resources moved from ${plan.from}, labelled ${label} so their pods get a sidecar`,
    },
  ];
}
