/** What every strategy gets and gives. */

import type { Inventory } from '../../src/domain/inventory.js';
import type { ScrapeModel } from '../../src/domain/scrape-path.js';
import type { Item, Result } from '../../src/krm/index.js';
import type { FixPodMonitorsConfig } from './config.js';

/** The function's name, as written into generated resources. */
export const functionName = 'fix-pod-monitors';

/** Shared, read-only inputs of a run. */
export interface FixContext {
  inventory: Inventory;
  /** The scrape path, with this function's own port exceptions left out. */
  model: ScrapeModel;
  config: FixPodMonitorsConfig;
  items: readonly Item[];
}

/** What applying a strategy to one PodMonitor gives. */
export interface StrategyOutcome {
  results: Result[];
  /** Resources this PodMonitor needs, generated now; the run reconciles them with those already in the list. */
  generated: Item[];
  /** The PodMonitor is replaced and leaves the list. */
  removeMonitor: boolean;
  /** Workloads merge-metrics annotated for this PodMonitor in this run. */
  merged?: Item[];
}

/** An outcome that changes nothing. */
export const unchanged = (...results: Result[]): StrategyOutcome => ({
  results,
  generated: [],
  removeMonitor: false,
});

/** `PodMonitor/namespace/name`, the value generated resources point back with. */
export const monitorRef = (monitor: Item): string =>
  `${monitor.kind}/${monitor.namespace ?? ''}/${monitor.name}`;
