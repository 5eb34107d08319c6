/**
 * set-sidecar-options: writes Istio's per-pod sidecar settings (injection, traffic capture lists, proxy resources,
 * proxy.istio.io/config, extra labels and annotations) on the pod templates of selected workloads and the pods
 * of prometheus-operator's Prometheus, PrometheusAgent and Alertmanager resources.
 */

import { Inventory } from '../../src/domain/inventory.js';
import { isAlertmanager, isPrometheusServer, isWorkload } from '../../src/domain/kinds.js';
import { isSelected } from '../../src/domain/selection.js';
import { defineFunction, type Item, info, type Result, warning } from '../../src/krm/index.js';
import { ambientWarning } from './ambient.js';
import { applyWanted } from './apply.js';
import { setSidecarOptionsSchema } from './config.js';
import { checkConfig, wantedFor } from './desired.js';
import { presetsNamed } from './presets.js';

const isPodSource = (item: Item): boolean =>
  isWorkload(item) || isPrometheusServer(item) || isAlertmanager(item);

/** The set-sidecar-options function. */
export const setSidecarOptions = defineFunction({
  name: 'set-sidecar-options',
  kind: 'SetSidecarOptions',
  summary:
    'Sets Istio sidecar options (injection, capture lists, proxy resources and config) on selected pods.',
  schema: setSidecarOptionsSchema,
  run(items, config) {
    const problems = checkConfig(config);
    if (problems.length > 0) return { items, results: problems };
    const presets = presetsNamed(config.preset);
    const results: Result[] = [];
    const counts = { selected: 0, changed: 0, refused: 0 };
    const presetHits = new Map(presets.map((p) => [p.name, 0]));
    const inventory = new Inventory(items);
    for (const item of items) {
      if (!isPodSource(item) || !isSelected(item, config)) continue;
      counts.selected++;
      for (const preset of presets)
        if (preset.appliesTo(item)) presetHits.set(preset.name, (presetHits.get(preset.name) ?? 0) + 1);
      const wanted = wantedFor(item, config, presets);
      if (wanted.labels.size === 0 && wanted.annotations.size === 0) continue;
      const applied = applyWanted(item, wanted);
      results.push(...applied.results);
      if (applied.changed) counts.changed++;
      const ambient = ambientWarning(item, inventory);
      if (ambient) results.push(ambient);
      if (applied.results.some((r) => r.severity === 'error')) counts.refused++;
    }
    for (const preset of presets)
      if (presetHits.get(preset.name) === 0)
        results.push(
          warning(
            `preset ${preset.name} is for ${preset.scope}; no selected resource is one, so it changed nothing`,
            {
              path: 'preset',
            },
          ),
        );
    const presetText = presets.map((p) => `${p.name} on ${presetHits.get(p.name)}`).join(', ');
    results.push(
      info(
        `summary: ${counts.selected} pod source(s) selected, ${counts.changed} changed, ${counts.refused} left unchanged because of errors${presets.length > 0 ? `; presets: ${presetText}` : ''}`,
      ),
    );
    return { items, results };
  },
});
