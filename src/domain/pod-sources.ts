/**
 * Where pods come from: workload pod templates, and the pods prometheus-operator creates for Prometheus,
 * PrometheusAgent and Alertmanager resources (with the labels the operator adds).
 */
import { asObject, type Item, type Json } from '../krm/item.js';
import { isAlertmanager, isPrometheusServer, isWorkload, podTemplatePaths } from './kinds.js';
import { stringMap } from './label-selector.js';

/** A set of pods as the list describes them. */
export interface PodSource {
  item: Item;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  hostNetwork: boolean;
  /** Container ports by name, and all declared port numbers. */
  ports: { byName: Map<string, number>; numbers: Set<number> };
}

function dig(value: Json | undefined, path: readonly string[]): Json | undefined {
  let node: Json | undefined = value;
  for (const key of path) node = asObject(node)?.[key];
  return node;
}

function containerPorts(spec: Json | undefined): PodSource['ports'] {
  const byName = new Map<string, number>();
  const numbers = new Set<number>();
  for (const key of ['containers', 'initContainers']) {
    const containers = asObject(spec)?.[key];
    if (!Array.isArray(containers)) continue;
    for (const container of containers) {
      const ports = asObject(container)?.ports;
      if (!Array.isArray(ports)) continue;
      for (const port of ports) {
        const p = asObject(port);
        if (typeof p?.containerPort !== 'number') continue;
        numbers.add(p.containerPort);
        if (typeof p.name === 'string') byName.set(p.name, p.containerPort);
      }
    }
  }
  return { byName, numbers };
}

/** Labels prometheus-operator puts on the pods of a Prometheus, PrometheusAgent or Alertmanager. */
function operatorLabels(item: Item): Record<string, string> {
  const name = item.name;
  const common = {
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/managed-by': 'prometheus-operator',
  };
  if (item.kind === 'Alertmanager') {
    return { ...common, 'app.kubernetes.io/name': 'alertmanager', alertmanager: name };
  }
  if (item.kind === 'PrometheusAgent') {
    return { ...common, 'app.kubernetes.io/name': 'prometheus-agent', 'operator.prometheus.io/name': name };
  }
  return {
    ...common,
    'app.kubernetes.io/name': 'prometheus',
    prometheus: name,
    'operator.prometheus.io/name': name,
  };
}

/** The pods an item describes, or undefined when it describes none. */
export function podSourceOf(item: Item): PodSource | undefined {
  const data = item.data;
  const namespace = item.namespace ?? '';
  if (isWorkload(item)) {
    const template = dig(data, podTemplatePaths[item.kind] ?? []);
    const metadata = asObject(asObject(template)?.metadata);
    const spec = asObject(template)?.spec;
    return {
      item,
      namespace,
      labels: stringMap(metadata?.labels),
      annotations: stringMap(metadata?.annotations),
      hostNetwork: asObject(spec)?.hostNetwork === true,
      ports: containerPorts(spec),
    };
  }
  if (isPrometheusServer(item) || isAlertmanager(item)) {
    const spec = asObject(data.spec);
    const podMetadata = asObject(spec?.podMetadata);
    const webPort = item.kind === 'Alertmanager' ? 9093 : 9090;
    return {
      item,
      namespace,
      labels: { ...stringMap(podMetadata?.labels), ...operatorLabels(item) },
      annotations: stringMap(podMetadata?.annotations),
      hostNetwork: spec?.hostNetwork === true,
      ports: { byName: new Map([['web', webPort]]), numbers: new Set([webPort]) },
    };
  }
  return undefined;
}
