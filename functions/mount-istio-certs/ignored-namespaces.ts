/**
 * Namespaces Istio's sidecar injector never injects into, whatever their labels say (istio `pkg/kube/inject`:
 * `IgnoredNamespaces`: kube-system, kube-public, kube-node-lease, local-path-storage). The recipe there would add the inject label and volumes, but no
 * sidecar would appear and the cert directory would stay empty.
 */
import { neverInjectedNamespaces } from '../../src/domain/mesh.js';
import { error, type Item, type Result } from '../../src/krm/index.js';

/** The error for a scraper in such a namespace, or undefined when its namespace can be injected. */
export function ignoredNamespaceError(item: Item, certDir: string): Result | undefined {
  const namespace = item.namespace ?? '';
  if (!neverInjectedNamespaces.includes(namespace)) return undefined;
  return error(
    `${item.describe()} is in ${namespace}, where Istio never injects a sidecar (its injector ignores that namespace, whatever its labels say): the cert-mount recipe would leave ${certDir} empty, so it is left unchanged; move it to a namespace with sidecar injection (relocate-namespace does it with every reference; see docs/ama-metrics-relocation.md for the ama-metrics add-on), then run mount-istio-certs there`,
    { ref: item.ref, file: item.file, path: 'metadata.namespace' },
  );
}
