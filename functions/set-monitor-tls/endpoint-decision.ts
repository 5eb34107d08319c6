/**
 * What one ServiceMonitor endpoint gets, decided from the scrape path: https with the cert files exactly where the
 * target port is captured and STRICT; plain http where it is PERMISSIVE or DISABLE, for the scraper's own ports
 * and toward Istio's own ports; the app's own scheme where no sidecar captures the port.
 */
import type { ServiceTargetPort } from '../../src/domain/endpoint-targets.js';
import {
  combineRequirements,
  type Requirement,
  type ScrapeModel,
  type TargetPort,
} from '../../src/domain/scrape-path.js';
import type { Json } from '../../src/krm/index.js';
import type { SetMonitorTlsConfig } from './config.js';

/** The requirement of an endpoint over all its target ports; the namespaces decide when the list shows no pods. */
export function endpointRequirement(
  model: ScrapeModel,
  targets: readonly ServiceTargetPort[],
  namespaces: string[] | 'any',
  config: SetMonitorTlsConfig,
): Requirement {
  if (targets.length === 0) return model.requirementInNamespaces(namespaces);
  const requirements = targets.map((target) => {
    const requirement = model.requirementAt(target);
    if (requirement.send !== 'self' || config.inbound === 'auto') return requirement;
    return { ...requirement, meshInbound: config.inbound === 'mesh' };
  });
  return combineRequirements(requirements);
}

/** The own-TLS fixes a result names, depending on whether the Service port is declared HTTP. */
export function ownTlsFixes(targets: readonly (TargetPort & { declaredHttp?: boolean })[]): string {
  const ports = [...new Set(targets.map((t) => t.containerPort).filter((p) => p !== undefined))].join(', ');
  const workloads = [
    ...new Set(targets.map((t) => `${t.pods.item.kind}/${t.pods.namespace}/${t.pods.item.name}`)),
  ].join(', ');
  if (ports === '' || workloads === '')
    return 'exclude the port from inbound capture on the target workload (traffic.sidecar.istio.io/excludeInboundPorts), or add a port-level PERMISSIVE exception for its container port unless the Service declares the port HTTP (add the target workload to the list to get the exact change)';
  const exclude = `exclude port ${ports} from inbound capture on ${workloads} (traffic.sidecar.istio.io/excludeInboundPorts)`;
  if (targets.some((t) => t.declaredHttp))
    return `${exclude}; a port-level PERMISSIVE exception would not help: the Service declares the port HTTP, where Istio matches only mTLS and plain text`;
  return `${exclude}, or add a port-level PERMISSIVE exception for port ${ports} (Istio passes a plain TLS handshake through to the app there)`;
}

/** Ports the sidecar never intercepts, from the config's lists; undefined when the endpoint uses none. */
export function plainPortOf(
  endpoint: { [key: string]: Json },
  targets: readonly ServiceTargetPort[],
  config: SetMonitorTlsConfig,
): number | string | undefined {
  const numbers = targets.flatMap((t) => (t.containerPort === undefined ? [] : [t.containerPort]));
  if (typeof endpoint.targetPort === 'number') numbers.push(endpoint.targetPort);
  const names = [endpoint.port, endpoint.targetPort].filter((n): n is string => typeof n === 'string');
  return (
    numbers.find((n) => config.plainPorts.includes(n)) ?? names.find((n) => config.plainPortNames.includes(n))
  );
}
