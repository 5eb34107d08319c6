/**
 * Istio has no Windows sidecar (istio/istio#39788, maintainers: "not supported", tracked in #27893): a Windows pod
 * moved into a namespace with sidecar injection gets a Linux istio-proxy that cannot start there. The chart of
 * the ama-metrics add-on ships one (DaemonSet ama-metrics-win-node, nodeAffinity kubernetes.io/os In [windows]).
 */
import { isNamespace } from '../../src/domain/kinds.js';
import { windowsOnly } from '../../src/domain/windows-pods.js';
import type { Item } from '../../src/krm/index.js';
import type { Edits } from './edits.js';
import { dig } from './follow.js';
import { labelsOf } from './plan.js';
import { podSpecPath } from './pod-specs.js';

/** Whether a workload's pod spec schedules only on Windows nodes. */
function windowsOnlyWorkload(item: Item): boolean {
  const spec = podSpecPath(item);
  return spec !== undefined && windowsOnly(dig(item.data, spec));
}

/** Whether `to` injects sidecars: its Namespace in the list says so, or the run generates it with injection. */
function injects(edits: Edits): boolean {
  const { plan } = edits;
  const own = plan.items.find((i) => isNamespace(i) && i.name === plan.to);
  if (!own) return plan.config.createNamespace && plan.to !== plan.config.rootNamespace;
  const labels = labelsOf(own);
  return (
    labels['istio-injection'] === 'enabled' ||
    (labels['istio-injection'] === undefined && labels['istio.io/rev'] !== undefined)
  );
}

/** A warning on each moved Windows workload whose pods would get a sidecar in `to`. */
export function windowsPodWarnings(edits: Edits): void {
  const { plan } = edits;
  if (!injects(edits)) return;
  for (const pods of plan.pods) {
    const item = pods.source.item;
    if (
      !pods.moved ||
      !windowsOnlyWorkload(item) ||
      pods.source.labels['sidecar.istio.io/inject'] === 'false'
    )
      continue;
    edits.warn(
      item,
      podSpecPath(item),
      `runs on Windows nodes only, and Istio has no Windows sidecar (istio/istio#39788): in ${plan.to}, where sidecar injection is on, its pods get a Linux istio-proxy that cannot start. Label its pod template sidecar.istio.io/inject: "false" (it then runs outside the mesh, as it did in ${plan.from}), or keep it in ${plan.from}`,
    );
  }
}
