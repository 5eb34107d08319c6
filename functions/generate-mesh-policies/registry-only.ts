/**
 * REGISTRY_ONLY and scrapers: with `outboundTrafficPolicy.mode: REGISTRY_ONLY` a sidecar sends traffic to an
 * address that is in no service of the registry to the BlackHoleCluster (istio/api networking/v1alpha3/sidecar.proto
 * `OutboundTrafficPolicy`; pilot sidecar_simulation_test.go). Node IPs are in no service: a scraper whose outbound
 * traffic its sidecar captures then loses its kubelet / cAdvisor / node-exporter-on-hostNetwork / API server
 * endpoint scrapes. A scraper is a Prometheus / PrometheusAgent of the list (the scrape-path model's scrapers), a
 * workload named in `scrapers`, or a workload whose pods read their node's IP (`fieldRef: status.hostIP`, as the
 * ama-metrics node collector does to scrape NODE_IP:10250). Its outbound is captured when it is injected, not on
 * hostNetwork, and has no `traffic.sidecar.istio.io/includeOutboundIPRanges: ""` (mount-istio-certs' recipe).
 */
import { podMembership } from '../../src/domain/mesh.js';
import type { PodSource } from '../../src/domain/pod-sources.js';
import type { ScrapeModel } from '../../src/domain/scrape-path.js';
import { type Item, type Result, warning } from '../../src/krm/index.js';
import type { ScraperIdentity } from './scrapers.js';

const includeOutbound = 'traffic.sidecar.istio.io/includeOutboundIPRanges';
const excludeOutbound = 'traffic.sidecar.istio.io/excludeOutboundIPRanges';

const readsNodeIp = (pods: PodSource): boolean =>
  JSON.stringify(pods.item.data.spec ?? {}).includes('"fieldPath":"status.hostIP"');

/** Why the pods' outbound traffic bypasses the sidecar, or undefined when it is captured. */
function outboundBypass(model: ScrapeModel, pods: PodSource): string | undefined {
  const membership = podMembership(model.inventory, pods);
  if (membership.state !== 'mesh') return membership.reason;
  const include = pods.annotations[includeOutbound];
  if (include !== undefined && include.trim() === '') return `${includeOutbound}: ""`;
  return undefined;
}

/** A warning per scraper in a REGISTRY_ONLY namespace whose outbound traffic goes through its sidecar. */
export function registryOnlyScraperWarnings(
  model: ScrapeModel,
  scrapers: readonly ScraperIdentity[],
  sidecars: readonly Item[],
): Result[] {
  const results: Result[] = [];
  const named = new Set<Item>([...model.scrapers.map((s) => s.item), ...scrapers.map((s) => s.item)]);
  for (const sidecar of sidecars) {
    const namespace = sidecar.namespace ?? '';
    for (const pods of model.inventory.podSourcesIn(namespace)) {
      const why = named.has(pods.item)
        ? 'it scrapes'
        : readsNodeIp(pods)
          ? 'its pods read their node IP (status.hostIP), so it calls its node'
          : undefined;
      if (why === undefined || outboundBypass(model, pods) !== undefined) continue;
      const exclude = pods.annotations[excludeOutbound];
      results.push(
        warning(
          `${pods.item.describe()}: ${why}, its outbound traffic goes through its sidecar, and Sidecar/${namespace}/${sidecar.name} makes that REGISTRY_ONLY, which drops traffic to addresses in no mesh service: its scrapes of node IPs (kubelet :10250, cAdvisor, host-network exporters) and API server endpoints fail; take its outbound traffic out of the sidecar (mount-istio-certs' recipe sets ${includeOutbound}: "" and scrapes with the cert files), or set ${excludeOutbound} to the node CIDR (set-sidecar-options excludeOutboundIPRanges)${exclude !== undefined ? ` (it has ${excludeOutbound}: "${exclude}": check that covers the nodes)` : ''}`,
          { ref: pods.item.ref, file: pods.item.file, path: 'spec.outboundTrafficPolicy.mode' },
        ),
      );
    }
  }
  return results;
}
