/** The verdict of a preset on the move (`preset`), once the plan is known. */
import type { Edits } from './edits.js';

/**
 * The preset's verdict on the move. ama-metrics: the collector moved away from the kept target allocator cannot
 * work (outcome (b) of issue 9, until research shows a working configuration).
 */
export function presetOutcome(edits: Edits): void {
  const { plan } = edits;
  if (plan.config.preset !== 'ama-metrics') return;
  for (const item of plan.items) {
    if (item.kind !== 'Deployment' || item.name !== 'ama-metrics') continue;
    if (plan.namespaceAfter(item) !== plan.to) continue;
    edits.fail(
      item,
      ['metadata', 'namespace'],
      `the ama-metrics collector in ${plan.to} cannot work: it mounts Secret ama-metrics-operator-targets-client-tls-secret, which the config reader creates at run time in ${plan.from} beside the target allocator (a volume cannot cross namespaces), and the allocator cannot move with it: the collector reaches it at ama-metrics-operator-targets.${plan.from}.svc.cluster.local:443, compiled into its image, with a server certificate for that name (preset ama-metrics)`,
    );
  }
}
