/**
 * IST0167 as istioctl's Sidecar selector analyzer (istio/istio pkg/config/analysis/analyzers/sidecar/selector.go)
 * reports it: a Sidecar resource in an ambient namespace, or selecting only workloads in ambient mode, has no
 * impact (there is no sidecar to configure). Workloads are read from pod templates, which istioctl does not see.
 */
import type { Inventory } from '../../src/domain/inventory.js';
import { stringMap } from '../../src/domain/label-selector.js';
import { asObject, type Item } from '../../src/krm/index.js';
import { type Finding, finding } from './finding.js';

const ambient = (labels: Record<string, string> | undefined): boolean =>
  labels?.['istio.io/dataplane-mode'] === 'ambient';

/** Every IST0167 finding of the list. */
export function sidecarFindings(inventory: Inventory, items: readonly Item[]): Finding[] {
  const findings: Finding[] = [];
  for (const item of items) {
    if (item.group !== 'networking.istio.io' || item.kind !== 'Sidecar') continue;
    const namespace = item.namespace ?? '';
    const selector = stringMap(asObject(asObject(item.data.spec)?.workloadSelector)?.labels);
    const namespaceAmbient = ambient(inventory.namespaceLabels(namespace));
    if (Object.keys(selector).length === 0) {
      if (namespaceAmbient)
        findings.push(
          finding(
            'IST0167',
            item,
            'spec',
            'The policy has no impact: namespace is in ambient mode, the policy has no impact.',
          ),
        );
      continue;
    }
    const selected = inventory
      .podSourcesIn(namespace)
      .filter((p) => Object.entries(selector).every(([k, v]) => p.labels[k] === v));
    if (selected.length > 0 && selected.every((p) => namespaceAmbient || ambient(p.labels)))
      findings.push(
        finding(
          'IST0167',
          item,
          'spec.workloadSelector',
          'The policy has no impact: selected workload is in ambient mode, the policy has no impact.',
        ),
      );
  }
  return findings;
}
