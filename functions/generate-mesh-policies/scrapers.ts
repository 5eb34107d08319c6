/**
 * Who scrapes: the Prometheus and PrometheusAgent resources of the list (the scrape-path model's scrapers), or the
 * workloads the config names (a collector such as ama-metrics, which is no prometheus-operator resource), each
 * with the principal its pods present over Istio mTLS: `<trustDomain>/ns/<namespace>/sa/<service account>`.
 */
import { principalOf } from '../../src/domain/authorization.js';
import { podTemplatePaths } from '../../src/domain/kinds.js';
import type { ScrapeModel } from '../../src/domain/scrape-path.js';
import { type Item, type Result, warning } from '../../src/krm/index.js';
import type { GenerateMeshPoliciesConfig } from './config.js';

/** One scraper and its principal. */
export interface ScraperIdentity {
  item: Item;
  principal: string;
  /** A prometheus-operator server (loads monitors by selector) rather than a named workload. */
  operatorManaged: boolean;
}

function serviceAccountOf(item: Item): string {
  const template = podTemplatePaths[item.kind] ?? [];
  for (const key of ['serviceAccountName', 'serviceAccount']) {
    const value = item.read([...template, 'spec', key]);
    if (typeof value === 'string' && value !== '') return value;
  }
  return 'default';
}

/** The scrapers of a run. */
export function scraperIdentities(
  config: GenerateMeshPoliciesConfig,
  model: ScrapeModel,
): { scrapers: ScraperIdentity[]; results: Result[] } {
  const results: Result[] = [];
  const servers = new Map(model.scrapers.map((s) => [s.item, s]));
  if (!config.scrapers)
    return {
      scrapers: model.scrapers.map((s) => ({
        item: s.item,
        principal: principalOf(config.trustDomain, s.namespace, s.serviceAccount),
        operatorManaged: true,
      })),
      results,
    };
  const scrapers: ScraperIdentity[] = [];
  config.scrapers.forEach((named, index) => {
    const found = model.inventory
      .podSourcesIn(named.namespace)
      .filter((p) => p.item.name === named.name && (named.kind === undefined || p.item.kind === named.kind));
    if (found.length !== 1) {
      results.push(
        warning(
          `scrapers: ${found.length === 0 ? 'the list has no workload or Prometheus' : 'more than one resource is named'} ${named.namespace}/${named.name}${named.kind ? ` of kind ${named.kind}` : ''}; left out`,
          { path: `scrapers[${index}]` },
        ),
      );
      return;
    }
    const item = (found[0] as { item: Item }).item;
    const server = servers.get(item);
    scrapers.push({
      item,
      principal: principalOf(
        config.trustDomain,
        named.namespace,
        server ? server.serviceAccount : serviceAccountOf(item),
      ),
      operatorManaged: server !== undefined,
    });
  });
  return { scrapers, results };
}
