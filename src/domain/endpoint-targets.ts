/**
 * The container ports a monitor endpoint reaches (domain.md section 0, step 2): a ServiceMonitor endpoint goes
 * through the selected Services' port (`port` is a Service port name, `targetPort` the pods' port) to the container
 * port that port's `targetPort` names; a PodMonitor endpoint names the container port directly.
 */
import { asObject, type Item, type Json } from '../krm/index.js';
import { containerPortOf, endpointPort } from './pod-monitor-targets.js';
import type { PodSource } from './pod-sources.js';
import type { ScrapeModel, TargetPort } from './scrape-path.js';
import type { Scraper } from './scrapers.js';

/** A target port with the Service port it was reached through, when there is one. */
export interface ServiceTargetPort extends TargetPort {
  service: Item;
  /** The Service port declares HTTP (name `http`/`http-*`/`http2`/`grpc*`, or `appProtocol: http`): Istio then
   * matches only mTLS and plain text there, so a PERMISSIVE exception cannot pass the app's own TLS through. */
  declaredHttp: boolean;
  /** The Service port declares a protocol Istio does not read as HTTP (`tcp-*`, `tls-*`, `https-*`, ...): HTTP
   * attributes (paths, methods) of an AuthorizationPolicy never match there. */
  declaredOpaque: boolean;
}

const httpNames = /^(http|http2|grpc|grpc-web)(-|$)/;

/** Istio's port-name prefixes for protocols it does not read as HTTP (istio.io "Protocol Selection"). */
const opaqueNames = /^(https|tcp|tls|udp|mongo|mysql|redis)(-|$)/;

/** Whether a Service port declares a protocol other than HTTP (by `appProtocol`, else by its name's prefix). */
export function declaresOpaque(port: { [key: string]: Json }): boolean {
  const appProtocol = typeof port.appProtocol === 'string' ? port.appProtocol.toLowerCase() : '';
  if (appProtocol !== '') return !declaresHttp(port);
  return typeof port.name === 'string' && opaqueNames.test(port.name);
}

/** Whether a Service port declares HTTP (by `appProtocol`, else by its name's protocol prefix). */
export function declaresHttp(port: { [key: string]: Json }): boolean {
  const appProtocol = typeof port.appProtocol === 'string' ? port.appProtocol.toLowerCase() : '';
  if (appProtocol !== '')
    return ['http', 'http2', 'grpc', 'grpc-web', 'kubernetes.io/h2c'].includes(appProtocol);
  return typeof port.name === 'string' && httpNames.test(port.name);
}

function resolve(target: Json | undefined, pods: PodSource): number | undefined {
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target);
  if (typeof target === 'string') return pods.ports.byName.get(target);
  return undefined;
}

/** The Service ports an endpoint uses: the one named `port`, or those whose target is the endpoint's `targetPort`. */
function servicePorts(service: Item, endpoint: { [key: string]: Json }): { [key: string]: Json }[] {
  const ports = service.read(['spec', 'ports']);
  if (!Array.isArray(ports)) return [];
  const all = ports.flatMap((p): { [key: string]: Json }[] => {
    const port = asObject(p);
    return port ? [port] : [];
  });
  if (typeof endpoint.port === 'string' && endpoint.port !== '')
    return all.filter((p) => p.name === endpoint.port);
  const target = endpoint.targetPort;
  if (target === undefined) return [];
  return all.filter((p) => String(p.targetPort ?? p.port) === String(target));
}

/** The target ports of one ServiceMonitor endpoint. */
export function serviceEndpointTargets(
  model: ScrapeModel,
  services: readonly Item[],
  endpoint: { [key: string]: Json },
  loaders: readonly Scraper[],
): ServiceTargetPort[] {
  const out: ServiceTargetPort[] = [];
  for (const service of services) {
    const ports = servicePorts(service, endpoint);
    for (const pods of model.inventory.podsOfService(service)) {
      for (const port of ports) {
        const containerPort = resolve(port.targetPort ?? port.port, pods);
        out.push({
          ...model.targetPort(pods, containerPort, loaders),
          service,
          declaredHttp: declaresHttp(port),
          declaredOpaque: declaresOpaque(port),
        });
      }
    }
  }
  return out;
}

/** The target ports of one PodMonitor endpoint: only pods that declare the port are scraped (pod role). */
export function podEndpointTargets(
  model: ScrapeModel,
  workloads: readonly PodSource[],
  endpoint: { [key: string]: Json },
  loaders: readonly Scraper[],
): TargetPort[] {
  const port = endpointPort(endpoint);
  return workloads.flatMap((pods) => {
    const number = containerPortOf(port, pods);
    if (number === undefined || !pods.ports.numbers.has(number)) return [];
    return [model.targetPort(pods, number, loaders)];
  });
}
