/** What a monitor or a URL points at: the Services, the pods behind them, and whether those pods are in the mesh. */
import { asObject, type Item } from '../krm/index.js';
import type { Inventory } from './inventory.js';
import { type LabelSelector, monitorSelector } from './label-selector.js';
import { combineMemberships, type Membership, namespaceMembership, podMembership } from './mesh.js';
import type { PodSource } from './pod-sources.js';

/** The verdict for a target set, with `mixed` when the pods behind it disagree. */
export type TargetMembership = Membership | { state: 'mixed'; reason: string };

/** The Services and pods behind a monitor. */
export interface Targets {
  services: Item[];
  pods: PodSource[];
  membership: TargetMembership;
}

/** Namespaces a monitor's `namespaceSelector` covers; `any` when it covers all. */
export function monitorNamespaces(monitor: Item): string[] | 'any' {
  const spec = asObject(monitor.data.spec);
  const selector = asObject(spec?.namespaceSelector);
  if (selector?.any === true) return 'any';
  const names = selector?.matchNames;
  if (Array.isArray(names) && names.length > 0)
    return names.filter((n): n is string => typeof n === 'string');
  return [monitor.namespace ?? ''];
}

/** Membership of the pods behind some Services, falling back to what the namespaces show. */
export function membershipOf(
  inventory: Inventory,
  pods: readonly PodSource[],
  namespaces: string[] | 'any',
): TargetMembership {
  if (pods.length > 0) return combineMemberships(pods.map((p) => podMembership(inventory, p)));
  if (namespaces === 'any')
    return { state: 'unknown', reason: 'the monitor selects Services in any namespace' };
  return combineMemberships(namespaces.map((ns) => namespaceMembership(inventory, ns)));
}

/** The Services a ServiceMonitor selects in the list, the pods behind them, and their mesh membership. */
export function serviceMonitorTargets(
  inventory: Inventory,
  monitor: Item,
): Targets | { invalidSelector: true } {
  const selector: LabelSelector | undefined = monitorSelector(monitor.data.spec);
  if (!selector) return { invalidSelector: true };
  const namespaces = monitorNamespaces(monitor);
  const searched = namespaces === 'any' ? inventory.serviceNamespaces() : namespaces;
  const services = searched.flatMap((ns) => inventory.servicesMatching(ns, selector));
  const pods = services.flatMap((service) => inventory.podsOfService(service));
  const unique = [...new Set(pods)];
  const membership =
    services.length === 0 && namespaces === 'any'
      ? { state: 'unknown' as const, reason: 'the list has no Service this monitor selects' }
      : membershipOf(inventory, unique, namespaces);
  return { services, pods: unique, membership };
}

/** The in-cluster Service a URL names (`http://name.namespace.svc:port/...`), if it names one. */
export function serviceOfUrl(
  url: string,
  defaultNamespace: string,
): { name: string; namespace: string } | undefined {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return undefined;
  }
  const parts = host.split('.');
  if (parts.length === 1) return { name: parts[0] as string, namespace: defaultNamespace };
  if (parts.length === 2 || parts[2] === 'svc')
    return { name: parts[0] as string, namespace: parts[1] as string };
  return undefined;
}
