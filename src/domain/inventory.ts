/** An index of the list's Namespaces, Services and pod sources, built from item headers; items parse on demand. */
import type { Item } from '../krm/index.js';
import { isAlertmanager, isNamespace, isPrometheusServer, isService, isWorkload } from './kinds.js';
import { type LabelSelector, matchesSelector, matchesServiceSelector, stringMap } from './label-selector.js';
import { type PodSource, podSourceOf } from './pod-sources.js';

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** What the list shows about the cluster, for deciding where scrapes go. */
export class Inventory {
  private readonly namespaces = new Map<string, Item>();
  private readonly services = new Map<string, Item[]>();
  private readonly podItems = new Map<string, Item[]>();
  private readonly podCache = new Map<string, PodSource[]>();
  /** `namespace key=value` -> pod sources with that label: selectors look up candidates instead of scanning. */
  private readonly podsByLabel = new Map<string, PodSource[]>();
  private readonly servicesByLabel = new Map<string, Item[]>();
  private readonly servicePods = new Map<Item, PodSource[]>();
  /** Prometheus and PrometheusAgent resources in the list. */
  readonly prometheusServers: Item[] = [];

  constructor(items: readonly Item[]) {
    for (const item of items) {
      const namespace = item.namespace ?? '';
      if (isNamespace(item)) this.namespaces.set(item.name, item);
      else if (isService(item)) push(this.services, namespace, item);
      else if (isWorkload(item) || isAlertmanager(item)) push(this.podItems, namespace, item);
      else if (isPrometheusServer(item)) {
        push(this.podItems, namespace, item);
        this.prometheusServers.push(item);
      }
    }
  }

  /** The Namespace resource of that name, when the list has it. */
  namespace(name: string): Item | undefined {
    return this.namespaces.get(name);
  }

  /** Labels of a Namespace in the list, or undefined when the list does not have it. */
  namespaceLabels(name: string): Record<string, string> | undefined {
    const item = this.namespaces.get(name);
    if (!item) return undefined;
    return stringMap(item.read(['metadata', 'labels']));
  }

  /** Services in a namespace. */
  servicesIn(namespace: string): readonly Item[] {
    return this.services.get(namespace) ?? [];
  }

  /** Namespaces in which the list has pod sources. */
  podNamespaces(): string[] {
    return [...this.podItems.keys()];
  }

  /** Namespaces in which the list has Services. */
  serviceNamespaces(): string[] {
    return [...this.services.keys()];
  }

  /** A Service by namespace and name. */
  service(namespace: string, name: string): Item | undefined {
    return this.servicesIn(namespace).find((s) => s.name === name);
  }

  /** Pod sources (workloads, operator-managed servers) in a namespace. */
  podSourcesIn(namespace: string): readonly PodSource[] {
    let cached = this.podCache.get(namespace);
    if (!cached) {
      cached = (this.podItems.get(namespace) ?? []).flatMap((item) => podSourceOf(item) ?? []);
      this.podCache.set(namespace, cached);
      for (const pods of cached)
        for (const [key, value] of Object.entries(pods.labels))
          push(this.podsByLabel, labelKey(namespace, key, value), pods);
    }
    return cached;
  }

  /** Pod sources of a namespace whose labels satisfy a label selector. */
  podSourcesMatching(namespace: string, selector: LabelSelector): PodSource[] {
    const all = this.podSourcesIn(namespace);
    const candidates = fewest(this.podsByLabel, namespace, selector) ?? all;
    return candidates.filter((pods) => matchesSelector(selector, pods.labels));
  }

  /** Services of a namespace whose labels satisfy a label selector. */
  servicesMatching(namespace: string, selector: LabelSelector): Item[] {
    if (Object.keys(selector.matchLabels ?? {}).length === 0)
      return this.servicesIn(namespace).filter((s) =>
        matchesSelector(selector, stringMap(s.read(['metadata', 'labels']))),
      );
    if (!this.servicesByLabel.has(`${namespace}\0`)) {
      this.servicesByLabel.set(`${namespace}\0`, []);
      for (const service of this.servicesIn(namespace))
        for (const [key, value] of Object.entries(stringMap(service.read(['metadata', 'labels']))))
          push(this.servicesByLabel, labelKey(namespace, key, value), service);
    }
    return (fewest(this.servicesByLabel, namespace, selector) ?? []).filter((s) =>
      matchesSelector(selector, stringMap(s.read(['metadata', 'labels']))),
    );
  }

  /** The pods a Service selects. A Service without a selector selects none in the list. */
  podsOfService(service: Item): PodSource[] {
    let pods = this.servicePods.get(service);
    if (!pods) {
      const selector = stringMap(service.read(['spec', 'selector']));
      const namespace = service.namespace ?? '';
      this.podSourcesIn(namespace);
      const first = Object.entries(selector)[0];
      const candidates = first ? (this.podsByLabel.get(labelKey(namespace, first[0], first[1])) ?? []) : [];
      pods = candidates.filter((p) => matchesServiceSelector(selector, p.labels));
      this.servicePods.set(service, pods);
    }
    return pods;
  }
}

const labelKey = (namespace: string, key: string, value: string): string => `${namespace}\0${key}=${value}`;

/**
 * The shortest candidate list among a selector's `matchLabels` entries (every match carries all of them), or
 * undefined when it has none. The first entry alone is often a label every workload of a team carries.
 */
function fewest<T>(
  index: ReadonlyMap<string, T[]>,
  namespace: string,
  selector: LabelSelector,
): T[] | undefined {
  let best: T[] | undefined;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const candidates = index.get(labelKey(namespace, key, value)) ?? [];
    if (!best || candidates.length < best.length) best = candidates;
  }
  return best;
}
