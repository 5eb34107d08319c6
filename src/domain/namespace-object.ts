/**
 * A Namespace that turns Istio's sidecar injection on, shared by the functions that generate one
 * (relocate-namespace for the namespace it moves into, generate-mesh-policies for the namespaces it writes policies
 * for): the label is `istio-injection: enabled` or `istio.io/rev: <revision>`, never both (Istio reads the revision
 * label first and a namespace with both is ambiguous to readers). One the user wrote is checked, not rewritten.
 */
import { Item, type Resource } from '../krm/index.js';
import { stringMap } from './label-selector.js';
import { beforeWorkloadsWave, syncWaveAnnotation } from './sync-wave.js';

/** The injection label of a namespace: the revision label when a revision is given. */
export function injectionLabels(revision: string | undefined): Record<string, string> {
  return revision ? { 'istio.io/rev': revision } : { 'istio-injection': 'enabled' };
}

/** The labels as `key: value`, for messages. */
export const labelText = (labels: Readonly<Record<string, string>>): string =>
  Object.entries(labels)
    .map(([k, v]) => `${k}: ${v}`)
    .join('');

/** How a Namespace someone wrote turns injection on: both labels, one of them, or neither. */
export function namespaceInjection(namespace: Item): 'both' | 'enabled' | 'missing' {
  const labels = stringMap(namespace.read(['metadata', 'labels']));
  const rev = labels['istio.io/rev'];
  const inject = labels['istio-injection'];
  if (rev !== undefined && inject !== undefined) return 'both';
  return inject === 'enabled' || rev !== undefined ? 'enabled' : 'missing';
}

/** The message for a Namespace carrying both injection labels. */
export const bothLabelsMessage =
  'carries both istio-injection and istio.io/rev: use one (istio.io/rev for a revision)';

/**
 * A generated Namespace (the metadata carries the injection labels and the generated-by annotation), in the sync
 * wave before the workloads (src/domain/sync-wave.ts).
 */
export function namespaceObject(metadata: Resource): Item {
  const { namespace: _cluster, ...clusterScoped } = metadata;
  const annotations = {
    ...(clusterScoped.annotations as Resource | undefined),
    [syncWaveAnnotation]: beforeWorkloadsWave,
  };
  return Item.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { ...clusterScoped, annotations } });
}
