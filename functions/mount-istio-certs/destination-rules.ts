/**
 * With `inbound: bypass` a scraper's ports leave the mesh, but in-mesh clients such as Grafana or Kiali still send
 * mTLS to any pod labelled for Istio. A DestinationRule with `tls.mode: DISABLE` for each Service that selects the
 * scraper's pods fixes that: operator-managed servers and plain workloads (Istio's samples/addons/prometheus.yaml)
 * alike, plus the governing Service the operator creates for a Prometheus or PrometheusAgent StatefulSet.
 */
import { generatedMetadata } from '../../src/domain/generated.js';
import type { Inventory } from '../../src/domain/inventory.js';
import { isPrometheusServer } from '../../src/domain/kinds.js';
import { beforeWorkloadsWave, syncWaveAnnotation } from '../../src/domain/sync-wave.js';
import { asObject, Item } from '../../src/krm/index.js';
import { functionName, type Wanted } from './reconcile.js';

/** How a scraper is named in `generated-for` and results: `Prometheus/monitoring/k8s`. */
export const scraperKey = (item: Item): string => `${item.kind}/${item.namespace ?? ''}/${item.name}`;

/**
 * The governing Service the operator creates (or ensures, when `spec.serviceName` names one) for a server's
 * StatefulSet: `prometheus-operated` / `prometheus-agent-operated` (operator pkg/prometheus/server/statefulset.go,
 * agent/statefulset.go `governingServiceName`); an agent in DaemonSet mode has none.
 */
function governingService(server: Item): string | undefined {
  const spec = asObject(server.data.spec);
  if (typeof spec?.serviceName === 'string' && spec.serviceName !== '') return spec.serviceName;
  if (server.kind === 'PrometheusAgent')
    return spec?.mode === 'DaemonSet' ? undefined : 'prometheus-agent-operated';
  return 'prometheus-operated';
}

/** The Services whose selector picks the scraper's pods, with why, by name. */
function scraperServices(scraper: Item, inventory: Inventory): Map<string, string> {
  const services = new Map<string, string>();
  for (const service of inventory.servicesIn(scraper.namespace ?? '')) {
    if (inventory.podsOfService(service).some((p) => p.item === scraper))
      services.set(service.name, `its selector picks the pods of ${scraper.describe()}`);
  }
  if (isPrometheusServer(scraper)) {
    const governing = governingService(scraper);
    if (governing && !services.has(governing))
      services.set(governing, `prometheus-operator creates it for ${scraper.describe()}`);
  }
  return services;
}

function destinationRule(
  service: string,
  namespace: string,
  clusterDomain: string,
  scrapers: string[],
): Item {
  return Item.create({
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    // Applied before the workloads whose scrapes it carries (sync-wave.ts).
    metadata: generatedMetadata(functionName, `${service}-plaintext`, namespace, scrapers, {
      annotations: { [syncWaveAnnotation]: beforeWorkloadsWave },
    }),
    spec: {
      host: `${service}.${namespace}.svc.${clusterDomain}`,
      trafficPolicy: { tls: { mode: 'DISABLE' } },
    },
  });
}

/** The DestinationRules the bypassing scrapers need: one per Service of their pods. */
export function wantedDestinationRules(
  bypassing: readonly Item[],
  inventory: Inventory,
  clusterDomain: string,
): Wanted[] {
  const byService = new Map<
    string,
    { namespace: string; service: string; scrapers: string[]; why: string[] }
  >();
  for (const scraper of bypassing) {
    const namespace = scraper.namespace ?? '';
    for (const [service, why] of scraperServices(scraper, inventory)) {
      const id = `${namespace}/${service}`;
      const entry = byService.get(id) ?? { namespace, service, scrapers: [], why: [] };
      entry.scrapers.push(scraperKey(scraper));
      entry.why.push(why);
      byService.set(id, entry);
    }
  }
  return [...byService.values()].map(({ namespace, service, scrapers, why }) => ({
    item: destinationRule(service, namespace, clusterDomain, scrapers),
    path: 'spec.trafficPolicy.tls.mode',
    reason: `tls.mode DISABLE for Service ${namespace}/${service} (${why.join('; ')}): its pods take their ports out of inbound capture (inbound: bypass) and serve plain http, so in-mesh clients such as Grafana or Kiali must not send mTLS there`,
  }));
}
