/**
 * Who scrapes what (domain.md section 0, step 1): the Prometheus and PrometheusAgent resources of the list and the
 * monitors each loads. A nil `*Selector` loads NO monitors and `{}` loads all; a nil `*NamespaceSelector` means the
 * server's own namespace only, `{}` every namespace (prometheus-operator `prometheus_types.go`).
 */
import { asObject, type Item, type Json } from '../krm/index.js';
import type { Inventory } from './inventory.js';
import { certVolumeName, type InboundMode, inboundModeOf } from './istio-certs.js';
import { matchesSelector, stringMap, toLabelSelector } from './label-selector.js';

/** The selector fields of a server, by monitor kind. */
const selectorFields: Readonly<Record<string, readonly [string, string]>> = {
  ServiceMonitor: ['serviceMonitorSelector', 'serviceMonitorNamespaceSelector'],
  PodMonitor: ['podMonitorSelector', 'podMonitorNamespaceSelector'],
  Probe: ['probeSelector', 'probeNamespaceSelector'],
  ScrapeConfig: ['scrapeConfigSelector', 'scrapeConfigNamespaceSelector'],
};

/** The monitor kinds a server can load. */
export const monitorKinds: readonly string[] = Object.keys(selectorFields);

/** A scraper: a Prometheus or PrometheusAgent of the list. */
export interface Scraper {
  item: Item;
  namespace: string;
  serviceAccount: string;
  inbound: InboundMode;
  /** The Prometheus container mounts the istio-certs volume. */
  mountsCerts: boolean;
  /** Where it mounts it, when it does. */
  certMountPath: string | undefined;
  /** Pods the server runs: replicas times shards (agents in DaemonSet mode: one per node, so many). */
  pods: number;
  /** `describe()` form, e.g. `Prometheus monitoring/k8s`. */
  label: string;
}

/** Whether a scraper loads a monitor, and why, for results. */
export interface Loading {
  loads: boolean | 'unknown';
  reason: string;
}

const numberOr = (value: Json | undefined, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

/** Reads a Prometheus or PrometheusAgent. */
export function scraperOf(item: Item): Scraper {
  const spec = asObject(item.data.spec) ?? {};
  const mounts = Array.isArray(spec.volumeMounts) ? spec.volumeMounts : [];
  const annotations = stringMap(asObject(spec.podMetadata)?.annotations);
  const daemonSet = spec.mode === 'DaemonSet';
  return {
    item,
    namespace: item.namespace ?? '',
    serviceAccount: typeof spec.serviceAccountName === 'string' ? spec.serviceAccountName : 'default',
    inbound: inboundModeOf(annotations),
    mountsCerts: mounts.some((m) => asObject(m)?.name === certVolumeName),
    certMountPath: certMountPathOf(mounts),
    pods: daemonSet ? 2 : numberOr(spec.replicas, 1) * numberOr(spec.shards, 1),
    label: `${item.kind} ${item.namespace ? `${item.namespace}/` : ''}${item.name}`,
  };
}

function certMountPathOf(mounts: readonly Json[]): string | undefined {
  const path = mounts.map((m) => asObject(m)).find((m) => m?.name === certVolumeName)?.mountPath;
  return typeof path === 'string' ? path : undefined;
}

/** Whether a server's namespace selector covers a namespace, as far as the list shows. */
function coversNamespace(
  inventory: Inventory,
  scraper: Scraper,
  selectorValue: Json | undefined,
  namespace: string,
  field: string,
): Loading {
  if (selectorValue === undefined || selectorValue === null) {
    return namespace === scraper.namespace
      ? { loads: true, reason: `${field} is unset: its own namespace ${namespace}` }
      : { loads: false, reason: `${field} is unset, so only its own namespace ${scraper.namespace}` };
  }
  const selector = toLabelSelector(selectorValue);
  if (!selector) return { loads: 'unknown', reason: `${field} is not a valid label selector` };
  const listed = inventory.namespaceLabels(namespace);
  // The API server labels every namespace with its name; that much is known without the Namespace resource.
  const labels = { ...(listed ?? {}), 'kubernetes.io/metadata.name': namespace };
  if (matchesSelector(selector, labels))
    return { loads: true, reason: `${field} matches namespace ${namespace}` };
  if (!listed)
    return { loads: 'unknown', reason: `the list has no Namespace ${namespace} to match ${field} against` };
  return { loads: false, reason: `${field} does not match namespace ${namespace}` };
}

/** Whether a scraper loads a monitor (ServiceMonitor, PodMonitor, Probe, ScrapeConfig). */
export function loadsMonitor(inventory: Inventory, scraper: Scraper, monitor: Item): Loading {
  const fields = selectorFields[monitor.kind];
  if (!fields) return { loads: false, reason: `${monitor.kind} is not a monitor kind` };
  const [selectorField, namespaceField] = fields;
  const spec = asObject(scraper.item.data.spec) ?? {};
  const selectorValue = spec[selectorField];
  if (selectorValue === undefined || selectorValue === null)
    return {
      loads: false,
      reason: `${scraper.label} has no ${selectorField}, which loads no ${monitor.kind}`,
    };
  const selector = toLabelSelector(selectorValue);
  if (!selector)
    return { loads: 'unknown', reason: `${scraper.label}: ${selectorField} is not a valid label selector` };
  const labels = stringMap(monitor.read(['metadata', 'labels']));
  if (!matchesSelector(selector, labels))
    return { loads: false, reason: `${scraper.label}: ${selectorField} does not match its labels` };
  const namespace = coversNamespace(
    inventory,
    scraper,
    spec[namespaceField],
    monitor.namespace ?? '',
    namespaceField,
  );
  return { loads: namespace.loads, reason: `${scraper.label}: ${namespace.reason}` };
}
