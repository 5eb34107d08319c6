/**
 * The effective mTLS mode at a container port, composed from the PeerAuthentications in the list the way istiod does
 * (pilot/pkg/security/authn/policy_applier.go `ComposePeerAuthentication`): mesh-wide (root namespace, no selector)
 * < namespace (no selector, or a selector without matchLabels) < workload (a selector in any other namespace); only
 * the oldest policy of a level counts (pilot/pkg/model/config.go `configCompareByCreationTime`: creation time, then
 * name, then namespace); `UNSET` inherits from the level above; `portLevelMtls` (keyed by container port) of the
 * workload policy overrides its mode for that port, an `UNSET` entry inheriting the workload's mode. A selector
 * policy in the root namespace is ignored.
 */

import { asObject, type Item } from '../krm/index.js';
import { generatedBy } from './generated.js';
import type { Labels } from './label-selector.js';
import { stringMap } from './label-selector.js';
import { addedPorts } from './port-exceptions.js';

/** A mode a port ends up with. */
export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';
/** A mode as written in a policy. */
export type PolicyMode = MtlsMode | 'UNSET';

/** The mode at a port and the policy (or assumption) that decided it, for results. */
export interface MtlsDecision {
  mode: MtlsMode;
  /** `PeerAuthentication/shop/default`, `PeerAuthentication/shop/cart port 8080`, or the assumption used. */
  source: string;
  /** True when no policy in the list decided and `meshMtls` was assumed. */
  assumed: boolean;
}

/** One PeerAuthentication as read from the list. */
export interface PeerPolicy {
  item: Item;
  namespace: string;
  /** matchLabels of the selector; undefined for a namespace or mesh-wide policy. */
  selector: Labels | undefined;
  mode: PolicyMode;
  ports: ReadonlyMap<number, PolicyMode>;
  created: string;
}

const modes = new Set(['STRICT', 'PERMISSIVE', 'DISABLE', 'UNSET']);

function modeOf(value: unknown): PolicyMode {
  const mode = asObject(value)?.mode;
  return typeof mode === 'string' && modes.has(mode) ? (mode as PolicyMode) : 'UNSET';
}

/** Reads a PeerAuthentication item. */
export function peerPolicyOf(item: Item): PeerPolicy {
  const spec = asObject(item.data.spec) ?? {};
  const matchLabels = stringMap(asObject(spec.selector)?.matchLabels);
  const ports = new Map<number, PolicyMode>();
  for (const [port, value] of Object.entries(asObject(spec.portLevelMtls) ?? {})) {
    if (/^\d+$/.test(port)) ports.set(Number(port), modeOf(value));
  }
  const created = item.read(['metadata', 'creationTimestamp']);
  return {
    item,
    namespace: item.namespace ?? '',
    selector: Object.keys(matchLabels).length > 0 ? matchLabels : undefined,
    mode: modeOf(spec.mtls),
    ports,
    created: typeof created === 'string' ? created : '',
  };
}

function withoutAddedPorts(policy: PeerPolicy, fn: string | undefined): PeerPolicy {
  const added = fn === undefined ? [] : addedPorts(policy.item, fn);
  if (added.length === 0) return policy;
  const ports = new Map(policy.ports);
  for (const { port } of added) ports.delete(port);
  return { ...policy, ports };
}

/** Istio's order: older first; a policy without a creation time (a render) sorts by name, then namespace. */
function older(a: PeerPolicy, b: PeerPolicy): boolean {
  const time =
    a.created === b.created
      ? 0
      : a.created === ''
        ? 1
        : b.created === ''
          ? -1
          : Date.parse(a.created) - Date.parse(b.created);
  if (time !== 0) return time < 0;
  if (a.item.name !== b.item.name) return a.item.name < b.item.name;
  return a.namespace < b.namespace;
}

/** The policy Istio honours among several at one level: the oldest. */
export function oldest(policies: readonly PeerPolicy[]): PeerPolicy | undefined {
  let best: PeerPolicy | undefined;
  for (const policy of policies) if (!best || older(policy, best)) best = policy;
  return best;
}

const describePolicy = (policy: PeerPolicy): string =>
  `PeerAuthentication/${policy.namespace}/${policy.item.name}`;

/** The PeerAuthentications of a list, indexed by namespace. */
export class PeerAuthentications {
  private readonly byNamespace = new Map<string, PeerPolicy[]>();

  constructor(
    items: Iterable<Item>,
    private readonly rootNamespace: string,
    /** The mesh-wide mode assumed when the list has no mesh-wide policy (`meshMtls`). */
    private readonly assumedMeshMode: MtlsMode,
    /**
     * A function whose own port exceptions are left out (the policies it generated, the ports it added to others),
     * so it decides from the policies as the user wrote them and its earlier fix does not hide the need for it.
     */
    ignoreExceptionsBy?: string,
    /**
     * What-if (the validator's `assumeStrict`): these namespaces, or all, are taken as switched to STRICT at the
     * namespace level; workload policies and their port exceptions still apply over it, as istiod composes them.
     */
    private readonly assumeStrict?: readonly string[] | 'all',
  ) {
    for (const item of items) {
      if (ignoreExceptionsBy !== undefined && generatedBy(item) === ignoreExceptionsBy) continue;
      const policy = withoutAddedPorts(peerPolicyOf(item), ignoreExceptionsBy);
      const list = this.byNamespace.get(policy.namespace);
      if (list) list.push(policy);
      else this.byNamespace.set(policy.namespace, [policy]);
    }
  }

  /** The mesh-wide policy that counts, if the list has one. */
  meshPolicy(): PeerPolicy | undefined {
    return oldest((this.byNamespace.get(this.rootNamespace) ?? []).filter((p) => !p.selector));
  }

  /** The namespace policy that counts in a namespace, if the list has one. */
  namespacePolicy(namespace: string): PeerPolicy | undefined {
    if (namespace === this.rootNamespace) return undefined;
    return oldest((this.byNamespace.get(namespace) ?? []).filter((p) => !p.selector));
  }

  /** The workload policy that counts for pods with these labels, if any. */
  workloadPolicy(namespace: string, podLabels: Labels): PeerPolicy | undefined {
    if (namespace === this.rootNamespace) return undefined;
    const matching = (this.byNamespace.get(namespace) ?? []).filter(
      (p) => p.selector && Object.entries(p.selector).every(([k, v]) => podLabels[k] === v),
    );
    return oldest(matching);
  }

  /** Every workload policy whose selector is exactly these labels (for merging a port into it). */
  policiesWithSelector(namespace: string, selector: Labels): PeerPolicy[] {
    const wanted = JSON.stringify(Object.entries(selector).sort());
    return (this.byNamespace.get(namespace) ?? []).filter(
      (p) => p.selector && JSON.stringify(Object.entries(p.selector).sort()) === wanted,
    );
  }

  /** The mode at a namespace's level (mesh-wide then namespace policy), ignoring workload policies. */
  namespaceMode(namespace: string): MtlsDecision {
    const mesh = this.meshPolicy();
    let decision: MtlsDecision =
      mesh && mesh.mode !== 'UNSET'
        ? { mode: mesh.mode, source: describePolicy(mesh), assumed: false }
        : mesh
          ? {
              mode: 'PERMISSIVE',
              source: `${describePolicy(mesh)} (UNSET: Istio's default PERMISSIVE)`,
              assumed: false,
            }
          : {
              mode: this.assumedMeshMode,
              source: `meshMtls: ${this.assumedMeshMode} (assumed: no mesh-wide policy in the list)`,
              assumed: true,
            };
    const ns = this.namespacePolicy(namespace);
    if (ns && ns.mode !== 'UNSET') decision = { mode: ns.mode, source: describePolicy(ns), assumed: false };
    if (this.assumeStrict === 'all' || this.assumeStrict?.includes(namespace))
      return { mode: 'STRICT', source: `assumeStrict: ${namespace} (what-if)`, assumed: false };
    return decision;
  }

  /** The effective mode at a container port of pods with these labels; the port may be unknown. */
  modeAt(namespace: string, podLabels: Labels, port: number | undefined): MtlsDecision {
    let decision = this.namespaceMode(namespace);
    const workload = this.workloadPolicy(namespace, podLabels);
    if (!workload) return decision;
    if (workload.mode !== 'UNSET')
      decision = { mode: workload.mode, source: describePolicy(workload), assumed: false };
    const portMode = port === undefined ? undefined : workload.ports.get(port);
    if (portMode === undefined || portMode === 'UNSET') return decision;
    return { mode: portMode, source: `${describePolicy(workload)} port ${port}`, assumed: false };
  }
}
