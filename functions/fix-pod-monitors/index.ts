/**
 * fix-pod-monitors: PodMonitors cannot carry Istio's cert files (their tlsConfig takes secret references only), so
 * under STRICT mTLS each one needs a way out: a scrape class, a ServiceMonitor, Istio metrics merging, or a
 * port-level PERMISSIVE exception. ScrapeConfigs get the scrape class; Probes are reported.
 */

import { generatedBy } from '../../src/domain/generated.js';
import { monitoringGroups } from '../../src/domain/kinds.js';
import { stringMap } from '../../src/domain/label-selector.js';
import { alignNamespaceWaves } from '../../src/domain/namespace-wave.js';
import type { PodSource } from '../../src/domain/pod-sources.js';
import { ScrapeModel } from '../../src/domain/scrape-path.js';
import { isSelected } from '../../src/domain/selection.js';
import { defineFunction, error, type Item, info, type Result, warning } from '../../src/krm/index.js';
import { type Analysis, analyse } from './analysis.js';
import { type FixPodMonitorsConfig, fixPodMonitorsSchema, type Strategy } from './config.js';
import { type FixContext, functionName, monitorRef, type StrategyOutcome, unchanged } from './context.js';
import { verdictOf } from './decision.js';
import { mergedFor, undoMerge } from './merge-markers.js';
import { applyMergeMetrics } from './merge-metrics.js';
import { applyExceptions, type ExceptionEntry, exceptionPorts, exceptionWarnings } from './port-exception.js';
import { generatedKinds, reconcileGenerated, restoreReplaced } from './reconcile.js';
import { report } from './report.js';
import { applyScrapeClass, scrapeClassPrerequisites, undoScrapeClass } from './scrape-class.js';
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

interface Exceptions {
  ports: Map<PodSource, ExceptionEntry>;
}

function applyStrategy(
  strategy: Exclude<Strategy, 'report'>,
  analysis: Analysis,
  ctx: FixContext,
  exceptions: Exceptions,
  reason: string,
): StrategyOutcome {
  switch (strategy) {
    case 'scrape-class':
      return applyScrapeClass(analysis, ctx, reason);
    case 'service-monitor':
      return applyServiceMonitor(analysis, ctx, reason);
    case 'merge-metrics':
      return applyMergeMetrics(analysis, ctx, reason);
    case 'port-exception': {
      const plan = exceptionPorts(analysis, ctx);
      if (!plan.ok)
        return unchanged(
          refusalError(
            `port-exception cannot work here: ${plan.problems.join('; ')}; nothing changed`,
            analysis,
          ),
        );
      for (const [workload, ports] of plan.value) {
        const entry = exceptions.ports.get(workload) ?? { ports: [], monitors: [], reasons: [] };
        for (const port of ports) if (!entry.ports.includes(port)) entry.ports.push(port);
        entry.monitors.push(monitorRef(analysis.monitor));
        if (!entry.reasons.includes(reason)) entry.reasons.push(reason);
        exceptions.ports.set(workload, entry);
      }
      return unchanged(...exceptionWarnings(analysis, plan.value, ctx));
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
  tally: { fixed: Map<string, number>; noFix: number; left: number; reported: number };
}

const count = (tally: Map<string, number>, key: string): void => {
  tally.set(key, (tally.get(key) ?? 0) + 1);
};

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
  if (strategy === 'report') {
    state.tally.reported++;
    state.results.push(report(analysis, ctx));
    return;
  }
  state.handled.add(monitorRef(item));
  const verdict = verdictOf(analysis, ctx);
  if (verdict.need === 'none') {
    state.tally.noFix++;
    state.results.push(info(`no fix needed: ${verdict.reason}`, analysis.at()));
    state.results.push(...undoScrapeClass(analysis, ctx, verdict.reason));
    return;
  }
  if (verdict.need === 'leave') {
    state.tally.left++;
    state.results.push((verdict.severity === 'warning' ? warning : info)(verdict.reason, analysis.at()));
    return;
  }
  const outcome = applyStrategy(strategy, analysis, ctx, state.exceptions, verdict.reason);
  state.results.push(...outcome.results);
  state.wanted.push(...outcome.generated);
  if (outcome.removeMonitor) state.removed.add(item);
  for (const workload of outcome.merged ?? []) state.merged.add(workload);
  const failed = outcome.results.some((r) => r.severity === 'error');
  if (failed) state.tally.left++;
  else count(state.tally.fixed, strategy);
  if (strategy === 'scrape-class' && !failed) state.classUsers.push(item);
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

function summary(state: RunState): Result {
  const fixed = [...state.tally.fixed.values()].reduce((a, b) => a + b, 0);
  const by = [...state.tally.fixed].map(([strategy, n]) => `${strategy} ${n}`).join(', ');
  return info(
    `summary: ${fixed} PodMonitor(s) fixed${by ? ` (${by})` : ''}, ${state.tally.noFix} needed no fix, ${state.tally.left} left as they were${state.tally.reported > 0 ? `, ${state.tally.reported} reported (strategy report)` : ''}; ${state.wanted.length} resource(s) generated, ${state.removed.size} replaced`,
  );
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
    const restored = restoreReplaced(input).filter(restorable);
    const items = [...input, ...restored];
    const model = new ScrapeModel(items, { ...config, ignoreExceptionsBy: functionName });
    const ctx: FixContext = { inventory: model.inventory, model, config, items };
    const state: RunState = {
      results: [],
      wanted: [],
      removed: new Set(),
      handled: new Set(),
      classUsers: [],
      merged: new Set(),
      exceptions: { ports: new Map() },
      tally: { fixed: new Map(), noFix: 0, left: 0, reported: 0 },
    };
    for (const item of items) {
      if (handledKinds.has(item.kind) && isSelected(item, config)) handle(item, ctx, state);
    }
    const exceptions = applyExceptions(state.exceptions.ports, ctx, state.handled);
    state.wanted.push(...exceptions.generated);
    state.results.push(...exceptions.results);
    if (state.classUsers.length > 0) state.results.push(...scrapeClassPrerequisites(ctx, state.classUsers));
    state.results.push(...undoStaleMerges(items, state));
    const kept = items.filter((item) => !state.removed.has(item));
    for (const monitor of restored)
      if (!state.removed.has(monitor))
        state.results.push(
          info(
            'brought back from the copy stored when an earlier run replaced it: this run keeps the PodMonitor',
            {
              ref: monitor.ref,
            },
          ),
        );
    if (model.assumptionUsed)
      state.results.push(
        info(
          `the list has no mesh-wide PeerAuthentication in ${config.rootNamespace}: assumed meshMtls: ${config.meshMtls} where no namespace or workload policy decides`,
        ),
      );
    const out = reconcileGenerated(kept, state.wanted, state.handled);
    state.results.push(...alignNamespaceWaves(out));
    state.results.push(summary(state));
    return { items: out, results: state.results };
  },
});
