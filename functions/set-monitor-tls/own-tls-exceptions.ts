/**
 * `ownTls: permissive-port`: a port-level PERMISSIVE exception for a port whose app serves TLS itself (or that the
 * kube-apiserver calls without a mesh identity) behind a STRICT sidecar. Istio's PERMISSIVE inbound chains pass a
 * one-way TLS handshake without Istio's ALPN to the app as plain TCP, except on a port declared HTTP (domain.md
 * section 0, step 6), where only the exclusion works. `mtls.mode: UNSET` leaves the rest of the workload as it was.
 * A workload policy with the same selector gets the port instead of a second policy (Istio honours the oldest).
 */
import { reconcileAddedPorts } from '../../src/domain/added-ports.js';
import { generatedFor, generatedSpecContent } from '../../src/domain/generated.js';
import { oldest } from '../../src/domain/peer-authentication.js';
import { type PodSource, workloadSelector } from '../../src/domain/pod-sources.js';
import { type AddedPort, addedPorts, portExceptionPolicy } from '../../src/domain/port-exceptions.js';
import { reconcileWanted, type Wanted } from '../../src/domain/reconcile-generated.js';
import { type ScrapeModel, strictCaptured, type TargetPort } from '../../src/domain/scrape-path.js';
import { type Item, type Result, warning } from '../../src/krm/index.js';

/** The function's name, as its generated exceptions carry it. */
export const functionName = 'set-monitor-tls';
/** The kinds it generates, by API group. */
export const generatedKinds: Readonly<Record<string, string>> = { PeerAuthentication: 'security.istio.io' };

interface Entry {
  pods: PodSource;
  ports: Set<number>;
  owners: Set<string>;
  reasons: string[];
}

/** Exceptions asked for during one run, applied once at its end. */
export class OwnTlsExceptions {
  private readonly entries = new Map<Item, Entry>();
  /** Monitors and callers this run looked at: exceptions made for them earlier and no longer wanted go. */
  readonly handled = new Set<string>();

  /**
   * Asks for the STRICT captured ports among `targets`; a warning instead when a Service declares one HTTP (the
   * exception could not pass the app's TLS there).
   */
  ask(targets: readonly (TargetPort & { declaredHttp?: boolean })[], owner: string, why: string): Result[] {
    const strict = strictCaptured(targets);
    if (strict.some((t) => t.declaredHttp))
      return [
        warning(
          `ownTls: permissive-port cannot help ${owner}: the Service declares the port HTTP, where Istio matches only mTLS and plain text; use ownTls: exclude-port (${why})`,
        ),
      ];
    for (const target of strict) {
      const entry = this.entries.get(target.pods.item) ?? {
        pods: target.pods,
        ports: new Set<number>(),
        owners: new Set<string>(),
        reasons: [],
      };
      entry.ports.add(target.containerPort as number);
      entry.owners.add(owner);
      if (!entry.reasons.includes(why)) entry.reasons.push(why);
      this.entries.set(target.pods.item, entry);
    }
    return [];
  }

  /** The run's items with the exceptions generated, merged into user policies, or taken back. */
  apply(items: readonly Item[], model: ScrapeModel): { items: Item[]; results: Result[] } {
    const wanted: Wanted[] = [];
    const edits = new Map<Item, AddedPort[]>();
    const results: Result[] = [];
    for (const entry of this.entries.values()) {
      const ports = [...entry.ports].sort((a, b) => a - b);
      const owners = [...entry.owners].sort();
      const selector = workloadSelector(entry.pods);
      const own = oldest(model.policies.policiesWithSelector(entry.pods.namespace, selector));
      if (own) {
        const added = edits.get(own.item) ?? [];
        for (const port of ports) for (const monitor of owners) added.push({ port, monitor });
        edits.set(own.item, added);
        continue;
      }
      const policy = portExceptionPolicy({
        generator: functionName,
        name: `${entry.pods.item.name}-own-tls-port`,
        namespace: entry.pods.namespace,
        selector,
        ports,
        generatedFor: owners,
      });
      wanted.push({
        item: policy,
        path: 'spec.portLevelMtls',
        reason: `opens port ${ports.join(', ')} of ${entry.pods.item.describe()} to PERMISSIVE (ownTls: permissive-port), so the TLS its app serves passes the sidecar: ${entry.reasons.join('; ')}; mtls.mode UNSET leaves its other ports as they were`,
      });
    }
    for (const item of items.filter(
      (i) => i.kind === 'PeerAuthentication' && (edits.has(i) || addedPorts(i, functionName).length > 0),
    ))
      results.push(...reconcileAddedPorts(item, functionName, edits.get(item) ?? [], this.handled));
    const handled = this.handled;
    const reconciled = reconcileWanted(items, wanted, {
      functionName,
      generatedKinds,
      content: generatedSpecContent,
      // Made for a monitor or caller this run looked at, and no longer wanted: the exception goes.
      stale: (item) => generatedFor(item).some((f) => handled.has(f)),
    });
    return { items: reconciled.items, results: [...results, ...reconciled.results] };
  }
}
