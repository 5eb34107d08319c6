/** The facts about one PodMonitor that every strategy and the report start from. */
import { isMap, type YAMLMap } from 'yaml';
import type { Inventory } from '../../src/domain/inventory.js';
import {
  containerPortOf,
  type EndpointPort,
  endpointPort,
  type PodMonitorTargets,
  podMonitorTargets,
  scrapesIstioMetrics,
} from '../../src/domain/pod-monitor-targets.js';
import type { PodSource } from '../../src/domain/pod-sources.js';
import {
  asObject,
  error,
  fieldPath,
  type Item,
  type Json,
  plain,
  type Result,
  type ResultTarget,
  seqAt,
} from '../../src/krm/index.js';

/** One endpoint of a PodMonitor. */
export interface EndpointFacts {
  index: number;
  path: string;
  node: YAMLMap;
  data: { [key: string]: Json };
  port: EndpointPort;
  /** Scrapes Istio's own metrics (never intercepted): needs no fix. */
  istio: boolean;
}

/** A PodMonitor with its endpoints and targets. */
export interface Analysis {
  monitor: Item;
  key: string;
  at: (path?: string) => ResultTarget;
  endpoints: EndpointFacts[];
  /** The endpoints that need a fix under STRICT mTLS. */
  appEndpoints: EndpointFacts[];
  targets: PodMonitorTargets;
}

/** Reads a PodMonitor; an error result when it lacks what every strategy needs. */
export function analyse(monitor: Item, inventory: Inventory): Analysis | Result {
  const at = (path?: string): ResultTarget => ({ ref: monitor.ref, file: monitor.file, path });
  const seq = seqAt(monitor.node, ['spec', 'podMetricsEndpoints']);
  if (!seq) return error('a PodMonitor needs a list of podMetricsEndpoints', at('spec.podMetricsEndpoints'));
  const endpoints: EndpointFacts[] = [];
  for (const [index, node] of seq.items.entries()) {
    const path = fieldPath(['spec', 'podMetricsEndpoints', index]);
    if (!isMap(node)) return error('an endpoint must be a mapping', at(path));
    const data = asObject(plain(node)) ?? {};
    endpoints.push({ index, path, node, data, port: endpointPort(data), istio: scrapesIstioMetrics(data) });
  }
  const targets = podMonitorTargets(inventory, monitor);
  if (!targets)
    return error(
      'spec.selector is missing or not a valid label selector ({} selects all)',
      at('spec.selector'),
    );
  return {
    monitor,
    key: `${monitor.namespace ?? ''}/${monitor.name}`,
    at,
    endpoints,
    appEndpoints: endpoints.filter((e) => !e.istio),
    targets,
  };
}

/**
 * The workloads an endpoint really scrapes: Prometheus' pod role makes targets only for declared container ports,
 * so a pod that does not declare the endpoint's port is not scraped by it.
 */
export function scrapedWorkloads(
  endpoint: EndpointFacts,
  workloads: readonly PodSource[],
): { workload: PodSource; port: number }[] {
  return workloads.flatMap((workload) => {
    const port = containerPortOf(endpoint.port, workload);
    return port === undefined || !workload.ports.numbers.has(port) ? [] : [{ workload, port }];
  });
}

/** `port http-metrics` / `port 8080` for messages. */
export function describePort(port: EndpointPort): string {
  if (!port) return 'no port';
  return 'name' in port ? `port ${port.name}` : `port ${port.number}`;
}
