/**
 * Prometheus' own calls: with `includeOutboundIPRanges: ""` none of its outbound traffic goes through its sidecar,
 * so calls to in-mesh Alertmanagers must carry the cert files (else alerts stop under STRICT:
 * prometheus-community/helm-charts#145), and remote write / read to in-mesh receivers need the same fix.
 */
import { isMap } from 'yaml';
import { type ServiceTargetPort, serviceEndpointTargets } from '../../src/domain/endpoint-targets.js';
import type { Inventory } from '../../src/domain/inventory.js';
import { carriesIstioTls, istioTlsConfig } from '../../src/domain/istio-certs.js';
import { namespaceMembership } from '../../src/domain/mesh.js';
import { combineRequirements, type Requirement, type ScrapeModel } from '../../src/domain/scrape-path.js';
import { membershipOf, serviceOfUrl, type TargetMembership } from '../../src/domain/targets.js';
import {
  asObject,
  ensureMap,
  error,
  fieldPath,
  type Item,
  info,
  type Json,
  plain,
  type Result,
  seqAt,
  setScalar,
  warning,
} from '../../src/krm/index.js';
import type { MountIstioCertsConfig } from './config.js';

function serviceMembership(inventory: Inventory, namespace: string, name: string): TargetMembership {
  const service = inventory.service(namespace, name);
  if (!service) {
    const ns = namespaceMembership(inventory, namespace);
    if (ns.state === 'unknown')
      return { state: 'unknown', reason: `the list has no Service ${namespace}/${name}` };
    return ns;
  }
  return membershipOf(inventory, inventory.podsOfService(service), [namespace]);
}

/** The target ports an alertmanagers entry reaches: its `port` (a Service port name or number) through the Service. */
function alertmanagerTargets(model: ScrapeModel, service: Item, port: Json | undefined): ServiceTargetPort[] {
  if (typeof port === 'string' && !/^\d+$/.test(port))
    return serviceEndpointTargets(model, [service], { port }, []);
  if (typeof port !== 'number' && typeof port !== 'string') return [];
  const ports = service.read(['spec', 'ports']);
  const named = (Array.isArray(ports) ? ports : [])
    .map((p) => asObject(p))
    .find((p) => p !== undefined && String(p.port) === String(port));
  if (!named) return [];
  const endpoint =
    typeof named.name === 'string' && named.name !== ''
      ? { port: named.name }
      : { targetPort: named.targetPort ?? named.port ?? null };
  return serviceEndpointTargets(model, [service], endpoint, []);
}

/** What Prometheus must send to an Alertmanager Service: from its pods' port, else from its namespace. */
function alertmanagerRequirement(
  model: ScrapeModel,
  namespace: string,
  name: string,
  port: Json | undefined,
): Requirement {
  const service = model.inventory.service(namespace, name);
  if (!service) {
    const required = model.requirementInNamespaces([namespace]);
    return required.send === 'unknown'
      ? { send: 'unknown', reason: `the list has no Service ${namespace}/${name} (${required.reason})` }
      : { ...required, reason: `the list has no Service ${namespace}/${name}; ${required.reason}` };
  }
  const targets = alertmanagerTargets(model, service, port);
  if (targets.length === 0) {
    const required = model.requirementInNamespaces([namespace]);
    const why = `the list shows no pods behind port ${String(port ?? '(unset)')} of Service ${namespace}/${name}`;
    return { ...required, reason: `${why}; ${required.reason}` } as Requirement;
  }
  return combineRequirements(targets.map((t) => model.requirementAt(t)));
}

/**
 * Decides each `spec.alerting.alertmanagers[]` entry from the scrape-path model (the Alertmanager Service's target
 * container port): captured and STRICT -> https with the cert files (Prometheus' outbound bypasses its sidecar);
 * PERMISSIVE, DISABLE or uncaptured -> plain http (a PERMISSIVE inbound hands TLS without Istio's ALPN to
 * Alertmanager, which serves plain http), removing the recipe an earlier run set. Every entry gets a result.
 */
export function secureAlertmanagers(
  prometheus: Item,
  model: ScrapeModel,
  config: MountIstioCertsConfig,
): Result[] {
  const endpoints = seqAt(prometheus.node, ['spec', 'alerting', 'alertmanagers']);
  if (!endpoints) {
    const alerting = asObject(asObject(prometheus.data.spec)?.alerting);
    if (alerting?.alertmanagers === undefined || alerting.alertmanagers === null) return [];
    const at = { ref: prometheus.ref, file: prometheus.file, path: 'spec.alerting.alertmanagers' };
    return [error('spec.alerting.alertmanagers is not a list', at)];
  }
  const results: Result[] = [];
  const wanted = istioTlsConfig(config.certDir);
  for (const [index, node] of endpoints.items.entries()) {
    const path = fieldPath(['spec', 'alerting', 'alertmanagers', index]);
    const at = { ref: prometheus.ref, file: prometheus.file, path };
    if (!isMap(node)) {
      results.push(error(`${path} is not an endpoint (a map)`, at));
      continue;
    }
    const endpoint = asObject(plain(node)) ?? {};
    const name = typeof endpoint.name === 'string' ? endpoint.name : '';
    const namespace =
      typeof endpoint.namespace === 'string' ? endpoint.namespace : (prometheus.namespace ?? '');
    const who = `Alertmanager ${namespace}/${name}`;
    const ours = carriesIstioTls(endpoint, config.certDir);
    const own = !ours && (endpoint.scheme === 'https' || endpoint.tlsConfig !== undefined);
    const requirement = alertmanagerRequirement(model, namespace, name, endpoint.port);
    const converge = (reason: string): void => {
      if (ours) {
        node.delete('scheme');
        node.delete('tlsConfig');
        results.push(
          info(
            `${who}: removed https and the cert files an earlier run set, back to plain http: ${reason}`,
            at,
          ),
        );
      } else if (own)
        results.push(info(`${who} endpoint has its own TLS settings: left as is (${reason})`, at));
      else results.push(info(`${who}: left as is (plain http): ${reason}`, at));
    };
    switch (requirement.send) {
      case 'plain':
        converge(requirement.reason);
        continue;
      case 'app':
        converge(`${requirement.reason}: Alertmanager serves plain http there`);
        continue;
      case 'self':
        converge(requirement.reason);
        continue;
      case 'ambient':
      case 'mixed':
        results.push(
          warning(
            `${who}: ${requirement.send === 'mixed' ? `its pods need different schemes (${requirement.reason})` : `${requirement.reason}: ambient mode has no sidecar, so the cert-mount recipe does not apply`}; left as is`,
            at,
          ),
        );
        continue;
      case 'unknown':
        if (config.unknownTargets === 'skip') {
          results.push(
            info(
              `${who}: the list shows nothing about it (${requirement.reason}); unknownTargets: skip, left as is`,
              at,
            ),
          );
          continue;
        }
        break;
      case 'istio-mtls':
        break;
    }
    const why =
      requirement.send === 'unknown'
        ? `the list shows nothing about it (${requirement.reason}); unknownTargets: tls`
        : `${requirement.reason}, and Prometheus' outbound traffic bypasses its sidecar (includeOutboundIPRanges: "")`;
    if (ours) {
      results.push(info(`${who}: already https with the cert files: ${why}`, at));
      continue;
    }
    if (own) {
      results.push(info(`${who} endpoint has its own TLS settings: left as is (${why})`, at));
      continue;
    }
    setScalar(node, 'scheme', 'https');
    const tlsNode = ensureMap(node, 'tlsConfig');
    if (tlsNode) for (const [key, value] of Object.entries(wanted)) setScalar(tlsNode, key, value);
    results.push(info(`${who}: set https with the cert files in ${config.certDir}: ${why}`, at));
  }
  return results;
}

/** Warns about remote write / read URLs that name in-mesh Services, with the fix. */
export function remoteEndpointWarnings(
  prometheus: Item,
  inventory: Inventory,
  config: MountIstioCertsConfig,
): Result[] {
  const results: Result[] = [];
  const spec = asObject(prometheus.data.spec);
  const files = istioTlsConfig(config.certDir);
  for (const field of ['remoteWrite', 'remoteRead'] as const) {
    const entries = spec?.[field];
    if (!Array.isArray(entries)) continue;
    for (const [index, entry] of entries.entries()) {
      const url = asObject(entry)?.url;
      if (typeof url !== 'string') continue;
      const service = serviceOfUrl(url, prometheus.namespace ?? '');
      if (!service || !inventory.service(service.namespace, service.name)) continue;
      const membership = serviceMembership(inventory, service.namespace, service.name);
      if (membership.state !== 'mesh') continue;
      const tls = asObject(asObject(entry)?.tlsConfig);
      if (tls && tls.certFile === files.certFile && url.startsWith('https:')) continue;
      results.push(
        warning(
          `${url} reaches in-mesh Service ${service.namespace}/${service.name}, but Prometheus' outbound traffic bypasses its sidecar (includeOutboundIPRanges: ""): use an https URL and tlsConfig ${JSON.stringify(files)}, or STRICT mTLS refuses it`,
          { ref: prometheus.ref, file: prometheus.file, path: fieldPath(['spec', field, index, 'url']) },
        ),
      );
    }
  }
  return results;
}
