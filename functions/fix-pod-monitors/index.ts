/**
 * fix-pod-monitors: PodMonitors cannot carry Istio's cert files (their tlsConfig takes secret references only), so
 * under STRICT mTLS each one needs a way out: a scrape class, a ServiceMonitor, Istio metrics merging, or a
 * port-level PERMISSIVE exception. ScrapeConfigs get the scrape class; Probes are reported.
 */

import { generatedBy } from '../../src/domain/generated.js';
import { Inventory } from '../../src/domain/inventory.js';
import { monitoringGroups } from '../../src/domain/kinds.js';
import { stringMap } from '../../src/domain/label-selector.js';
import type { PodSource } from '../../src/domain/pod-sources.js';
import { isSelected } from '../../src/domain/selection.js';
import { defineFunction, error, type Item, info, type Result, warning } from '../../src/krm/index.js';
import { type Analysis, analyse } from './analysis.js';
import { type FixPodMonitorsConfig, fixPodMonitorsSchema, type Strategy } from './config.js';
import { type FixContext, functionName, monitorRef, type StrategyOutcome, unchanged } from './context.js';
import { mergedFor, undoMerge } from './merge-markers.js';
import { applyMergeMetrics } from './merge-metrics.js';
import { exceptionPorts, exceptionWarnings, peerAuthentication } from './port-exception.js';
import { generatedKinds, reconcileGenerated, restoreReplaced } from './reconcile.js';
import { report } from './report.js';
import { applyScrapeClass, scrapeClassPrerequisites } from './scrape-class.js';
import { fixScrapeConfig, reportProbe } from './scrape-configs.js';
import { applyServiceMonitor } from './service-monitor.js';

const isMonitoringKind = (item: Item, kind: string): boolean =>
  item.kind === kind && monitoringGroups.includes(item.group);

/** The strategy for one monitor: the first override that matches, else the default. */
export function strategyFor(monitor: Item, config: FixPodMonitorsConfig): Strategy {
  const labels = stringMap((monitor.data.metadata as { labels?: unknown } | undefined)?.labels);
  const key = `${monitor.namespace ?? ''}/${monitor.name}`;
  for (const override of config.overrides) {
    if (override.names && !override.names.includes(monitor.name) && !override.names.includes(key)) continue;
    if (override.labels && !Object.entries(override.labels).every(([k, v]) => labels[k] === v)) continue;
    return override.strategy;
  }
  return config.strategy;
}

/** Leaves monitors whose targets need no fix, with the reason; undefined when the strategy should run. */
function membershipGate(analysis: Analysis, config: FixPodMonitorsConfig): StrategyOutcome | undefined {
  const { membership } = analysis.targets;
  const at = analysis.at();
  switch (membership.state) {
    case 'mesh':
      return undefined;
    case 'plain':
      return unchanged(info(`targets are outside the mesh (${membership.reason}): no fix needed`, at));
    case 'ambient':
      return unchanged(
        warning(`${membership.reason}: no sidecar, the cert recipe does not apply; left as is`, at),
      );
    case 'mixed':
      return unchanged(
        warning(
          `targets are partly in and partly outside the mesh (${membership.reason}); split the monitor`,
          at,
        ),
      );
    case 'unknown':
      if (config.unknownTargets === 'skip') {
        return unchanged(
          info(`the list shows nothing about the targets (${membership.reason}); unknownTargets: skip`, at),
        );
      }
      return undefined;
  }
}

interface Exceptions {
  ports: Map<PodSource, { ports: number[]; monitors: string[] }>;
}

function applyStrategy(
  strategy: Strategy,
  analysis: Analysis,
  ctx: FixContext,
  exceptions: Exceptions,
): StrategyOutcome {
  switch (strategy) {
    case 'scrape-class':
      return applyScrapeClass(analysis, ctx);
    case 'service-monitor':
      return applyServiceMonitor(analysis, ctx);
    case 'merge-metrics':
      return applyMergeMetrics(analysis, ctx);
    case 'report':
      return unchanged(report(analysis, ctx));
    case 'port-exception': {
      const plan = exceptionPorts(analysis, ctx);
      if ('refusal' in plan)
        return unchanged(
          refusalError(`port-exception cannot work here: ${plan.refusal}; nothing changed`, analysis),
        );
      for (const [workload, ports] of plan.ports) {
        const entry = exceptions.ports.get(workload) ?? { ports: [], monitors: [] };
        for (const port of ports) if (!entry.ports.includes(port)) entry.ports.push(port);
        entry.monitors.push(monitorRef(analysis.monitor));
        exceptions.ports.set(workload, entry);
      }
      return unchanged(...exceptionWarnings(analysis, plan.ports, ctx));
    }
  }
}

function refusalError(message: string, analysis: Analysis): Result {
  return error(message, analysis.at());
}

/** What one run collects across monitors before it reconciles the list. */
interface RunState {
  results: Result[];
  wanted: Item[];
  removed: Set<Item>;
  /** Monitors whose generated resources this run decides (`PodMonitor/ns/name`). */
  handled: Set<string>;
  /** Monitors and ScrapeConfigs that now use the scrape class. */
  classUsers: Item[];
  /** Workloads merge-metrics annotated in this run. */
  merged: Set<Item>;
  exceptions: Exceptions;
}

function handlePodMonitor(item: Item, ctx: FixContext, state: RunState): void {
  const analysis = analyse(item, ctx.inventory);
  if ('message' in analysis) {
    state.results.push(analysis);
    return;
  }
  if (analysis.endpoints.length > 0 && analysis.appEndpoints.length === 0) {
    state.results.push(
      info(
        "scrapes only Istio's own metrics ports, which the sidecar never intercepts: no fix needed",
        analysis.at(),
      ),
    );
    return;
  }
  const strategy = strategyFor(item, ctx.config);
  if (analysis.targets.workloads.length === 0) {
    state.results.push(
      warning(
        'no workload in the list matches the selector; its pods may come from elsewhere',
        analysis.at(),
      ),
    );
  }
  const gate = strategy === 'report' ? undefined : membershipGate(analysis, ctx.config);
  const outcome = gate ?? applyStrategy(strategy, analysis, ctx, state.exceptions);
  if (strategy !== 'report') state.handled.add(monitorRef(item));
  state.results.push(...outcome.results);
  state.wanted.push(...outcome.generated);
  if (outcome.removeMonitor) state.removed.add(item);
  for (const workload of outcome.merged ?? []) state.merged.add(workload);
  const failed = outcome.results.some((r) => r.severity === 'error');
  if (!gate && strategy === 'scrape-class' && !failed) state.classUsers.push(item);
}

function handle(item: Item, ctx: FixContext, state: RunState): void {
  if (isMonitoringKind(item, 'ScrapeConfig')) {
    const outcome = fixScrapeConfig(item, ctx);
    state.results.push(...outcome.results);
    if (outcome.usesClass) state.classUsers.push(item);
  } else if (isMonitoringKind(item, 'Probe')) {
    state.results.push(...reportProbe(item, ctx));
  } else if (isMonitoringKind(item, 'PodMonitor') && generatedBy(item) !== functionName) {
    // PodMonitors this function generated (the merged-metrics scraper) are its own output, not input to fix.
    handlePodMonitor(item, ctx, state);
  }
}

/** Workloads merged for a monitor this run handled another way get their pod annotations back as they were. */
function undoStaleMerges(items: readonly Item[], state: RunState): Result[] {
  const results: Result[] = [];
  for (const item of items) {
    const ref = mergedFor(item);
    if (ref === undefined || !state.handled.has(ref) || state.merged.has(item)) continue;
    undoMerge(item);
    results.push(
      info(`removed the merge-metrics annotations made for ${ref}`, { ref: item.ref, file: item.file }),
    );
  }
  return results;
}

const handledKinds = new Set(['PodMonitor', 'ScrapeConfig', 'Probe']);

/** The fix-pod-monitors function. */
export const fixPodMonitors = defineFunction({
  name: 'fix-pod-monitors',
  generates: generatedKinds,
  kind: 'FixPodMonitors',
  summary:
    'Makes PodMonitors (and ScrapeConfigs) work under STRICT mTLS: scrape class, ServiceMonitor, metrics merging or a port exception.',
  schema: fixPodMonitorsSchema,
  run(input, config) {
    const restorable = (item: Item): boolean =>
      isSelected(item, config) && strategyFor(item, config) !== 'report';
    const items = [...input, ...restoreReplaced(input).filter(restorable)];
    const ctx: FixContext = { inventory: new Inventory(items), config, items };
    const state: RunState = {
      results: [],
      wanted: [],
      removed: new Set(),
      handled: new Set(),
      classUsers: [],
      merged: new Set(),
      exceptions: { ports: new Map() },
    };
    for (const item of items) {
      if (handledKinds.has(item.kind) && isSelected(item, config)) handle(item, ctx, state);
    }
    for (const [workload, entry] of state.exceptions.ports) {
      state.wanted.push(peerAuthentication(workload, entry.ports, entry.monitors));
    }
    if (state.classUsers.length > 0) state.results.push(...scrapeClassPrerequisites(ctx, state.classUsers));
    state.results.push(...undoStaleMerges(items, state));
    const kept = items.filter((item) => !state.removed.has(item));
    return { items: reconcileGenerated(kept, state.wanted, state.handled), results: state.results };
  },
});
