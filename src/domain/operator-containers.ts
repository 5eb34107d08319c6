/**
 * The containers prometheus-operator creates in the pods of a Prometheus or PrometheusAgent, read from the
 * operator's source (pkg/prometheus/server/statefulset.go, agent/statefulset.go and agent/daemonset.go; the reloader's
 * name from common.go `BuildConfigReloader`): `prometheus` and `config-reloader` for both kinds, `thanos-sidecar`
 * only for a Prometheus with `spec.thanos` (`createThanosContainer` returns nil without it). `spec.containers`
 * entries are merged by name into these (`k8s.MergePatchContainers`); an entry matching none is appended as a
 * container of its own, which then needs an image.
 */
import { asObject, type Item } from '../krm/index.js';

/** How a container name stands in the pods the operator creates for one server. */
export type OperatorContainer =
  /** `prometheus`: mounts come from `spec.volumeMounts`. */
  | { state: 'main' }
  /** The operator creates it; a `spec.containers` entry of that name is merged into it. */
  | { state: 'created' }
  /** A container the operator creates only in other cases; the reason says which. */
  | { state: 'absent'; reason: string }
  /** Not a name the operator uses. */
  | { state: 'unknown' };

/** The container names the operator creates for this server, in pod order. */
export function operatorContainerNames(server: Item): string[] {
  const names = ['prometheus', 'config-reloader'];
  if (server.kind === 'Prometheus' && hasThanos(server)) names.push('thanos-sidecar');
  return names;
}

function hasThanos(server: Item): boolean {
  const thanos = asObject(server.data.spec)?.thanos;
  return thanos !== undefined && thanos !== null;
}

/** Whether the operator creates a container of this name in a Prometheus or PrometheusAgent pod. */
export function operatorContainer(server: Item, name: string): OperatorContainer {
  if (name === 'prometheus') return { state: 'main' };
  if (name === 'config-reloader') return { state: 'created' };
  if (name !== 'thanos-sidecar') return { state: 'unknown' };
  if (server.kind === 'PrometheusAgent')
    return {
      state: 'absent',
      reason:
        'a PrometheusAgent runs no Thanos sidecar (the operator creates only prometheus and config-reloader)',
    };
  if (!hasThanos(server))
    return {
      state: 'absent',
      reason:
        'the operator creates thanos-sidecar only when spec.thanos is set, and this Prometheus has none',
    };
  return { state: 'created' };
}
