/** Mesh membership: whether pods run with an Istio sidecar, as far as the list shows. */
import type { Inventory } from './inventory.js';
import type { PodSource } from './pod-sources.js';

/** Where a set of pods stands. `unknown` means the list shows nothing either way. */
export type MeshState = 'mesh' | 'plain' | 'ambient' | 'unknown';

/** A membership decision and the reason a result can quote. */
export interface Membership {
  state: MeshState;
  reason: string;
}

const injectKey = 'sidecar.istio.io/inject';
/**
 * Namespaces Istio's injector never injects, whatever their labels or the pods' (istio/istio
 * pkg/kube/inject/initializer.go `IgnoredNamespaces`, checked by `injectRequired`).
 */
export const neverInjectedNamespaces: readonly string[] = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'local-path-storage',
];
const ambientKey = 'istio.io/dataplane-mode';

/**
 * Whether a namespace's labels ask the injector for a sidecar on every pod: istio-injection: enabled, or a
 * revision label (istio/istio manifests/charts/default/templates/mutatingwebhook.yaml, the namespace. and
 * rev.namespace. webhooks).
 */
const injectsNamespace = (labels: Readonly<Record<string, string>>): boolean =>
  labels['istio-injection'] === 'enabled' ||
  (labels['istio-injection'] === undefined && labels['istio.io/rev'] !== undefined);

/**
 * Why pods in `namespace` with these labels run in Istio ambient mode with no sidecar, and whether their namespace
 * or their own label says so (so sidecar annotations and
 * the cert-mount recipe do nothing there), or undefined when they do not. Ambient is the Namespace's label in the
 * list (or the pods' own `istio.io/dataplane-mode: ambient`); a pod that gets a sidecar anyway is not sidecar-less:
 * the injector's object webhook injects a pod labelled `sidecar.istio.io/inject: "true"` in a namespace without
 * istio-injection / istio.io/rev (mutatingwebhook.yaml, object.), an injection-enabled namespace injects every pod,
 * and ambient leaves a pod with a sidecar alone (istio/istio cni/pkg/util/podutil.go podHasSidecar).
 */
export function sidecarlessAmbient(
  inventory: Inventory,
  namespace: string,
  podLabels: Readonly<Record<string, string>>,
): { reason: string; from: 'namespace' | 'pods' } | undefined {
  if (neverInjectedNamespaces.includes(namespace) || podLabels[ambientKey] === 'none') return undefined;
  const labels = inventory.namespaceLabels(namespace) ?? {};
  const byNamespace = labels[ambientKey] === 'ambient';
  if (!byNamespace && podLabels[ambientKey] !== 'ambient') return undefined;
  if (injectsNamespace(labels) && podLabels[injectKey] !== 'false') return undefined;
  if (podLabels[injectKey] === 'true' && labels['istio-injection'] !== 'disabled') return undefined;
  return byNamespace
    ? {
        reason: `namespace ${namespace} runs Istio ambient mode (${ambientKey}: ambient), which has no sidecar`,
        from: 'namespace',
      }
    : { reason: `its pods are labelled ${ambientKey}: ambient, which has no sidecar`, from: 'pods' };
}

/** How the Namespace in the list is labelled, or unknown when the list has no such Namespace. */
export function namespaceMembership(inventory: Inventory, namespace: string): Membership {
  if (neverInjectedNamespaces.includes(namespace)) {
    return {
      state: 'plain',
      reason: `Istio never injects sidecars in ${namespace}, whatever its labels or the pods' say`,
    };
  }
  const labels = inventory.namespaceLabels(namespace);
  if (!labels && namespace === '') {
    return {
      state: 'unknown',
      reason: 'no namespace is set, so it is whichever the resources are applied to',
    };
  }
  if (!labels) return { state: 'unknown', reason: `the list has no Namespace ${namespace}` };
  if (labels[ambientKey] === 'ambient')
    return { state: 'ambient', reason: `namespace ${namespace} runs Istio ambient mode` };
  if (labels['istio-injection'] === 'enabled') {
    return { state: 'mesh', reason: `namespace ${namespace} is labelled istio-injection=enabled` };
  }
  if (labels['istio-injection'] === 'disabled') {
    return { state: 'plain', reason: `namespace ${namespace} is labelled istio-injection=disabled` };
  }
  if (labels['istio.io/rev'])
    return { state: 'mesh', reason: `namespace ${namespace} is labelled istio.io/rev` };
  return { state: 'plain', reason: `namespace ${namespace} is not labelled for sidecar injection` };
}

/** Membership of one set of pods: their own opt-in or opt-out first, then their namespace. */
export function podMembership(inventory: Inventory, pods: PodSource): Membership {
  const what = `${pods.item.kind} ${pods.namespace}/${pods.item.name}`;
  if (neverInjectedNamespaces.includes(pods.namespace)) return namespaceMembership(inventory, pods.namespace);
  if (pods.hostNetwork) return { state: 'plain', reason: `${what} runs with hostNetwork: true` };
  const inject = pods.labels[injectKey] ?? pods.annotations[injectKey];
  if (inject === 'false') return { state: 'plain', reason: `${what} sets ${injectKey}: "false"` };
  if (pods.labels[ambientKey] === 'none')
    return { state: 'plain', reason: `${what} opts out of ambient mode` };
  const namespace = namespaceMembership(inventory, pods.namespace);
  if (namespace.state === 'ambient' || pods.labels[ambientKey] === 'ambient') {
    if (sidecarlessAmbient(inventory, pods.namespace, pods.labels))
      return { state: 'ambient', reason: `${what} runs in Istio ambient mode` };
    return {
      state: 'mesh',
      reason: `${what} gets a sidecar in ambient namespace ${pods.namespace} (${pods.labels[injectKey] === 'true' ? `label ${injectKey}: "true"` : 'the namespace enables injection'}), and ambient leaves a pod with a sidecar alone`,
    };
  }
  // istio-injection=disabled on the namespace wins over the pods' own opt-in: every injector webhook that reads the
  // pod's label or revision requires the namespace to carry no istio-injection label (istio/istio
  // manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml).
  const disabled = inventory.namespaceLabels(pods.namespace)?.['istio-injection'] === 'disabled';
  if (disabled && (inject === 'true' || pods.labels['istio.io/rev']))
    return {
      state: 'plain',
      reason: `namespace ${pods.namespace} is labelled istio-injection=disabled, where Istio's injector ignores the pods' own ${inject === 'true' ? `${injectKey}: "true"` : 'istio.io/rev'}`,
    };
  if (inject === 'true') return { state: 'mesh', reason: `${what} sets ${injectKey}: "true"` };
  if (pods.labels['istio.io/rev']) return { state: 'mesh', reason: `${what} is labelled istio.io/rev` };
  return namespace;
}

/** Combines the memberships of all pods behind one target: one verdict, or `mixed` when they disagree. */
export function combineMemberships(
  memberships: readonly Membership[],
): Membership | { state: 'mixed'; reason: string } {
  const states = new Set(memberships.map((m) => m.state));
  if (states.size === 1) return memberships[0] as Membership;
  const known = memberships.filter((m) => m.state !== 'unknown');
  const knownStates = new Set(known.map((m) => m.state));
  if (knownStates.size === 1) return known[0] as Membership;
  return { state: 'mixed', reason: memberships.map((m) => m.reason).join('; ') };
}
