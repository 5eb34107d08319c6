/**
 * A scraper in Istio ambient mode has no sidecar (../shared/domain.md section 4). The recipe's
 * `sidecar.istio.io/inject: "true"` label gives it one anyway (Istio's object webhook injects a pod with that label
 * in a namespace without istio-injection / istio.io/rev, and ambient leaves a pod with a sidecar alone:
 * `sidecarlessAmbient` in src/domain/mesh.ts), so the recipe works for its sidecar targets, but it takes the
 * scraper out of ambient mode, and targets that run ambient have no sidecar to take the cert files' mTLS.
 */
import type { Inventory } from '../../src/domain/inventory.js';
import { sidecarlessAmbient } from '../../src/domain/mesh.js';
import { podMetadataPath } from '../../src/domain/pod-annotations.js';
import { podSourceOf } from '../../src/domain/pod-sources.js';
import { fieldPath, type Item, type Result, warning } from '../../src/krm/index.js';

/** The warning for a scraper whose pods run ambient without a sidecar at input, or undefined. */
export function ambientScraperWarning(item: Item, inventory: Inventory): Result | undefined {
  const pods = podSourceOf(item);
  if (!pods) return undefined;
  const why = sidecarlessAmbient(inventory, pods.namespace, pods.labels);
  if (!why) return undefined;
  return warning(
    `${item.describe()}: ${why.reason}, and the cert-mount recipe needs one: its sidecar.istio.io/inject: "true" label gives these pods a sidecar anyway (Istio's object webhook; ambient then leaves them alone), which takes this scraper out of ambient mode. Its cert files reach sidecar targets; targets that run ambient have no sidecar to take them (ztunnel expects its own tunnel), and set-monitor-tls leaves their monitors as they are. If its targets run ambient, leave this scraper in ambient instead (no mount-istio-certs on it): ztunnel carries its scrapes over mTLS`,
    {
      ref: item.ref,
      file: item.file,
      path:
        why.from === 'pods'
          ? fieldPath([...(podMetadataPath(item) ?? []), 'labels', 'istio.io/dataplane-mode'])
          : 'metadata.namespace',
    },
  );
}
