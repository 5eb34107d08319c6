/**
 * Prometheus' own calls: with `includeOutboundIPRanges: ""` none of its outbound traffic goes through its sidecar,
 * so calls to in-mesh Alertmanagers must carry the cert files (else alerts stop under STRICT:
 * prometheus-community/helm-charts#145), and remote write / read to in-mesh receivers need the same fix.
 */
import { isMap } from 'yaml';
import type { Inventory } from '../../src/domain/inventory.js';
import { carriesIstioTls, istioTlsConfig } from '../../src/domain/istio-certs.js';
import { namespaceMembership } from '../../src/domain/mesh.js';
import { membershipOf, serviceOfUrl, type TargetMembership } from '../../src/domain/targets.js';
import {
  asObject,
  ensureMap,
  error,
  fieldPath,
  type Item,
  info,
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

function inMesh(membership: TargetMembership, config: MountIstioCertsConfig): boolean {
  return membership.state === 'mesh' || (membership.state === 'unknown' && config.unknownTargets === 'tls');
}

/** Sets https and the cert files on `spec.alerting.alertmanagers[]` entries that reach in-mesh Alertmanagers. */
export function secureAlertmanagers(
  prometheus: Item,
  inventory: Inventory,
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
    const membership = serviceMembership(inventory, namespace, name);
    if (!inMesh(membership, config)) {
      results.push(
        info(`Alertmanager ${namespace}/${name} is not in the mesh (${membership.reason}): left as is`, at),
      );
      continue;
    }
    if (carriesIstioTls(endpoint, config.certDir)) continue;
    if (endpoint.scheme === 'https' || endpoint.tlsConfig) {
      results.push(
        info(`Alertmanager ${namespace}/${name} endpoint has its own TLS settings: left as is`, at),
      );
      continue;
    }
    if (membership.state === 'unknown') {
      results.push(
        info(
          `the list shows nothing about Alertmanager ${namespace}/${name} (${membership.reason}); set TLS as unknownTargets: tls says`,
          at,
        ),
      );
    }
    setScalar(node, 'scheme', 'https');
    const tlsNode = ensureMap(node, 'tlsConfig');
    if (tlsNode) for (const [key, value] of Object.entries(wanted)) setScalar(tlsNode, key, value);
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
