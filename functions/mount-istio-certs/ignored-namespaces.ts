/**
 * Namespaces Istio's sidecar injector never injects into, whatever their labels say (istio `pkg/kube/inject`:
 * `IgnoredNamespaces` = kube-system, kube-public). The recipe there would add the inject label and volumes, but no
 * sidecar would appear and the cert directory would stay empty.
 */
import { error, type Item, type Result } from '../../src/krm/index.js';

const ignoredNamespaces: readonly string[] = ['kube-system', 'kube-public'];

/** The error for a scraper in such a namespace, or undefined when its namespace can be injected. */
export function ignoredNamespaceError(item: Item, certDir: string): Result | undefined {
  const namespace = item.namespace ?? '';
  if (!ignoredNamespaces.includes(namespace)) return undefined;
  return error(
    `${item.describe()} is in ${namespace}, where Istio never injects a sidecar (its injector ignores kube-system and kube-public, whatever their labels say): the cert-mount recipe would leave ${certDir} empty, so it is left unchanged; move it to a namespace with sidecar injection (relocate-namespace, see docs/ama-metrics-relocation.md), then run mount-istio-certs there`,
    { ref: item.ref, file: item.file, path: 'metadata.namespace' },
  );
}
