/**
 * The Namespace `to`: generated (`createNamespace`, default) with Istio's injection label (src/domain/
 * namespace-object.ts, shared with generate-mesh-policies). One the user wrote is checked, not rewritten.
 */

import { generatedBy } from '../../src/domain/generated.js';
import { isNamespace } from '../../src/domain/kinds.js';
import {
  bothLabelsMessage,
  injectionLabels,
  labelText,
  namespaceInjection,
  namespaceObject,
} from '../../src/domain/namespace-object.js';
import type { Edits } from './edits.js';
import { functionName, metadataFor, type Wanted } from './reconcile.js';

/** The Namespace `to` the run wants generated, if any; checks a user's own. */
export function wantedNamespace(edits: Edits): Wanted[] {
  const { plan } = edits;
  const { config } = plan;
  const injection = injectionLabels(config.revision);
  const own = plan.items.find((i) => isNamespace(i) && i.name === plan.to && generatedBy(i) !== functionName);
  if (own) {
    const state = namespaceInjection(own);
    if (state === 'both') edits.warn(own, ['metadata', 'labels'], bothLabelsMessage);
    else if (state === 'enabled')
      edits.info(
        own,
        ['metadata', 'labels'],
        `the Namespace ${plan.to} is yours and enables injection; left as it is`,
      );
    else
      edits.warn(
        own,
        ['metadata', 'labels'],
        `the Namespace ${plan.to} does not enable sidecar injection: the moved pods start without a sidecar and certificate; label it ${labelText(injection)}`,
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
  const label = labelText(injection);
  const item = namespaceObject(metadataFor(plan.to, undefined, plan.from, [], injection));
  return [
    {
      item,
      reason: `Namespace ${plan.to} for the resources moved from ${plan.from}, labelled ${label} so their pods get a sidecar`,
    },
  ];
}
