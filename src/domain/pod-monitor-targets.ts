/** What a PodMonitor selects: the pod sources in the list, per Kubernetes label selector semantics. */
import type { Item, Json } from '../krm/index.js';
import type { Inventory } from './inventory.js';
import { isWorkload } from './kinds.js';
import { type LabelSelector, monitorSelector } from './label-selector.js';
import type { PodSource } from './pod-sources.js';
import { membershipOf, monitorNamespaces, type TargetMembership } from './targets.js';

/** Istio's own metrics: the sidecar's Envoy port, the agent's merged port; both never intercepted. */
export const istioMetricsPortNames: readonly string[] = ['http-envoy-prom'];
/** Port numbers of Istio's own metrics. */
export const istioMetricsPorts: readonly number[] = [15090, 15020];
/** Ports the sidecar never intercepts: Envoy stats, the agent's merged metrics, istiod monitoring, gateway health. */
export const istioPlainPorts: readonly number[] = [15090, 15020, 15014, 15021];
/** The names Istio gives those ports. */
export const istioPlainPortNames: readonly string[] = [
  'http-envoy-prom',
  'http-monitoring',
  'status-port',
  'http-status',
];
/** Path Envoy and the agent serve their stats on. */
export const istioStatsPath = '/stats/prometheus';

/** The pods a PodMonitor selects and their membership. */
export interface PodMonitorTargets {
  selector: LabelSelector;
  namespaces: string[] | 'any';
  /** Workloads (Deployments, ..., Pods) whose pod template the selector matches. */
  workloads: PodSource[];
  membership: TargetMembership;
}

/** Resolves a PodMonitor's selector and namespaceSelector against the list's workloads. */
export function podMonitorTargets(inventory: Inventory, monitor: Item): PodMonitorTargets | undefined {
  const selector = monitorSelector(monitor.data.spec);
  if (!selector) return undefined;
  const namespaces = monitorNamespaces(monitor);
  const searched = namespaces === 'any' ? inventory.podNamespaces() : namespaces;
  const workloads = searched.flatMap((ns) =>
    inventory.podSourcesMatching(ns, selector).filter((pods) => isWorkload(pods.item)),
  );
  return { selector, namespaces, workloads, membership: membershipOf(inventory, workloads, namespaces) };
}

/** How an endpoint names its port: by container port name, or by number. */
export type EndpointPort = { name: string } | { number: number } | undefined;

/** The port an endpoint scrapes: `port` (a name), `portNumber`, or the deprecated `targetPort`. */
export function endpointPort(endpoint: { [key: string]: Json }): EndpointPort {
  if (typeof endpoint.port === 'string' && endpoint.port !== '') return { name: endpoint.port };
  if (typeof endpoint.portNumber === 'number') return { number: endpoint.portNumber };
  const target = endpoint.targetPort;
  if (typeof target === 'number') return { number: target };
  if (typeof target === 'string' && /^\d+$/.test(target)) return { number: Number(target) };
  if (typeof target === 'string' && target !== '') return { name: target };
  return undefined;
}

/** The container port number an endpoint's port means in one set of pods, if they declare it. */
export function containerPortOf(port: EndpointPort, pods: PodSource): number | undefined {
  if (!port) return undefined;
  if ('number' in port) return port.number;
  return pods.ports.byName.get(port.name);
}

/** True for endpoints that scrape Istio's own metrics (never intercepted, never need a fix). */
export function scrapesIstioMetrics(endpoint: { [key: string]: Json }): boolean {
  const port = endpointPort(endpoint);
  if (port && 'name' in port && istioMetricsPortNames.includes(port.name)) return true;
  if (port && 'number' in port && istioMetricsPorts.includes(port.number)) return true;
  return endpoint.path === istioStatsPath;
}

/**
 * Which of Istio's own ports an endpoint scrapes toward a container port, as fix-pod-monitors (`scrapesIstioMetrics`)
 * and set-monitor-tls (`plainPorts`, `plainPortNames` by default) see them; undefined for an app port.
 */
export function istioPortOf(
  endpoint: { [key: string]: Json },
  containerPort: number | undefined,
): string | undefined {
  const names = [endpoint.port, endpoint.targetPort].filter((n): n is string => typeof n === 'string');
  const numbers = [endpoint.portNumber, endpoint.targetPort, containerPort].filter(
    (n): n is number => typeof n === 'number',
  );
  const port =
    names.find((n) => istioPlainPortNames.includes(n)) ?? numbers.find((n) => istioPlainPorts.includes(n));
  if (port !== undefined) return `port ${port}`;
  return scrapesIstioMetrics(endpoint) ? `path ${istioStatsPath}` : undefined;
}
