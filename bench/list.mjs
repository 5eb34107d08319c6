/**
 * The benchmark table's list: bench/generate.mjs's resources with a scraper and PodMonitors in place of some
 * ConfigMaps (same count), so every function finds something to act on: a Prometheus in an injected `monitoring`
 * namespace (mount-istio-certs, generate-mesh-policies' authorization), PodMonitors (fix-pod-monitors).
 */
import { resources } from './generate.mjs';

export const scraperNamespace = 'monitoring';

function prometheus() {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'Prometheus',
    metadata: { name: 'k8s', namespace: scraperNamespace, labels: { prometheus: 'k8s' } },
    spec: {
      replicas: 2,
      serviceAccountName: 'prometheus-k8s',
      serviceMonitorSelector: {},
      serviceMonitorNamespaceSelector: {},
      podMonitorSelector: {},
      podMonitorNamespaceSelector: {},
    },
  };
}

function podMonitor(monitor) {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: `${monitor.metadata.name}-pods`, namespace: monitor.metadata.namespace },
    spec: {
      selector: { matchLabels: { ...monitor.spec.selector.matchLabels } },
      podMetricsEndpoints: [{ port: 'http-metrics', path: '/metrics' }],
    },
  };
}

/**
 * `count` resources: generate.mjs's, with the last ConfigMaps replaced by the monitoring Namespace, the Prometheus
 * and one PodMonitor per 50 resources (each selects the pods of an app a ServiceMonitor also scrapes).
 */
export function benchList(count) {
  const { items } = resources(count);
  const monitors = items.filter((r) => r.kind === 'ServiceMonitor');
  const added = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: scraperNamespace, labels: { 'istio-injection': 'enabled' } },
    },
    prometheus(),
  ];
  const podMonitors = Math.min(monitors.length, Math.floor(count / 50));
  for (let i = 0; i < podMonitors; i++) added.push(podMonitor(monitors[i]));
  const out = [...items];
  let slot = out.length - 1;
  for (const resource of added) {
    while (slot >= 0 && out[slot].kind !== 'ConfigMap') slot--;
    if (slot < 0) break;
    out[slot--] = resource;
  }
  return out;
}
