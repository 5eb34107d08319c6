/**
 * The PeerAuthentications a run wants: one without selector for each configured namespace, and one per selected
 * workload with the selector of that workload's own pods (two workloads never share one: the ama-metrics
 * Deployment's `rsName` and its DaemonSet's `dsName` pods each need theirs). A user's policy already in place at the
 * same level is left as it is (Istio honours only the oldest of a level, so a second one would be ignored).
 */

import { describePods, exclusiveSelector } from '../../src/domain/exclusive-selector.js';
import { isAlertmanager, isPrometheusServer, isWorkload } from '../../src/domain/kinds.js';
import { podMembership } from '../../src/domain/mesh.js';
import { oldest } from '../../src/domain/peer-authentication.js';
import type { PodSource } from '../../src/domain/pod-sources.js';
import type { Wanted } from '../../src/domain/reconcile-generated.js';
import type { ScrapeModel } from '../../src/domain/scrape-path.js';
import { isSelected } from '../../src/domain/selection.js';
import { error, Item, info, type Result, warning } from '../../src/krm/index.js';
import type { GenerateMeshPoliciesConfig } from './config.js';
import { metadataFor } from './generated.js';

/** A workload policy this run generates, so exceptions for its pods go into it. */
export interface WorkloadPolicy {
  pods: PodSource;
  item: Item;
}

/** The base policies (without exceptions) and the results about them. */
export interface BasePolicies {
  wanted: Wanted[];
  workloads: Map<Item, WorkloadPolicy>;
  /** Namespaces that get a policy (for Namespace objects and Sidecars). */
  namespaces: Set<string>;
  results: Result[];
}

const isPodSource = (item: Item): boolean =>
  isWorkload(item) || isPrometheusServer(item) || isAlertmanager(item);

function namespacePolicies(config: GenerateMeshPoliciesConfig, model: ScrapeModel, out: BasePolicies): void {
  for (const namespace of [...new Set(config.namespaces)].sort()) {
    out.namespaces.add(namespace);
    const own =
      namespace === config.rootNamespace
        ? model.policies.meshPolicy()
        : model.policies.namespacePolicy(namespace);
    if (own) {
      const same = own.mode === config.mtls;
      out.results.push(
        (same ? info : warning)(
          same
            ? `namespace ${namespace} already has its namespace-wide PeerAuthentication (${own.mode}); left as it is, none generated`
            : `namespace ${namespace} already has a namespace-wide PeerAuthentication with mode ${own.mode}, not ${config.mtls}: Istio honours only the oldest of a level, so a generated one would be ignored; change it there`,
          { ref: own.item.ref, file: own.item.file, path: 'spec.mtls.mode' },
        ),
      );
      continue;
    }
    const item = policyItem(config, 'default', namespace, undefined, [`Namespace/${namespace}`]);
    const scope =
      namespace === config.rootNamespace
        ? `mesh-wide (${namespace} is Istio's root namespace)`
        : `for every workload of namespace ${namespace}`;
    out.wanted.push({
      item,
      path: 'spec.mtls.mode',
      reason: `PeerAuthentication ${config.mtls} ${scope}, without selector (config namespaces)`,
    });
  }
}

function policyItem(
  config: GenerateMeshPoliciesConfig,
  name: string,
  namespace: string,
  selector: Readonly<Record<string, string>> | undefined,
  madeFor: readonly string[],
): Item {
  return Item.create({
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: metadataFor('PeerAuthentication', name, namespace, madeFor, config.outputDir),
    spec: {
      ...(selector ? { selector: { matchLabels: { ...selector } } } : {}),
      mtls: { mode: config.mtls },
    },
  });
}

/** A policy name per workload, unique in its namespace even when two kinds share a name. */
function workloadPolicyName(pods: PodSource, taken: Set<string>): string {
  let name = `${pods.item.name}-mtls`;
  if (taken.has(`${pods.namespace}/${name}`)) name = `${pods.item.name}-${pods.item.kind.toLowerCase()}-mtls`;
  taken.add(`${pods.namespace}/${name}`);
  return name;
}

function workloadPolicies(
  items: readonly Item[],
  config: GenerateMeshPoliciesConfig,
  model: ScrapeModel,
  out: BasePolicies,
): void {
  if (!config.workloads) return;
  const taken = new Set<string>();
  const selected = items.filter(
    (i) => isPodSource(i) && config.workloads && isSelected(i, { select: config.workloads }),
  );
  if (selected.length === 0)
    out.results.push(
      warning('config workloads selects no workload of the list: no workload policy generated', {
        path: 'workloads',
      }),
    );
  for (const item of selected) {
    const pods = model.inventory.podSourcesIn(item.namespace ?? '').find((p) => p.item === item);
    if (!pods) continue;
    const at = { ref: item.ref, file: item.file };
    if (pods.namespace === config.rootNamespace) {
      out.results.push(
        warning(
          `no PeerAuthentication for ${item.describe()}: in Istio's root namespace ${config.rootNamespace} a policy with a selector is ignored`,
          at,
        ),
      );
      continue;
    }
    const membership = podMembership(model.inventory, pods);
    if (membership.state === 'plain')
      out.results.push(
        warning(
          `${item.describe()} runs without a sidecar (${membership.reason}): its PeerAuthentication changes nothing until it is injected`,
          at,
        ),
      );
    const { selector, alsoSelects } = exclusiveSelector(model.inventory, pods);
    if (alsoSelects.length > 0 && Object.keys(selector).length > 0) {
      // A workload policy is for one workload: on the others it would loosen or tighten what nobody asked.
      out.results.push(
        error(
          `no PeerAuthentication for ${item.describe()}: no selector picks its pods alone (${Object.entries(
            selector,
          )
            .map(([k, v]) => `${k}=${v}`)
            .join(
              ',',
            )} also picks ${describePods(alsoSelects)}), so mode ${config.mtls} would apply to those pods too; give its pod template a label of its own`,
          { ref: item.ref, file: item.file, path: 'spec.template.metadata.labels' },
        ),
      );
      continue;
    }
    if (Object.keys(selector).length === 0) {
      out.results.push(
        warning(
          `no PeerAuthentication for ${item.describe()}: its pods carry no labels to select them by`,
          at,
        ),
      );
      continue;
    }
    out.namespaces.add(pods.namespace);
    const own = oldest(model.policies.policiesWithSelector(pods.namespace, selector));
    if (own) {
      out.results.push(
        info(
          `${item.describe()} already has PeerAuthentication/${own.namespace}/${own.item.name} with its selector (mode ${own.mode}); left as it is, none generated${own.mode !== config.mtls && own.mode !== 'UNSET' ? `: it says ${own.mode}, not ${config.mtls}; change it there` : ''}`,
          { ref: own.item.ref, file: own.item.file, path: 'spec.selector' },
        ),
      );
      continue;
    }
    const other = model.policies.workloadPolicy(pods.namespace, pods.labels);
    if (other)
      out.results.push(
        warning(
          `PeerAuthentication/${other.namespace}/${other.item.name} also selects the pods of ${item.describe()}: Istio applies only the oldest workload policy, which may not be the generated one`,
          { ref: other.item.ref, file: other.item.file, path: 'spec.selector' },
        ),
      );
    const policy = policyItem(config, workloadPolicyName(pods, taken), pods.namespace, selector, [
      `${item.kind}/${pods.namespace}/${item.name}`,
    ]);
    out.workloads.set(item, { pods, item: policy });
    out.wanted.push({
      item: policy,
      path: 'spec.selector.matchLabels',
      reason: `PeerAuthentication ${config.mtls} for the pods of ${item.describe()} only (selector ${Object.entries(
        selector,
      )
        .map(([k, v]) => `${k}=${v}`)
        .join(',')}, from its own pod labels)`,
    });
  }
}

/** The namespace and workload policies the config asks for, before exceptions. */
export function basePolicies(
  items: readonly Item[],
  config: GenerateMeshPoliciesConfig,
  model: ScrapeModel,
): BasePolicies {
  const out: BasePolicies = { wanted: [], workloads: new Map(), namespaces: new Set(), results: [] };
  namespacePolicies(config, model, out);
  workloadPolicies(items, config, model, out);
  return out;
}

/**
 * The list with unannotated copies of the base policies: what the exceptions are decided on (with the model's
 * `ignoreExceptionsBy`, which leaves out this function's earlier output and the ports it added to user policies).
 */
export function withBasePolicies(items: readonly Item[], base: BasePolicies): Item[] {
  return [
    ...items,
    ...base.wanted.map((w) =>
      Item.create({ ...w.item.data, metadata: { name: w.item.name, namespace: w.item.namespace ?? '' } }),
    ),
  ];
}
