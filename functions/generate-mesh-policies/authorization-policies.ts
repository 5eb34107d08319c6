/**
 * ALLOW AuthorizationPolicies that let the scrapers in (domain.md section 0, step 9 and section 4): the principals
 * of the scrapers that reach each target workload, on the container ports they scrape there (a ServiceMonitor's
 * Service port through the Service's targetPort, a PodMonitor's port, a `prometheus.io/port` annotation), one policy
 * per target namespace when one selector picks exactly the target workloads, else one per workload. A port under a
 * port-level PERMISSIVE (or DISABLE) mode receives plain text, which carries no principal: it is allowed by port
 * only. Uncaptured ports are not subject to the policies and get no rule. Never an ALLOW without a selector, and
 * none in Istio's root namespace, where a policy applies to the matching workloads of every namespace.
 */
import { identityLessCalls } from '../../src/domain/callers.js';
import { describePods, exclusiveSelector } from '../../src/domain/exclusive-selector.js';
import { generatedBy } from '../../src/domain/generated.js';
import { isAlertmanager } from '../../src/domain/kinds.js';
import { matchesSelector } from '../../src/domain/label-selector.js';
import { podMembership } from '../../src/domain/mesh.js';
import { istioPlainPorts, istioPortOf } from '../../src/domain/pod-monitor-targets.js';
import type { PodSource } from '../../src/domain/pod-sources.js';
import type { Wanted } from '../../src/domain/reconcile-generated.js';
import type { ScrapeModel, TargetPort } from '../../src/domain/scrape-path.js';
import { scrapeReport } from '../../src/domain/scrape-report.js';
import { asObject, error, Item, info, type Json, type Result, warning } from '../../src/krm/index.js';
import type { GenerateMeshPoliciesConfig } from './config.js';
import { functionName, metadataFor } from './generated.js';
import type { ScraperIdentity } from './scrapers.js';

/** What one target workload must let in. */
interface Access {
  pods: PodSource;
  principals: Set<string>;
  /** Ports reached over Istio mTLS: allowed for the principals. */
  mtlsPorts: Set<number>;
  /** Ports reached in plain text (PERMISSIVE / DISABLE there): allowed by port only. */
  plainPorts: Set<number>;
  /** Plain ports where the app serves TLS itself (the sidecar passes it as TCP): HTTP conditions never match. */
  tcpPorts: Set<number>;
  sources: Set<string>;
}

const refOf = (item: Item): string =>
  `${item.kind}/${item.namespace ? `${item.namespace}/` : ''}${item.name}`;

class Accesses {
  readonly byWorkload = new Map<Item, Access>();

  add(target: TargetPort, principals: readonly string[], source: string): void {
    if (target.capture.state !== 'captured' || target.containerPort === undefined || !target.mtls) return;
    if (istioPlainPorts.includes(target.containerPort)) return;
    const access = this.byWorkload.get(target.pods.item) ?? {
      pods: target.pods,
      principals: new Set<string>(),
      mtlsPorts: new Set<number>(),
      plainPorts: new Set<number>(),
      tcpPorts: new Set<number>(),
      sources: new Set<string>(),
    };
    // A Service port declared tcp-* / tls-* (or any non-HTTP protocol) is read as TCP by Istio, with or without
    // mTLS: HTTP conditions never match there.
    const opaque = 'declaredOpaque' in target && target.declaredOpaque === true;
    if (target.mtls.mode === 'STRICT') {
      if (principals.length === 0) return;
      access.mtlsPorts.add(target.containerPort);
      for (const p of principals) access.principals.add(p);
      if (opaque) access.tcpPorts.add(target.containerPort);
    } else {
      access.plainPorts.add(target.containerPort);
      if (target.appTls || opaque) access.tcpPorts.add(target.containerPort);
    }
    access.sources.add(source);
    this.byWorkload.set(target.pods.item, access);
  }

  /** A caller without principal on a workload that has an access already: its port, by port only. */
  addPlain(target: TargetPort, source: string): void {
    const access = this.byWorkload.get(target.pods.item);
    if (!access || target.capture.state !== 'captured' || target.containerPort === undefined) return;
    if (target.mtls?.mode === 'STRICT') return;
    access.plainPorts.add(target.containerPort);
    // The API server calls webhooks and APIServices over TLS of their own: no HTTP condition can match there.
    access.tcpPorts.add(target.containerPort);
    access.sources.add(source);
  }
}

/** Monitor targets, through the scrape-path model, and `prometheus.io/port` annotations for named collectors. */
function collect(items: readonly Item[], model: ScrapeModel, scrapers: readonly ScraperIdentity[]): Accesses {
  const accesses = new Accesses();
  const byItem = new Map(scrapers.map((s) => [s.item, s]));
  const collectors = scrapers.filter((s) => !s.operatorManaged).map((s) => s.principal);
  for (const row of scrapeReport(model, items)) {
    const target = row.target;
    if (!target || !('pods' in target)) continue;
    const list = asObject(row.monitor.data.spec)?.[
      row.monitor.kind === 'PodMonitor' ? 'podMetricsEndpoints' : 'endpoints'
    ];
    const endpoint =
      Array.isArray(list) && row.endpointIndex !== undefined ? asObject(list[row.endpointIndex]) : undefined;
    if (endpoint && istioPortOf(endpoint, target.pods.containerPort)) continue;
    // The add-on's own CRD group is loaded by its collector, not by prometheus-operator servers.
    const principals =
      row.monitor.group === 'azmonitoring.coreos.com'
        ? collectors
        : row.loaders.flatMap((l) => {
            const s = byItem.get(l.scraper.item);
            return s ? [s.principal] : [];
          });
    // Only scrapes by the run's scrapers: a monitor none of them loads gets no rule, not even by port.
    if (principals.length === 0) continue;
    accesses.add(target.pods, principals, refOf(row.monitor));
  }
  if (collectors.length > 0)
    for (const namespace of model.inventory.podNamespaces())
      for (const pods of model.inventory.podSourcesIn(namespace)) {
        if (pods.annotations['prometheus.io/scrape'] !== 'true') continue;
        // On an injected pod Istio's metrics merging (on by default) rewrites prometheus.io/port to the agent's
        // 15020 (istio pkg/kube/inject/webhook.go applyPrometheusMerge), which policies do not cover: the
        // collector never scrapes the app's port, and an ALLOW there would only deny the app's own clients.
        const merged = pods.annotations['prometheus.istio.io/merge-metrics'] !== 'false';
        if (merged && podMembership(model.inventory, pods).state === 'mesh') continue;
        const port = pods.annotations['prometheus.io/port'];
        if (!port || !/^\d+$/.test(port)) continue;
        accesses.add(
          model.targetPort(pods, Number(port), []),
          collectors,
          `${refOf(pods.item)} prometheus.io/port`,
        );
      }
  // The kube-apiserver's calls carry no principal: on a workload that gets an ALLOW policy, the port a webhook or
  // APIService calls is allowed by port, or that policy would deny the API server (with failurePolicy: Fail,
  // every admission it handles). Workloads without an ALLOW policy are left without one.
  for (const call of identityLessCalls(model, items))
    for (const target of call.targets) {
      if (!accesses.byWorkload.has(target.pods.item)) continue;
      accesses.addPlain(target, `${refOf(call.caller)} (the kube-apiserver, no mesh identity)`);
    }
  return accesses;
}

const ports = (set: Iterable<number>): string[] => [...set].sort((a, b) => a - b).map(String);

interface Group {
  namespace: string;
  name: string;
  selector: Record<string, string>;
  accesses: Access[];
  /** Pods of other workloads the selector picks too (no selector picks the target's alone). */
  alsoSelects: PodSource[];
}

const sameRules = (a: Access, b: Access): boolean =>
  [a.principals, a.mtlsPorts, a.plainPorts, a.tcpPorts].every(
    (set, i) =>
      JSON.stringify([...set].sort()) ===
      JSON.stringify([...([b.principals, b.mtlsPorts, b.plainPorts, b.tcpPorts][i] as Set<unknown>)].sort()),
  );

/** One group per namespace when a shared selector picks exactly its targets and they need the same rules. */
function groups(model: ScrapeModel, accesses: readonly Access[]): Group[] {
  const byNamespace = new Map<string, Access[]>();
  for (const a of accesses)
    byNamespace.set(a.pods.namespace, [...(byNamespace.get(a.pods.namespace) ?? []), a]);
  const out: Group[] = [];
  for (const [namespace, list] of [...byNamespace].sort(([a], [b]) => a.localeCompare(b))) {
    list.sort((a, b) => a.pods.item.name.localeCompare(b.pods.item.name));
    const exclusive = list.map((a) => exclusiveSelector(model.inventory, a.pods));
    const selectors = exclusive.map((e) => e.selector);
    const shared = Object.fromEntries(
      Object.entries(selectors[0] ?? {}).filter(([k, v]) => selectors.every((s) => s[k] === v)),
    );
    const picked = model.inventory
      .podSourcesIn(namespace)
      .filter((p) => matchesSelector({ matchLabels: shared }, p.labels));
    const exact =
      Object.keys(shared).length > 0 &&
      picked.length === list.length &&
      picked.every((p) => list.some((a) => a.pods.item === p.item));
    if (list.length === 1 || (exact && list.every((a) => sameRules(a, list[0] as Access)))) {
      out.push({
        namespace,
        name: 'allow-scrapers',
        selector: list.length === 1 ? (selectors[0] as Record<string, string>) : shared,
        accesses: list,
        alsoSelects: list.length === 1 ? (exclusive[0]?.alsoSelects ?? []) : [],
      });
      continue;
    }
    // Two kinds of workload may share a name (a Deployment and a StatefulSet web): the later ones say their kind,
    // as the workload PeerAuthentications do, so no policy replaces another.
    const named = new Set<string>();
    const nameOf = (item: Item): string => {
      const plain = `allow-scrapers-${item.name}`;
      const name = named.has(plain) ? `allow-scrapers-${item.kind.toLowerCase()}-${item.name}` : plain;
      named.add(name);
      return name;
    };
    for (const [i, access] of list.entries())
      out.push({
        namespace,
        name: nameOf(access.pods.item),
        selector: selectors[i] as Record<string, string>,
        accesses: [access],
        alsoSelects: exclusive[i]?.alsoSelects ?? [],
      });
  }
  return out;
}

function rulesOf(access: Access, config: GenerateMeshPoliciesConfig): Json[] {
  const http = {
    ...(config.authorization.paths ? { paths: config.authorization.paths } : {}),
    ...(config.authorization.methods ? { methods: config.authorization.methods } : {}),
  };
  const rules: Json[] = [];
  const from = [{ source: { principals: [...access.principals].sort() } }];
  const mtlsHttp = [...access.mtlsPorts].filter((p) => !access.tcpPorts.has(p));
  const mtlsTcp = [...access.mtlsPorts].filter((p) => access.tcpPorts.has(p));
  if (mtlsHttp.length > 0) rules.push({ from, to: [{ operation: { ports: ports(mtlsHttp), ...http } }] });
  if (mtlsTcp.length > 0) rules.push({ from, to: [{ operation: { ports: ports(mtlsTcp) } }] });
  const plainHttp = [...access.plainPorts].filter((p) => !access.tcpPorts.has(p));
  if (plainHttp.length > 0) rules.push({ to: [{ operation: { ports: ports(plainHttp), ...http } }] });
  const plainTcp = [...access.plainPorts].filter((p) => access.tcpPorts.has(p));
  if (plainTcp.length > 0) rules.push({ to: [{ operation: { ports: ports(plainTcp) } }] });
  return rules;
}

/** Whether the list shows an ALLOW policy other than this function's that applies to these pods. */
function otherAllow(items: readonly Item[], pods: PodSource, rootNamespace: string): boolean {
  return items.some((i) => {
    if (
      i.kind !== 'AuthorizationPolicy' ||
      i.group !== 'security.istio.io' ||
      generatedBy(i) === functionName
    )
      return false;
    if (i.namespace !== pods.namespace && i.namespace !== rootNamespace) return false;
    const spec = asObject(i.data.spec) ?? {};
    if ((spec.action ?? 'ALLOW') !== 'ALLOW') return false;
    const labels = asObject(asObject(spec.selector)?.matchLabels);
    return !labels || Object.entries(labels).every(([k, v]) => pods.labels[k] === v);
  });
}

/**
 * Alertmanager replicas gossip on 9094 (TCP and UDP) with each other (domain.md section 0, step 10): where the
 * sidecar captures that port, the scraper's ALLOW policy denies the gossip, which does not survive the sidecar
 * anyway; the fix is to take 9094 out of capture.
 */
function gossipWarnings(model: ScrapeModel, accesses: readonly Access[], policy: Item): Result[] {
  return accesses.flatMap((a) => {
    if (!isAlertmanager(a.pods.item)) return [];
    const replicas = asObject(a.pods.item.data.spec)?.replicas;
    if (typeof replicas !== 'number' || replicas < 2) return [];
    if (model.targetPort(a.pods, 9094, []).capture.state !== 'captured') return [];
    return [
      warning(
        `${a.pods.item.describe()} runs ${replicas} replicas whose cluster gossip on port 9094 goes through their sidecars: the generated ALLOW policy has no rule for it, so it is denied, and it does not survive the sidecar anyway; exclude 9094 from inbound and outbound capture (set-sidecar-options preset alertmanager-cluster)`,
        { ref: policy.ref, path: 'spec.rules' },
      ),
    ];
  });
}

/** The AuthorizationPolicies the run wants, and the results about them. */
export function authorizationPolicies(
  items: readonly Item[],
  config: GenerateMeshPoliciesConfig,
  model: ScrapeModel,
  scrapers: readonly ScraperIdentity[],
): { wanted: Wanted[]; results: Result[] } {
  const results: Result[] = [];
  const wanted: Wanted[] = [];
  if (!config.authorization.enabled) return { wanted, results };
  results.push(
    warning(
      "authorization: a workload's first ALLOW AuthorizationPolicy denies every request no ALLOW rule matches, and an offline tool cannot see the ALLOW policies already in the cluster: check each target's other callers (its clients, other scrapers) are allowed too, by companionRules or a policy of their own",
      { path: 'authorization.enabled' },
    ),
  );
  if (scrapers.length === 0) {
    results.push(
      warning(
        'authorization: the list has no scraper (Prometheus, PrometheusAgent, or config scrapers), so no policy is generated',
        { path: 'scrapers' },
      ),
    );
    return { wanted, results };
  }
  if (config.authorization.paths || config.authorization.methods)
    results.push(
      warning(
        'authorization.paths / methods are HTTP-only: Istio ignores an ALLOW rule using them on TCP traffic, so a scrape that reaches the port as TCP (an app serving TLS itself, a port declared tcp-*) is denied; they are left off the rules for ports whose app serves TLS itself',
        { path: config.authorization.paths ? 'authorization.paths' : 'authorization.methods' },
      ),
    );
  const accesses = [...collect(items, model, scrapers).byWorkload.values()];
  for (const group of groups(model, accesses)) {
    const where = group.accesses.map((a) => a.pods.item.describe()).join(', ');
    if (group.namespace === config.rootNamespace || Object.keys(group.selector).length === 0) {
      const first = group.accesses[0]?.pods.item;
      results.push(
        error(
          group.namespace === config.rootNamespace
            ? `refused: no ALLOW AuthorizationPolicy for ${where} in Istio's root namespace ${config.rootNamespace}: there a policy without selector applies to every workload of the mesh, and one with a selector to the matching workloads of every namespace; write it by hand if you mean it`
            : `refused: no ALLOW AuthorizationPolicy for ${where}: its pods carry no labels to select them by, and an ALLOW without selector would make every workload of namespace ${group.namespace} deny by default`,
          first ? { ref: first.ref, file: first.file } : {},
        ),
      );
      continue;
    }
    if (group.alsoSelects.length > 0) {
      const first = group.accesses[0]?.pods.item;
      results.push(
        error(
          `refused: no ALLOW AuthorizationPolicy for ${where}: no selector picks its pods alone (${Object.entries(
            group.selector,
          )
            .map(([k, v]) => `${k}=${v}`)
            .join(
              ',',
            )} also picks ${describePods(group.alsoSelects)}), which the policy would turn deny-by-default too; give its pod template a label of its own`,
          first ? { ref: first.ref, file: first.file, path: 'spec.template.metadata.labels' } : {},
        ),
      );
      continue;
    }
    // A group of several holds workloads needing the same rules (see groups).
    const rules = rulesOf(group.accesses[0] as Access, config);
    if (rules.length === 0) continue;
    const madeFor = group.accesses.map((a) => refOf(a.pods.item));
    const item = Item.create({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: metadataFor('AuthorizationPolicy', group.name, group.namespace, madeFor, config.outputDir),
      spec: {
        selector: { matchLabels: group.selector },
        action: 'ALLOW',
        rules: [...rules, ...(config.authorization.companionRules as Json[])],
      },
    });
    const access = group.accesses[0] as Access;
    const sources = [...new Set(group.accesses.flatMap((a) => [...a.sources]))].sort();
    wanted.push({
      item,
      path: 'spec.rules',
      reason: `ALLOW for ${where}: ${access.mtlsPorts.size > 0 ? `${[...access.principals].sort().join(', ')} on port ${ports(access.mtlsPorts).join(', ')} (Istio mTLS)` : ''}${access.mtlsPorts.size > 0 && access.plainPorts.size > 0 ? '; ' : ''}${access.plainPorts.size > 0 ? `any caller on port ${ports(access.plainPorts).join(', ')} (a port-level PERMISSIVE port: plain text carries no principal)` : ''}; reached by ${sources.join(', ')}`,
    });
    results.push(...gossipWarnings(model, group.accesses, item));
    const lonely = group.accesses.filter((a) => !otherAllow(items, a.pods, config.rootNamespace));
    if (lonely.length > 0)
      results.push(
        warning(
          `the list shows no other ALLOW AuthorizationPolicy for ${lonely.map((a) => a.pods.item.describe()).join(', ')}: the generated one turns ${lonely.length === 1 ? 'it' : 'them'} deny-by-default, so every other caller on any port is denied unless authorization.companionRules (or a policy in the cluster) allows it`,
          { ref: item.ref, path: 'spec.rules' },
        ),
      );
  }
  if (accesses.length === 0)
    results.push(
      info('authorization: no scrape of the list reaches a captured port, so no policy is generated'),
    );
  return { wanted, results };
}
