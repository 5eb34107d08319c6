/**
 * Kubernetes NetworkPolicies that would block a port (domain.md section 0, step 9): merged metrics and Envoy stats
 * move scrapes to 15020 / 15090, and NetworkPolicies that allow only the app ports then drop them.
 */
import { asObject, type Item, type Json } from '../krm/index.js';
import { matchesSelector, toLabelSelector } from './label-selector.js';
import type { PodSource } from './pod-sources.js';

const isNetworkPolicy = (item: Item): boolean =>
  item.kind === 'NetworkPolicy' && item.group === 'networking.k8s.io';

/** Ingress isolates the pods when listed in `policyTypes`, or when `policyTypes` is unset (Kubernetes' default). */
function isolatesIngress(spec: { [key: string]: Json }): boolean {
  const types = spec.policyTypes;
  return !Array.isArray(types) || types.includes('Ingress');
}

/** A rule's `ports` admits a TCP port number: no list (all ports), or an entry naming it or a range holding it. */
function admits(rule: { [key: string]: Json }, port: number): boolean {
  const ports = rule.ports;
  if (!Array.isArray(ports) || ports.length === 0) return true;
  return ports.some((entry) => {
    const p = asObject(entry);
    if (!p || (p.protocol !== undefined && p.protocol !== 'TCP')) return false;
    if (p.port === undefined) return true;
    const from =
      typeof p.port === 'number' ? p.port : /^\d+$/.test(String(p.port)) ? Number(p.port) : undefined;
    if (from === undefined) return false;
    const to = typeof p.endPort === 'number' ? p.endPort : from;
    return port >= from && port <= to;
  });
}

/**
 * The NetworkPolicies of the list that isolate these pods for Ingress, when together they admit nothing on `port`
 * (empty when none isolates them or one of them admits it: policies add up, one admitting rule is enough).
 */
export function ingressBlockers(items: readonly Item[], pods: PodSource, port: number): Item[] {
  const isolating = items.filter((item) => {
    if (!isNetworkPolicy(item) || (item.namespace ?? '') !== pods.namespace) return false;
    const spec = asObject(item.data.spec) ?? {};
    const selector = toLabelSelector(spec.podSelector ?? {});
    return selector !== undefined && matchesSelector(selector, pods.labels) && isolatesIngress(spec);
  });
  const admitted = isolating.some((item) => {
    const rules = asObject(item.data.spec)?.ingress;
    return Array.isArray(rules) && rules.some((rule) => admits(asObject(rule) ?? {}, port));
  });
  return admitted ? [] : isolating;
}
