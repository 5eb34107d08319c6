/**
 * Where pods come from: workload pod templates, and the pods prometheus-operator creates for Prometheus,
 * PrometheusAgent and Alertmanager resources (with the labels the operator adds).
 */
import { asObject, type Item, type Json } from '../krm/index.js';
import { isAlertmanager, isPrometheusServer, isWorkload, podTemplatePaths } from './kinds.js';
import { stringMap } from './label-selector.js';

/** Container ports by name, all declared port numbers, and those the app itself serves TLS on. */
export interface ContainerPorts {
  byName: Map<string, number>;
  numbers: Set<number>;
  /**
   * Ports of containers that serve TLS themselves (domain.md section 0, step 6): a port named `https*`, or a
   * container started with a TLS flag (kube-rbac-proxy's `--secure-listen-address` / `--tls-cert-file`, the
   * operator's and exporters' `--web.enable-tls`).
   */
  tls: Set<number>;
}

const tlsFlags =
  /^--(?:secure-listen-address|tls-cert-file|tls-private-key-file|web\.enable-tls(?:=true)?|web\.cert-file|cert-file)(?:=|$)/;

function servesTls(container: { [key: string]: Json }): boolean {
  const words = [container.command, container.args].flatMap((list) => (Array.isArray(list) ? list : []));
  return words.some((w) => typeof w === 'string' && tlsFlags.test(w) && !/=false$/.test(w));
}

/** A set of pods as the list describes them. */
export interface PodSource {
  item: Item;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  hostNetwork: boolean;
  /** Declared container ports; read on first use (container specs are the bulk of a workload). */
  readonly ports: ContainerPorts;
}

function collectPorts(lists: readonly (Json | undefined)[]): ContainerPorts {
  const byName = new Map<string, number>();
  const numbers = new Set<number>();
  const tls = new Set<number>();
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const value of list) {
      const container = asObject(value);
      if (!container || !Array.isArray(container.ports)) continue;
      const containerTls = servesTls(container);
      for (const port of container.ports) {
        const p = asObject(port);
        if (typeof p?.containerPort !== 'number') continue;
        numbers.add(p.containerPort);
        if (typeof p.name === 'string') byName.set(p.name, p.containerPort);
        if (containerTls || (typeof p.name === 'string' && p.name.startsWith('https')))
          tls.add(p.containerPort);
      }
    }
  }
  return { byName, numbers, tls };
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

/**
 * The labels that pick the pods of one Prometheus, PrometheusAgent or Alertmanager and nothing else, for a
 * workload-scoped policy: the operator's selector labels, `app.kubernetes.io/name` with
 * `operator.prometheus.io/name` for Prometheus and PrometheusAgent, with `alertmanager: <name>` for Alertmanager,
 * whose pods do not carry `operator.prometheus.io/name` (operator pkg/alertmanager/operator.go makeSelectorLabels).
 */
export function operatorSelectorLabels(item: Item): Record<string, string> {
  const labels = operatorLabels(item);
  const own = item.kind === 'Alertmanager' ? 'alertmanager' : 'operator.prometheus.io/name';
  return { 'app.kubernetes.io/name': labels['app.kubernetes.io/name'] as string, [own]: item.name };
}

/**
 * The container ports the operator declares on the pods it creates: web, the config reloader's `reloader-web`
 * and, with `spec.thanos`, the Thanos sidecar's `http` and `grpc` (operator `prometheus/statefulset.go`).
 */
function operatorPorts(item: Item): [string, number][] {
  if (item.kind === 'Alertmanager')
    return [
      ['web', 9093],
      ['reloader-web', 8080],
      ['mesh-tcp', 9094],
    ];
  const ports: [string, number][] = [
    ['web', 9090],
    ['reloader-web', 8080],
  ];
  if (item.kind === 'Prometheus' && asObject(item.data.spec)?.thanos !== undefined)
    ports.push(['http', 10902], ['grpc', 10901]);
  return ports;
}

/** The operator's container ports a replica scrapes itself on: web, the reloader's, the Thanos sidecar's http. */
const selfPortNames = ['web', 'reloader-web', 'http'];

/** The self-scrape ports of a Prometheus or PrometheusAgent's pods (domain.md section 0, step 7), by name. */
export function selfScrapePorts(pods: PodSource): [string, number][] {
  return selfPortNames.flatMap((name): [string, number][] => {
    const port = pods.ports.byName.get(name);
    return port === undefined ? [] : [[name, port]];
  });
}

function workloadPods(item: Item): PodSource {
  const template = podTemplatePaths[item.kind] ?? [];
  let ports: ContainerPorts | undefined;
  return {
    item,
    namespace: item.namespace ?? '',
    labels: stringMap(item.read([...template, 'metadata', 'labels'])),
    annotations: stringMap(item.read([...template, 'metadata', 'annotations'])),
    hostNetwork: item.read([...template, 'spec', 'hostNetwork']) === true,
    get ports() {
      ports ??= collectPorts([
        item.read([...template, 'spec', 'containers']),
        item.read([...template, 'spec', 'initContainers']),
      ]);
      return ports;
    },
  };
}

/** The pods an item describes, or undefined when it describes none. */
export function podSourceOf(item: Item): PodSource | undefined {
  if (isWorkload(item)) return workloadPods(item);
  if (isPrometheusServer(item) || isAlertmanager(item)) {
    const spec = asObject(item.data.spec);
    const podMetadata = asObject(spec?.podMetadata);
    const byName = new Map(operatorPorts(item));
    return {
      item,
      namespace: item.namespace ?? '',
      labels: { ...stringMap(podMetadata?.labels), ...operatorLabels(item) },
      annotations: stringMap(podMetadata?.annotations),
      hostNetwork: spec?.hostNetwork === true,
      ports: { byName, numbers: new Set(byName.values()), tls: new Set<number>() },
    };
  }
  return undefined;
}

/**
 * The labels a policy for these pods selects on: the workload's own `spec.selector.matchLabels` (what every pod of
 * it carries), else the pod template labels; for operator-managed pods, the operator's selector labels.
 */
export function workloadSelector(pods: PodSource): Record<string, string> {
  if (isPrometheusServer(pods.item) || isAlertmanager(pods.item)) return operatorSelectorLabels(pods.item);
  const matchLabels = stringMap(asObject(asObject(asObject(pods.item.data.spec)?.selector))?.matchLabels);
  return Object.keys(matchLabels).length > 0 ? matchLabels : pods.labels;
}
