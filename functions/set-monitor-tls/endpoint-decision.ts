/**
 * What one ServiceMonitor endpoint gets, decided from the scrape path: https with the cert files exactly where the
 * target port is captured and STRICT; plain http where it is PERMISSIVE or DISABLE, for the scraper's own ports
 * and toward Istio's own ports; the app's own scheme where no sidecar captures the port.
 */
import type { ServiceTargetPort } from '../../src/domain/endpoint-targets.js';
import { combineRequirements, type Requirement, type ScrapeModel } from '../../src/domain/scrape-path.js';
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
