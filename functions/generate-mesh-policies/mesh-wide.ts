/**
 * A PeerAuthentication without selector in Istio's root namespace is the mesh-wide policy: every workload of
 * every namespace without a policy of its own takes its mode (domain.md section 0; istio.io PeerAuthentication
 * "mesh-wide"). Generated PERMISSIVE or DISABLE there, it loosens mTLS for the whole mesh, which is never what a
 * scrape path needs (that is one port of one workload): a warning says exactly what is loosened.
 */
import type { Wanted } from '../../src/domain/reconcile-generated.js';
import { asObject, type Result, warning } from '../../src/krm/index.js';
import type { GenerateMeshPoliciesConfig } from './config.js';

const loosened: Readonly<Record<string, string>> = {
  PERMISSIVE:
    'every sidecar of every namespace without a PeerAuthentication of its own then accepts plain text, without caller identity, on every captured port, next to mTLS',
  DISABLE:
    'every sidecar of every namespace without a PeerAuthentication of its own then accepts only plain text on every captured port, and mesh clients stop sending it mTLS (auto mTLS), so no caller identity and no encryption between workloads',
};

/** A warning for each generated mesh-wide PeerAuthentication whose mode is not STRICT. */
export function meshWideWarnings(config: GenerateMeshPoliciesConfig, wanted: readonly Wanted[]): Result[] {
  const results: Result[] = [];
  for (const { item } of wanted) {
    if (item.kind !== 'PeerAuthentication' || item.namespace !== config.rootNamespace) continue;
    const spec = asObject(item.data.spec);
    if (asObject(spec?.selector) !== undefined) continue;
    const mode = asObject(spec?.mtls)?.mode;
    if (typeof mode !== 'string' || !(mode in loosened)) continue;
    results.push(
      warning(
        `PeerAuthentication/${item.namespace}/${item.name} is mesh-wide (${item.namespace} is Istio's root namespace, no selector) with mode ${mode}: it lowers mTLS for the whole mesh: ${loosened[mode]}; scraping needs at most one port of one workload opened (exceptions), so list the monitoring namespaces in namespaces instead, or keep mtls: STRICT`,
        { ref: item.ref, path: 'spec.mtls.mode' },
      ),
    );
  }
  return results;
}
