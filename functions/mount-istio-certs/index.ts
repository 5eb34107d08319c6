/**
 * mount-istio-certs: gives Prometheus (and other scrapers) Istio's workload certificates: the sidecar writes them
 * to a memory volume the scraper mounts, per Istio's Prometheus integration doc.
 */

import { Inventory } from '../../src/domain/inventory.js';
import { isPrometheusServer, podTemplatePaths } from '../../src/domain/kinds.js';
import { addScrapeClass } from '../../src/domain/scrape-class.js';
import { isSelected } from '../../src/domain/selection.js';
import type { Item } from '../../src/krm/item.js';
import { defineFunction } from '../../src/krm/krm-function.js';
import { type Result, warning } from '../../src/krm/results.js';
import { remoteEndpointWarnings, secureAlertmanagers } from './alerting.js';
import { type MountIstioCertsConfig, mountIstioCertsSchema } from './config.js';
import { serverContainers } from './containers.js';
import { reconcileDestinationRules } from './destination-rules.js';
import { applyPodRecipe } from './pod-recipe.js';

function processPrometheus(item: Item, inventory: Inventory, config: MountIstioCertsConfig): Result[] {
  const containers = serverContainers(item, config.containers, config.certDir);
  const results = containers.results;
  results.push(
    ...applyPodRecipe(
      item,
      {
        metadata: ['spec', 'podMetadata'],
        volumesParent: ['spec'],
        containersParent: ['spec'],
        mainMountsParent: ['spec'],
        createMissingContainers: true,
      },
      { certDir: config.certDir, inbound: config.inbound, containers: containers.names },
    ),
  );
  if (config.scrapeClass) results.push(...addScrapeClass(item, config.scrapeClass, config.certDir));
  // PrometheusAgent has no alerting section; both kinds can remote-write.
  if (item.kind === 'Prometheus') results.push(...secureAlertmanagers(item, inventory, config));
  results.push(...remoteEndpointWarnings(item, inventory, config));
  return results;
}

function processWorkloads(items: readonly Item[], config: MountIstioCertsConfig): Result[] {
  const results: Result[] = [];
  for (const [index, wanted] of config.workloads.entries()) {
    const matches = items.filter(
      (item) =>
        item.kind === wanted.kind &&
        item.group === 'apps' &&
        item.name === wanted.name &&
        (wanted.namespace === undefined || item.namespace === wanted.namespace),
    );
    if (matches.length === 0) {
      results.push(
        warning(
          `no ${wanted.kind} ${wanted.namespace ? `${wanted.namespace}/` : ''}${wanted.name} in the list`,
          { path: `workloads[${index}]` },
        ),
      );
      continue;
    }
    for (const item of matches) {
      const template = podTemplatePaths[item.kind] ?? [];
      results.push(
        ...applyPodRecipe(
          item,
          {
            metadata: [...template, 'metadata'],
            volumesParent: [...template, 'spec'],
            containersParent: [...template, 'spec'],
            createMissingContainers: false,
          },
          {
            certDir: config.certDir,
            inbound: config.inbound,
            containers: wanted.containers,
            containersField: `workloads[${index}].containers`,
          },
        ),
      );
    }
  }
  return results;
}

/** The mount-istio-certs function. */
export const mountIstioCerts = defineFunction({
  name: 'mount-istio-certs',
  generates: ['DestinationRule'],
  kind: 'MountIstioCerts',
  summary: "Mounts Istio's workload certificates into Prometheus, PrometheusAgent and other scrapers.",
  schema: mountIstioCertsSchema,
  run(items, config) {
    const inventory = new Inventory(items);
    const results: Result[] = [];
    const processed: Item[] = [];
    for (const item of items) {
      if (!isPrometheusServer(item) || !isSelected(item, config)) continue;
      results.push(...processPrometheus(item, inventory, config));
      processed.push(item);
    }
    results.push(...processWorkloads(items, config));
    const bypassing = config.inbound === 'bypass' ? processed : [];
    const namespaces = new Set(processed.map((p) => p.namespace ?? ''));
    const reconciled = reconcileDestinationRules(items, bypassing, namespaces, inventory);
    return { items: reconciled.items, results: [...results, ...reconciled.results] };
  },
});
