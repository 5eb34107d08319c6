/**
 * PeerAuthentication rules istiod applies but a render does not show (domain.md section 0 step 4, section 3):
 * `portLevelMtls` needs a selector (the CRD's rule, IST0106); a selector policy in the root namespace is ignored;
 * `portLevelMtls` is keyed by container port number, never a port name or a Service port; and a workload selector
 * that leaves out other workloads of the same identity.
 */
import type { Inventory } from '../../src/domain/inventory.js';
import { podTemplatePaths } from '../../src/domain/kinds.js';
import { stringMap } from '../../src/domain/label-selector.js';
import type { PodSource } from '../../src/domain/pod-sources.js';
import { windowsOnly } from '../../src/domain/windows-pods.js';
import { asObject, fieldPath, type Item, type Json } from '../../src/krm/index.js';
import { serviceAccountOf } from './authorization-rules.js';
import { type Finding, finding } from './finding.js';

const matches = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Whether the pods schedule only on Windows nodes (the workload's pod spec says so). */
function windowsPods(pods: PodSource): boolean {
  const template = podTemplatePaths[pods.item.kind];
  let node: Json | undefined = pods.item.data;
  for (const key of template ? [...template, 'spec'] : ['spec']) node = asObject(node)?.[key];
  return windowsOnly(node);
}

/** Service ports (of Services selecting these pods) numbered `port` whose target is another port. */
function servicePortsNumbered(inventory: Inventory, pods: readonly PodSource[], port: number): string[] {
  const out: string[] = [];
  for (const pod of pods)
    for (const service of inventory.servicesIn(pod.namespace)) {
      if (!inventory.podsOfService(service).includes(pod)) continue;
      const ports = service.read(['spec', 'ports']);
      for (const p of Array.isArray(ports) ? ports : []) {
        const sp = asObject(p);
        if (sp?.port !== port) continue;
        const target = sp.targetPort;
        const container =
          typeof target === 'number'
            ? target
            : typeof target === 'string'
              ? /^\d+$/.test(target)
                ? Number(target)
                : pod.ports.byName.get(target)
              : port;
        if (container !== undefined && container !== port)
          out.push(
            `Service ${service.namespace}/${service.name} port ${port} -> container port ${container}`,
          );
      }
    }
  return [...new Set(out)];
}

/** The findings of one portLevelMtls key on a policy selecting these pods. */
function portKeyFindings(
  inventory: Inventory,
  item: Item,
  key: string,
  selected: readonly PodSource[],
): Finding[] {
  const path = fieldPath(['spec', 'portLevelMtls', key]);
  if (!/^\d+$/.test(key)) {
    const byName = selected.flatMap((p) => {
      const n = p.ports.byName.get(key);
      return n === undefined ? [] : [n];
    });
    return [
      finding(
        'MS0013',
        item,
        path,
        `portLevelMtls is keyed by "${key}", a port name: Istio keys it by container port number only${byName.length > 0 ? ` (${key} is container port ${[...new Set(byName)].join(', ')} of the selected pods)` : ''}, so the exception never applies`,
        byName.length > 0 ? { fix: `key it "${byName[0]}"` } : {},
      ),
    ];
  }
  const port = Number(key);
  if (selected.length === 0 || selected.some((p) => p.ports.numbers.has(port))) return [];
  const services = servicePortsNumbered(inventory, selected, port);
  if (services.length === 0) return [];
  return [
    finding(
      'MS0013',
      item,
      path,
      `portLevelMtls key ${port} is a Service port, not a container port of the selected pods (${services.join('; ')}): Istio matches the container port, so the exception never applies`,
    ),
  ];
}

/** The pods a workload policy selects, and those of the same service accounts it leaves out. */
function identitySplit(
  inventory: Inventory,
  item: Item,
  selector: Record<string, string>,
  selected: readonly PodSource[],
  selectors: readonly Record<string, string>[],
): Finding[] {
  const accounts = new Set(selected.map(serviceAccountOf));
  accounts.delete('default');
  if (accounts.size === 0) return [];
  const left = inventory.podSourcesIn(item.namespace ?? '').filter(
    (p) =>
      !selected.includes(p) &&
      accounts.has(serviceAccountOf(p)) &&
      // A workload with a policy of its own is covered.
      !selectors.some((other) => matches(other, p.labels)) &&
      // A Windows pod gets no Istio sidecar (istio/istio#39788): no policy needs to reach it.
      !windowsPods(p),
  );
  if (left.length === 0) return [];
  const name = (p: PodSource): string => `${p.item.kind}/${p.namespace}/${p.item.name}`;
  const selectorText = Object.entries(selector)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  return [
    finding(
      'MS0014',
      item,
      'spec.selector',
      `the selector {${selectorText}} selects ${selected.map(name).join(', ')} but not ${left.map(name).join(', ')}, which run as the same service account (${[...accounts].join(', ')}): this policy's mode and port exceptions do not reach them`,
    ),
  ];
}

/** Every PeerAuthentication finding of the list. */
export function peerAuthenticationFindings(
  inventory: Inventory,
  items: readonly Item[],
  rootNamespace: string,
): Finding[] {
  const findings: Finding[] = [];
  const policies = items.filter((i) => i.kind === 'PeerAuthentication' && i.group === 'security.istio.io');
  const selectorsIn = (ns: string): Record<string, string>[] =>
    policies
      .filter((p) => p.namespace === ns)
      .map((p) => stringMap(asObject(asObject(p.data.spec)?.selector)?.matchLabels))
      .filter((s) => Object.keys(s).length > 0);
  for (const item of policies) {
    const spec = asObject(item.data.spec) ?? {};
    const selector = stringMap(asObject(spec.selector)?.matchLabels);
    const hasSelector = Object.keys(selector).length > 0;
    const portLevel = asObject(spec.portLevelMtls as Json | undefined);
    if (portLevel && Object.keys(portLevel).length > 0 && !hasSelector)
      findings.push(
        finding(
          'IST0106',
          item,
          'spec.portLevelMtls',
          'Schema validation error: portLevelMtls requires selector (istiod: mesh/namespace peer authentication cannot have port level mTLS)',
          { fix: 'move the port exception into a workload policy with a selector from the pod labels' },
        ),
      );
    if (!hasSelector) continue;
    if (item.namespace === rootNamespace) {
      findings.push(
        finding(
          'MS0012',
          item,
          'spec.selector',
          `a PeerAuthentication with a selector in the root namespace ${rootNamespace} is ignored by Istio: it applies to no workload`,
        ),
      );
      continue;
    }
    const selected = inventory.podSourcesIn(item.namespace ?? '').filter((p) => matches(selector, p.labels));
    for (const key of Object.keys(portLevel ?? {}))
      findings.push(...portKeyFindings(inventory, item, key, selected));
    if (selected.length > 0)
      findings.push(...identitySplit(inventory, item, selector, selected, selectorsIn(item.namespace ?? '')));
  }
  return findings;
}
