/**
 * Writes the run's port exceptions: into the workload policy this run generates for those pods, into the user's
 * own workload policy with the same selector (recorded there, so a later run takes back exactly its ports; Istio
 * honours only the oldest policy of a level, so a second one beside it would be ignored), or as a policy of its
 * own with `mtls.mode: UNSET` (the pods keep the mode their namespace or the mesh gives them) and PERMISSIVE on
 * exactly those container ports.
 */
import { reconcileAddedPorts } from '../../src/domain/added-ports.js';
import { exclusiveSelector } from '../../src/domain/exclusive-selector.js';
import { oldest } from '../../src/domain/peer-authentication.js';
import type { PodSource } from '../../src/domain/pod-sources.js';
import { type AddedPort, addedPorts, portExceptionPolicy } from '../../src/domain/port-exceptions.js';
import type { Wanted } from '../../src/domain/reconcile-generated.js';
import type { ScrapeModel } from '../../src/domain/scrape-path.js';
import { fieldPath, Item, type Result, warning } from '../../src/krm/index.js';
import type { ExceptionAsk } from './exceptions.js';
import { filePath, functionName, pathAnnotation } from './generated.js';
import type { BasePolicies } from './peer-policies.js';

interface Entry {
  pods: PodSource;
  ports: Set<number>;
  owners: Set<string>;
  reasons: string[];
}

function group(asks: readonly ExceptionAsk[]): Entry[] {
  const entries = new Map<Item, Entry>();
  for (const ask of asks) {
    const entry = entries.get(ask.pods.item) ?? {
      pods: ask.pods,
      ports: new Set<number>(),
      owners: new Set<string>(),
      reasons: [],
    };
    entry.ports.add(ask.port);
    entry.owners.add(ask.owner);
    const reason = `port ${ask.port}: ${ask.reason}`;
    if (!entry.reasons.includes(reason)) entry.reasons.push(reason);
    entries.set(ask.pods.item, entry);
  }
  return [...entries.values()];
}

const sortedPorts = (ports: Iterable<number>): number[] => [...new Set(ports)].sort((a, b) => a - b);

/** A created item with more spec and more "made for" entries. */
function withPorts(item: Item, ports: readonly number[], owners: readonly string[]): Item {
  const data = structuredClone(item.data) as {
    metadata: { annotations: Record<string, string> };
    spec: Record<string, unknown>;
  };
  data.spec.portLevelMtls = Object.fromEntries(
    sortedPorts(ports).map((p) => [String(p), { mode: 'PERMISSIVE' }]),
  );
  const forKey = 'meshscrape.dev/generated-for';
  const madeFor = new Set([
    ...(data.metadata.annotations[forKey] ?? '').split(',').filter(Boolean),
    ...owners,
  ]);
  data.metadata.annotations[forKey] = [...madeFor].sort().join(',');
  return Item.create(data as never);
}

/** The base policies with the exceptions merged, plus separate exception policies and edits of user policies. */
export function applyExceptions(
  items: readonly Item[],
  asks: readonly ExceptionAsk[],
  base: BasePolicies,
  model: ScrapeModel,
  outputDir: string,
): { wanted: Wanted[]; results: Result[] } {
  const results: Result[] = [];
  const wanted = [...base.wanted];
  const edits = new Map<Item, AddedPort[]>();
  const editReasons = new Map<Item, string[]>();
  for (const entry of group(asks)) {
    const ports = sortedPorts(entry.ports);
    const owners = [...entry.owners].sort();
    const why = entry.reasons.join('; ');
    const workload = entry.pods.item;
    const opens = (opened: readonly number[]): void => {
      if (opened.length === 0) return;
      results.push(
        warning(
          `port ${opened.join(', ')} of ${workload.describe()} accepts plain text from any caller (portLevelMtls PERMISSIVE), the rest of the workload keeps its mode: ${why}`,
          { ref: workload.ref, file: workload.file },
        ),
      );
    };
    const generated = base.workloads.get(workload);
    if (generated) {
      opens(ports);
      const index = wanted.findIndex((w) => w.item === generated.item);
      const current = wanted[index] as Wanted;
      wanted[index] = {
        item: withPorts(current.item, ports, owners),
        path: 'spec.portLevelMtls',
        reason: `${current.reason}, with port ${ports.join(', ')} PERMISSIVE: ${why}`,
      };
      continue;
    }
    const { selector } = exclusiveSelector(model.inventory, entry.pods);
    const own = oldest(model.policies.policiesWithSelector(entry.pods.namespace, selector));
    if (own) {
      // A port the user's policy sets itself is the user's decision: said, never overwritten.
      const theirs = ports.filter((p) => own.ports.has(p));
      for (const port of theirs)
        results.push(
          warning(
            `PeerAuthentication/${own.namespace}/${own.item.name} sets port ${port} to ${own.ports.get(port)} itself, so no exception is added there (${why}); change it there if the caller must get through`,
            {
              ref: own.item.ref,
              file: own.item.file,
              path: fieldPath(['spec', 'portLevelMtls', String(port)]),
            },
          ),
        );
      const added = edits.get(own.item) ?? [];
      const opened = ports.filter((p) => !own.ports.has(p));
      opens(opened);
      for (const port of opened) for (const owner of owners) added.push({ port, monitor: owner });
      edits.set(own.item, added);
      editReasons.set(own.item, [...(editReasons.get(own.item) ?? []), why]);
      continue;
    }
    const other = model.policies.workloadPolicy(entry.pods.namespace, entry.pods.labels);
    if (other)
      results.push(
        warning(
          `PeerAuthentication/${other.namespace}/${other.item.name} also selects the pods of ${workload.describe()}: Istio applies only the oldest workload policy, so the generated exception may be ignored; add port ${ports.join(', ')} there`,
          { ref: other.item.ref, file: other.item.file, path: 'spec.portLevelMtls' },
        ),
      );
    opens(ports);
    const name = `${workload.name}-port-exception`;
    const policy = portExceptionPolicy({
      generator: functionName,
      name,
      namespace: entry.pods.namespace,
      selector,
      ports,
      generatedFor: owners,
    });
    const data = structuredClone(policy.data) as { metadata: { annotations: Record<string, string> } };
    data.metadata.annotations[pathAnnotation] = filePath(
      outputDir,
      'PeerAuthentication',
      entry.pods.namespace,
      name,
    );
    wanted.push({
      item: Item.create(data as never),
      path: 'spec.portLevelMtls',
      reason: `port-level exception for ${workload.describe()}: ${why}; mtls.mode UNSET leaves its other ports as its namespace or the mesh decides`,
    });
  }
  for (const item of items.filter(
    (i) => i.kind === 'PeerAuthentication' && (edits.has(i) || addedPorts(i, functionName).length > 0),
  )) {
    // This function recomputes every exception each run, so everything it recorded earlier is handled now.
    const handled = new Set(addedPorts(item, functionName).map((p) => p.monitor));
    for (const p of edits.get(item) ?? []) handled.add(p.monitor);
    results.push(
      ...reconcileAddedPorts(item, functionName, edits.get(item) ?? [], handled, editReasons.get(item) ?? []),
    );
  }
  return { wanted, results };
}
