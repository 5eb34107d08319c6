/**
 * port-exception: keep the PodMonitor and open only the metrics port of only the selected workloads to plain
 * text: `portLevelMtls` PERMISSIVE on the container port number, with `mtls.mode: UNSET` so the rest of the
 * workload keeps the mode its namespace or the mesh gives it (never a tightened one). Where a workload policy with
 * the workload's own selector exists, the port goes into that policy (Istio honours only the oldest of several),
 * recorded on it (src/domain/port-exceptions.ts) so a later run can take back exactly that port.
 */

import { reconcileAddedPorts } from '../../src/domain/added-ports.js';
import { generatedBy } from '../../src/domain/generated.js';
import { matchesSelector, toLabelSelector } from '../../src/domain/label-selector.js';
import { oldest, type PeerPolicy } from '../../src/domain/peer-authentication.js';
import { type PodSource, workloadSelector } from '../../src/domain/pod-sources.js';
import { type AddedPort, addedPorts, portExceptionPolicy } from '../../src/domain/port-exceptions.js';
import {
  asObject,
  failure,
  type Item,
  info,
  type Outcome,
  type Result,
  success,
  warning,
} from '../../src/krm/index.js';
import { type Analysis, describePort, scrapedWorkloads } from './analysis.js';
import { type FixContext, functionName } from './context.js';

const at = (item: Item, path?: string) => ({ ref: item.ref, file: item.file, path });

/** The user's workload policy with exactly the workload's selector (the oldest, as Istio honours it), if any. */
export function existingPolicy(workload: PodSource, ctx: FixContext): PeerPolicy | undefined {
  return oldest(ctx.model.policies.policiesWithSelector(workload.namespace, workloadSelector(workload)));
}

/** Container ports per workload that this monitor needs opened, or why not (one reason). */
export function exceptionPorts(
  analysis: Analysis,
  ctx: FixContext,
): Outcome<Map<PodSource, number[]>, string> {
  if (analysis.appEndpoints.length === 0) return failure(['no endpoint needs a fix']);
  if (analysis.targets.workloads.length === 0)
    return failure(['no workload in the list matches the selector']);
  const ports = new Map<PodSource, number[]>();
  for (const endpoint of analysis.appEndpoints) {
    const scraped = scrapedWorkloads(endpoint, analysis.targets.workloads);
    if (scraped.length === 0)
      return failure([`no selected workload declares ${describePort(endpoint.port)}`]);
    for (const { workload, port } of scraped) {
      if (ctx.config.sharedPorts.includes(port)) {
        return failure([
          `port ${port} of ${workload.item.describe()} also serves other traffic (sharedPorts)`,
        ]);
      }
      const own = existingPolicy(workload, ctx);
      const set = own?.ports.get(port);
      if (own && set !== undefined)
        return failure([
          `PeerAuthentication/${own.namespace}/${own.item.name} already sets port ${port} to ${set} itself; change it there`,
        ]);
      const numbers = ports.get(workload) ?? [];
      if (!numbers.includes(port)) numbers.push(port);
      ports.set(workload, numbers);
    }
  }
  return success(ports);
}

/** Ports one run opens on one workload, for which monitors, and why. */
export interface ExceptionEntry {
  ports: number[];
  monitors: string[];
  reasons: string[];
}

/** A generated PeerAuthentication per workload, carrying every port any monitor needs opened there. */
export function peerAuthentication(workload: PodSource, entry: ExceptionEntry): Item {
  return portExceptionPolicy({
    generator: functionName,
    name: `${workload.item.name}-metrics-port`,
    namespace: workload.namespace,
    selector: workloadSelector(workload),
    ports: entry.ports,
    generatedFor: entry.monitors,
  });
}

/**
 * Turns the run's exceptions into generated PeerAuthentications or ports added to the user's own policy, and
 * takes back ports added earlier for monitors this run handled that no longer need them.
 */
export function applyExceptions(
  exceptions: ReadonlyMap<PodSource, ExceptionEntry>,
  ctx: FixContext,
  handled: ReadonlySet<string>,
): { generated: Item[]; results: Result[] } {
  const generated: Item[] = [];
  const results: Result[] = [];
  const edits = new Map<Item, { added: AddedPort[]; reasons: string[] }>();
  for (const [workload, entry] of exceptions) {
    const why = entry.reasons.join('; ');
    const own = existingPolicy(workload, ctx);
    if (own) {
      const added = entry.ports.flatMap((port) => entry.monitors.map((monitor) => ({ port, monitor })));
      const edit = edits.get(own.item) ?? { added: [], reasons: [] };
      edit.added.push(...added);
      edit.reasons.push(...entry.reasons.filter((r) => !edit.reasons.includes(r)));
      edits.set(own.item, edit);
      continue;
    }
    const policy = peerAuthentication(workload, entry);
    generated.push(policy);
    results.push(
      info(
        `generated for ${entry.monitors.join(', ')}: opens port ${entry.ports.join(', ')} to plain text (PERMISSIVE), as ${why}; mtls.mode UNSET leaves the rest of ${workload.item.describe()} as its namespace or the mesh decides`,
        at(policy, 'spec.portLevelMtls'),
      ),
    );
  }
  const policies = ctx.items.filter(
    (item) =>
      item.kind === 'PeerAuthentication' && (edits.has(item) || addedPorts(item, functionName).length > 0),
  );
  for (const item of policies)
    results.push(
      ...reconcileAddedPorts(
        item,
        functionName,
        edits.get(item)?.added ?? [],
        handled,
        edits.get(item)?.reasons ?? [],
      ),
    );
  return { generated, results };
}

/** Warnings for the plain-text opening, and for other user PeerAuthentications that also select the workload. */
export function exceptionWarnings(
  analysis: Analysis,
  ports: Map<PodSource, number[]>,
  ctx: FixContext,
): Result[] {
  const results: Result[] = [];
  for (const [workload, numbers] of ports) {
    const own = existingPolicy(workload, ctx)?.item;
    results.push(
      warning(
        `port ${numbers.join(', ')} of ${workload.item.describe()} now accepts plain-text callers from anywhere (PERMISSIVE); the rest of the workload keeps its mode`,
        analysis.at(),
      ),
    );
    for (const item of ctx.items) {
      if (
        item === own ||
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
