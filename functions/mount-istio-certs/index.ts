/**
 * mount-istio-certs: gives Prometheus (and other scrapers) Istio's workload certificates: the sidecar writes them
 * to a memory volume the scraper mounts, per Istio's Prometheus integration doc.
 */

import type { Inventory } from '../../src/domain/inventory.js';
import { certVolumeName } from '../../src/domain/istio-certs.js';
import { isPrometheusServer, podTemplatePaths } from '../../src/domain/kinds.js';
import { alignNamespaceWaves } from '../../src/domain/namespace-wave.js';
import { addScrapeClass } from '../../src/domain/scrape-class.js';
import { ScrapeModel } from '../../src/domain/scrape-path.js';
import { isSelected } from '../../src/domain/selection.js';
import { allOrNothing, defineFunction, type Item, info, type Result, warning } from '../../src/krm/index.js';
import { remoteEndpointWarnings, secureAlertmanagers } from './alerting.js';
import { ambientScraperWarning } from './ambient.js';
import { type MountIstioCertsConfig, mountIstioCertsSchema } from './config.js';
import { serverContainers } from './containers.js';
import { scraperKey, wantedDestinationRules } from './destination-rules.js';
import { withEditResults } from './edit-results.js';
import { ignoredNamespaceError } from './ignored-namespaces.js';
import { applyPodRecipe } from './pod-recipe.js';
import { functionName, generatedKinds, reconcileGenerated } from './reconcile.js';
import { selfScrapeExceptions } from './self-scrape.js';

/** The fields the pod recipe edits. */
function recipePaths(metadata: string[], podSpec: string[], mainMounts: boolean): string[][] {
  return [
    [...metadata, 'annotations'],
    [...metadata, 'labels'],
    [...podSpec, 'volumes'],
    ...(mainMounts ? [[...podSpec, 'volumeMounts']] : []),
    [...podSpec, 'containers'],
  ];
}

const recipeReason = (config: MountIstioCertsConfig): string =>
  `Istio's cert-mount recipe: the sidecar writes the workload certificates to the ${certVolumeName} memory volume, mounted at ${config.certDir}, and all outbound traffic bypasses the sidecar${config.inbound === 'bypass' ? ', as does inbound (inbound: bypass)' : ' (inbound: mesh keeps inbound capture)'}`;

/**
 * Runs a scraper's edits all or nothing: on an error the resource is put back as it came, its change reports are
 * dropped (they no longer hold) and it is not handled further (no DestinationRule or exception for it).
 */
function editWhole(item: Item, step: () => Result[]): { results: Result[]; handled: boolean } {
  const { results, undone } = allOrNothing(item.node, step);
  if (!undone) return { results, handled: true };
  const kept = results.filter((r) => r.severity !== 'info');
  kept.push(
    info(
      `left ${item.describe()} unchanged, with nothing generated for it: the recipe is applied whole or not at all, and the error above stops it`,
      { ref: item.ref, file: item.file },
    ),
  );
  return { results: kept, handled: false };
}

function processPrometheus(item: Item, model: ScrapeModel, config: MountIstioCertsConfig): Result[] {
  const containers = serverContainers(item, config.containers, config.certDir);
  const results = containers.results;
  results.push(
    ...withEditResults(item, recipePaths(['spec', 'podMetadata'], ['spec'], true), recipeReason(config), () =>
      applyPodRecipe(
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
    ),
  );
  const scrapeClass = config.scrapeClass;
  if (scrapeClass)
    results.push(
      ...withEditResults(
        item,
        [['spec', 'scrapeClasses']],
        `scrapeClass: a scrape class ${scrapeClass.name} carrying the cert files in ${config.certDir}, which monitors opt into with scrapeClass: ${scrapeClass.name}${scrapeClass.default ? ' (default: true, so every monitor of this server gets them)' : ''}`,
        () => addScrapeClass(item, scrapeClass, config.certDir),
      ),
    );
  // PrometheusAgent has no alerting section; both kinds can remote-write.
  if (item.kind === 'Prometheus') results.push(...secureAlertmanagers(item, model, config));
  results.push(...remoteEndpointWarnings(item, model.inventory, config));
  return results;
}

function processWorkloads(
  items: readonly Item[],
  config: MountIstioCertsConfig,
  inventory: Inventory,
): { processed: Item[]; results: Result[] } {
  const results: Result[] = [];
  const processed: Item[] = [];
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
      const ignored = ignoredNamespaceError(item, config.certDir, inventory);
      if (ignored) {
        results.push(ignored);
        continue;
      }
      const ambient = ambientScraperWarning(item, inventory);
      const template = podTemplatePaths[item.kind] ?? [];
      const paths = recipePaths([...template, 'metadata'], [...template, 'spec'], false);
      const edit = editWhole(item, () =>
        withEditResults(item, paths, recipeReason(config), () =>
          applyPodRecipe(
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
        ),
      );
      if (ambient && edit.handled) results.push(ambient);
      results.push(...edit.results);
      if (edit.handled) processed.push(item);
    }
  }
  return { processed, results };
}

/** The mount-istio-certs function. */
export const mountIstioCerts = defineFunction({
  name: functionName,
  generates: Object.keys(generatedKinds),
  kind: 'MountIstioCerts',
  summary: "Mounts Istio's workload certificates into Prometheus, PrometheusAgent and other scrapers.",
  schema: mountIstioCertsSchema,
  run(items, config) {
    // Its own exceptions left out, the model shows the policies as the user wrote them.
    const model = new ScrapeModel(items, { ...config, ignoreExceptionsBy: functionName });
    const results: Result[] = [];
    const servers: Item[] = [];
    for (const item of items) {
      if (!isPrometheusServer(item) || !isSelected(item, config)) continue;
      const ignored = ignoredNamespaceError(item, config.certDir, model.inventory);
      if (ignored) {
        results.push(ignored);
        continue;
      }
      const ambient = ambientScraperWarning(item, model.inventory);
      const edit = editWhole(item, () => processPrometheus(item, model, config));
      if (ambient && edit.handled) results.push(ambient);
      results.push(...edit.results);
      if (edit.handled) servers.push(item);
    }
    const workloads = processWorkloads(items, config, model.inventory);
    results.push(...workloads.results);
    const scrapers = [...servers, ...workloads.processed];
    const bypass = config.inbound === 'bypass';
    const exceptions = selfScrapeExceptions(items, servers, model, !bypass);
    results.push(...exceptions.results);
    const wanted = [
      ...(bypass ? wantedDestinationRules(scrapers, model.inventory, config.clusterDomain) : []),
      ...exceptions.wanted,
    ];
    const reconciled = reconcileGenerated(
      items,
      wanted,
      new Set(scrapers.map(scraperKey)),
      new Set(scrapers.map((s) => s.namespace ?? '')),
    );
    results.push(...reconciled.results);
    // Changed by any edit of this run: the pod recipe, Alertmanager calls, the scrape class.
    const changedScrapers = scrapers.filter((s) => s.changed).length;
    const kept = new Set(reconciled.items);
    const removed = items.filter((i) => !kept.has(i) && generatedKinds[i.kind] === i.group).length;
    const generated = reconciled.results.filter((r) => r.severity === 'info').length;
    const summary = `summary: ${servers.length} Prometheus / PrometheusAgent and ${workloads.processed.length} workload(s) handled, ${changedScrapers} of them changed; ${generated} resource(s) generated or updated, ${removed} removed (inbound: ${config.inbound})`;
    if (model.assumptionUsed)
      results.push(
        info(
          `the list has no mesh-wide PeerAuthentication in ${config.rootNamespace}: assumed meshMtls: ${config.meshMtls} where no namespace or workload policy decides`,
        ),
      );
    results.push(...alignNamespaceWaves(reconciled.items));
    results.push(info(summary));
    return { items: reconciled.items, results };
  },
});
