/**
 * Windows pods: Istio has no Windows sidecar (istio/istio#39788, maintainers: "not supported", tracked in #27893).
 * The ama-metrics add-on's chart ships one (DaemonSet ama-metrics-win-node, nodeSelector kubernetes.io/os: windows).
 */
import { asObject, type Json } from '../krm/index.js';

const osLabel = 'kubernetes.io/os';

/** Whether a pod spec schedules only on Windows nodes: its nodeSelector, or every required affinity term, says so. */
export function windowsOnly(podSpec: Json | undefined): boolean {
  const spec = asObject(podSpec);
  if (!spec) return false;
  if (asObject(spec.nodeSelector)?.[osLabel] === 'windows') return true;
  const terms = asObject(
    asObject(asObject(spec.affinity)?.nodeAffinity)?.requiredDuringSchedulingIgnoredDuringExecution,
  )?.nodeSelectorTerms;
  if (!Array.isArray(terms) || terms.length === 0) return false;
  return terms.every((term) => {
    const expressions = asObject(term)?.matchExpressions;
    return (
      Array.isArray(expressions) &&
      expressions.some((e) => {
        const x = asObject(e);
        return (
          x?.key === osLabel &&
          x.operator === 'In' &&
          Array.isArray(x.values) &&
          x.values.length > 0 &&
          x.values.every((v) => v === 'windows')
        );
      })
    );
  });
}
