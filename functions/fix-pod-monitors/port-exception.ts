/**
 * port-exception: keep the PodMonitor and open only the metrics port of only the selected workloads to plain
 * text, with a workload-scoped PeerAuthentication (STRICT, portLevelMtls PERMISSIVE on the container port number).
 */

import { generatedBy, generatedMetadata } from '../../src/domain/generated.js';
import { matchesSelector, stringMap, toLabelSelector } from '../../src/domain/label-selector.js';
import type { PodSource } from '../../src/domain/pod-sources.js';
import { asObject, Item, type Result, warning } from '../../src/krm/index.js';
import { type Analysis, describePort, scrapedWorkloads } from './analysis.js';
import { type FixContext, functionName } from './context.js';

/** Container ports per workload that this monitor needs opened, or why not. */
export function exceptionPorts(
  analysis: Analysis,
  ctx: FixContext,
): { ports: Map<PodSource, number[]> } | { refusal: string } {
  if (analysis.appEndpoints.length === 0) return { refusal: 'no endpoint needs a fix' };
  if (analysis.targets.workloads.length === 0)
    return { refusal: 'no workload in the list matches the selector' };
  const ports = new Map<PodSource, number[]>();
  for (const endpoint of analysis.appEndpoints) {
    const scraped = scrapedWorkloads(endpoint, analysis.targets.workloads);
    if (scraped.length === 0)
      return { refusal: `no selected workload declares ${describePort(endpoint.port)}` };
    for (const { workload, port } of scraped) {
      if (ctx.config.sharedPorts.includes(port)) {
        return {
          refusal: `port ${port} of ${workload.item.describe()} also serves other traffic (sharedPorts)`,
        };
      }
      const numbers = ports.get(workload) ?? [];
      if (!numbers.includes(port)) numbers.push(port);
      ports.set(workload, numbers);
    }
  }
  return { ports };
}

/** The workload's own pod selector (Deployment spec.selector.matchLabels), else its pod template labels. */
function workloadSelector(workload: PodSource): Record<string, string> {
  const matchLabels = stringMap(asObject(asObject(asObject(workload.item.data.spec)?.selector))?.matchLabels);
  return Object.keys(matchLabels).length > 0 ? matchLabels : workload.labels;
}

/** One PeerAuthentication per workload, carrying every port any monitor needs opened there. */
export function peerAuthentication(
  workload: PodSource,
  ports: readonly number[],
  monitors: readonly string[],
): Item {
  const portLevelMtls = Object.fromEntries(
    [...ports].sort((a, b) => a - b).map((p) => [String(p), { mode: 'PERMISSIVE' }]),
  );
  return Item.create({
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: generatedMetadata(
      functionName,
      `${workload.item.name}-metrics-port`,
      workload.namespace,
      monitors,
    ),
    spec: {
      selector: { matchLabels: workloadSelector(workload) },
      mtls: { mode: 'STRICT' },
      portLevelMtls,
    },
  });
}

/** Warnings for the plain-text opening, and for user PeerAuthentications that also select the workload. */
export function exceptionWarnings(
  analysis: Analysis,
  ports: Map<PodSource, number[]>,
  ctx: FixContext,
): Result[] {
  const results: Result[] = [];
  for (const [workload, numbers] of ports) {
    results.push(
      warning(
        `port ${numbers.join(', ')} of ${workload.item.describe()} now accepts plain-text callers from anywhere (PERMISSIVE); the rest of the workload stays STRICT`,
        analysis.at(),
      ),
    );
    for (const item of ctx.items) {
      if (
        item.kind !== 'PeerAuthentication' ||
        item.namespace !== workload.namespace ||
        generatedBy(item) === functionName
      )
        continue;
      const selector = toLabelSelector(asObject(item.data.spec)?.selector);
      if (
        selector &&
        Object.keys(selector.matchLabels ?? {}).length > 0 &&
        matchesSelector(selector, workload.labels)
      ) {
        results.push(
          warning(
            `PeerAuthentication ${item.namespace}/${item.name} also selects ${workload.item.describe()}; Istio applies only the oldest`,
            analysis.at(),
          ),
        );
      }
    }
  }
  return results;
}
