/**
 * Namespaces where Istio never injects a sidecar, whatever the pods' labels say: those its injector ignores
 * (istio `pkg/kube/inject`: `IgnoredNamespaces`: kube-system, kube-public, kube-node-lease, local-path-storage), and
 * a Namespace of the list labelled `istio-injection=disabled`, which every injector webhook reading the pod's own
 * label skips (istio manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml). The recipe
 * there would add the inject label and volumes, but no sidecar would appear and the cert directory would stay empty.
 */
import type { Inventory } from '../../src/domain/inventory.js';
import { neverInjectedNamespaces } from '../../src/domain/mesh.js';
import { error, type Item, type Result } from '../../src/krm/index.js';

/** The error for a scraper in such a namespace, or undefined when its namespace can be injected. */
export function ignoredNamespaceError(item: Item, certDir: string, inventory: Inventory): Result | undefined {
  const namespace = item.namespace ?? '';
  const ignored = neverInjectedNamespaces.includes(namespace);
  const disabled = inventory.namespaceLabels(namespace)?.['istio-injection'] === 'disabled';
  if (!ignored && !disabled) return undefined;
  const why = ignored
    ? 'its injector ignores that namespace, whatever its labels say'
    : "the Namespace is labelled istio-injection=disabled, which wins over the pods' own inject label";
  const fix = ignored
    ? 'move it to a namespace with sidecar injection (relocate-namespace does it with every reference; see docs/ama-metrics-relocation.md for the ama-metrics add-on), then run mount-istio-certs there'
    : `remove the istio-injection=disabled label from Namespace ${namespace} (or set it to enabled), or move the scraper to a namespace with injection`;
  return error(
    `${item.describe()} is in ${namespace}, where Istio never injects a sidecar (${why}): the cert-mount recipe would leave ${certDir} empty, so it is left unchanged; ${fix}`,
    { ref: item.ref, file: item.file, path: 'metadata.namespace' },
  );
}
