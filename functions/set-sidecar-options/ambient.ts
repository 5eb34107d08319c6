/**
 * Istio ambient mode has no sidecar (../shared/domain.md section 4): on a pod in an ambient namespace the options
 * are written but do nothing, unless something gives the pod a sidecar anyway (`sidecarlessAmbient` says what).
 */

import type { Inventory } from '../../src/domain/inventory.js';
import { sidecarlessAmbient } from '../../src/domain/mesh.js';
import { podMetadataPath } from '../../src/domain/pod-annotations.js';
import { podSourceOf } from '../../src/domain/pod-sources.js';
import { fieldPath, type Item, type Result, warning } from '../../src/krm/index.js';

const injectKey = 'sidecar.istio.io/inject';

/** The warning for a pod source whose sidecar options do nothing because its pods run ambient without a sidecar. */
export function ambientWarning(item: Item, inventory: Inventory): Result | undefined {
  const pods = podSourceOf(item);
  const metadata = podMetadataPath(item);
  if (!pods || !metadata) return undefined;
  // The inject label as this run leaves it: `inject: true` here gives the pods a sidecar.
  const inject = item.readNow([...metadata, 'labels', injectKey]);
  const labels = { ...pods.labels, ...(typeof inject === 'string' ? { [injectKey]: inject } : {}) };
  const why = sidecarlessAmbient(inventory, pods.namespace, labels);
  if (!why) return undefined;
  return warning(
    `${item.describe()}: ${why.reason}, so the sidecar options set on it do nothing (ztunnel carries its pods' traffic); give its pods a sidecar with inject: true (the ${injectKey} label; ambient then leaves them alone), or leave it out with select / exclude`,
    {
      ref: item.ref,
      file: item.file,
      // Where the ambient mode comes from: the pods' own label, or their namespace.
      path:
        why.from === 'pods'
          ? fieldPath([...metadata, 'labels', 'istio.io/dataplane-mode'])
          : 'metadata.namespace',
    },
  );
}
