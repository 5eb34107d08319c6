/**
 * AuthorizationPolicy rules (domain.md section 4, section 0 step 9): a selector-less ALLOW in the root namespace is
 * mesh-wide; HTTP-only fields never match TCP traffic, and a scrape with the cert-mount recipe reaches a port not
 * declared HTTP as TCP (Prometheus sends no Istio ALPN, istio/istio#38720); principals must name identities that
 * exist; plain text under a PERMISSIVE exception carries no principal. IST0127 as istioctl's authz analyzer
 * (authz/authorizationpolicies.go) decides it, over the workloads of the list.
 */

import { matchesEverything, type Policy, policyOf } from '../../src/domain/authorization.js';
import { carriesCertRecipe } from '../../src/domain/cert-recipe-guard.js';
import { declaresHttp, declaresOpaque } from '../../src/domain/endpoint-targets.js';
import { podTemplatePaths } from '../../src/domain/kinds.js';
import { neverInjectedNamespaces } from '../../src/domain/mesh.js';
import type { PodSource } from '../../src/domain/pod-sources.js';
import type { ScrapeModel } from '../../src/domain/scrape-path.js';
import type { ReportRow } from '../../src/domain/scrape-report.js';
import { asObject, type Item } from '../../src/krm/index.js';
import { type Finding, finding } from './finding.js';
import { type Obj, objects, strings } from './json-values.js';

const httpOperationFields = ['paths', 'notPaths', 'methods', 'notMethods', 'hosts', 'notHosts'];

const hasTargetRef = (item: Item): boolean => {
  const spec = asObject(item.data.spec);
  return spec?.targetRef !== undefined || spec?.targetRefs !== undefined;
};

/**
 * The service account pods run as. Read by path (`Item.read` reads only those lines of an unparsed item), so the
 * principal checks do not parse every workload of a large list.
 */
export function serviceAccountOf(pods: PodSource): string {
  const template = podTemplatePaths[pods.item.kind];
  const podSpec = template ? [...template, 'spec'] : ['spec'];
  const sa =
    pods.item.read([...podSpec, 'serviceAccountName']) ?? pods.item.read([...podSpec, 'serviceAccount']);
  return typeof sa === 'string' && sa !== '' ? sa : 'default';
}

/** The source fields Istio reads only from HTTP (generator.go requestPrincipalGenerator: "is HTTP only" for TCP). */
const httpSourceFields = ['requestPrincipals', 'notRequestPrincipals'];

/** The rules' HTTP-only fields, as field paths. */
function httpFields(rule: Obj, ruleIndex: number): string[] {
  const out: string[] = [];
  for (const [fromIndex, from] of objects(rule.from).entries()) {
    const source = asObject(from.source);
    for (const key of httpSourceFields)
      if (source?.[key] !== undefined) out.push(`spec.rules[${ruleIndex}].from[${fromIndex}].source.${key}`);
  }
  for (const [toIndex, to] of objects(rule.to).entries()) {
    const op = asObject(to.operation);
    for (const key of httpOperationFields)
      if (op?.[key] !== undefined) out.push(`spec.rules[${ruleIndex}].to[${toIndex}].operation.${key}`);
  }
  for (const [whenIndex, when] of objects(rule.when).entries())
    if (typeof when.key === 'string' && when.key.startsWith('request.'))
      out.push(`spec.rules[${ruleIndex}].when[${whenIndex}]: ${when.key}`);
  return out;
}

const rulePorts = (rule: Obj): number[] | undefined => {
  const ops = objects(rule.to).map((t) => asObject(t.operation));
  if (ops.length === 0 || ops.some((o) => !o || o.ports === undefined)) return undefined;
  return ops.flatMap((o) => strings(o?.ports).map(Number)).filter((n) => Number.isInteger(n));
};

/** Every AuthorizationPolicy finding of the list. */
export function authorizationFindings(
  model: ScrapeModel,
  items: readonly Item[],
  rows: readonly ReportRow[],
): Finding[] {
  const root = model.options.rootNamespace;
  const policies = items
    .filter((i) => i.kind === 'AuthorizationPolicy' && i.group === 'security.istio.io')
    .map(policyOf)
    // A dry-run policy is never enforced (istio builder.go isDryRun): no finding about what it allows or denies.
    .filter((p) => !p.dryRun);
  const inventory = model.inventory;
  const allPods = inventory.podNamespaces().flatMap((ns) => inventory.podSourcesIn(ns));
  const applying = (p: Policy): PodSource[] =>
    allPods.filter(
      (pods) =>
        (p.namespace === root || pods.namespace === p.namespace) &&
        (!p.selector || Object.entries(p.selector).every(([k, v]) => pods.labels[k] === v)),
    );
  // Ports scraped over Istio's mTLS by the cert-mount recipe and not declared HTTP arrive as TCP.
  const tcpScrapes = new Map<PodSource, Set<number>>();
  for (const row of rows) {
    const t = row.target;
    if (!t || !('pods' in t) || t.declaredHttp || t.pods.containerPort === undefined) continue;
    if (row.requirement?.send !== 'istio-mtls') continue;
    const set = tcpScrapes.get(t.pods.pods) ?? new Set<number>();
    set.add(t.pods.containerPort);
    tcpScrapes.set(t.pods.pods, set);
  }
  // Service accounts of pods that scrape with Istio's cert files (the recipe): their requests arrive as TCP too.
  const recipePods = allPods.filter((p) => carriesCertRecipe(p.annotations));
  const recipeAccounts = new Set(recipePods.map(serviceAccountOf));
  const recipeNamespaces = new Set(recipePods.map((p) => p.namespace));
  const podNamespaceSet = new Set(inventory.podNamespaces());
  // A rule from the recipe's callers: by service account (whatever namespace, as after a move), or by namespace:
  // one they run in, or one no workload of the list runs in while they are in the list (the namespace they left).
  const fromRecipe = (rule: Obj): boolean =>
    objects(rule.from).some((f) => {
      const source = asObject(f.source);
      return (
        strings(source?.principals).some((pr) => recipeAccounts.has(pr.replace(/^.*\/sa\//, ''))) ||
        strings(source?.namespaces).some(
          (ns) => recipeNamespaces.has(ns) || (recipePods.length > 0 && !podNamespaceSet.has(ns)),
        )
      );
    });
  const servicePortOf = (pods: PodSource, port: number, test: (sp: Obj) => boolean): boolean =>
    inventory.servicesIn(pods.namespace).some((service) => {
      if (!inventory.podsOfService(service).includes(pods)) return false;
      const list = service.read(['spec', 'ports']);
      return objects(Array.isArray(list) ? list : undefined).some((sp) => {
        const target = sp.targetPort ?? sp.port;
        const container =
          typeof target === 'string' && !/^\d+$/.test(target)
            ? pods.ports.byName.get(target)
            : Number(target);
        return container === port && test(sp);
      });
    });
  // A port a Service declares TCP (tcp-*, tls-*, https-*, a non-HTTP appProtocol) carries no HTTP to match.
  const declaredOpaque = (pods: PodSource, port: number): boolean =>
    servicePortOf(pods, port, declaresOpaque);
  const declaredHttp = (pods: PodSource, port: number): boolean => servicePortOf(pods, port, declaresHttp);
  const identities = new Set(allPods.map((p) => `${p.namespace}/${serviceAccountOf(p)}`));
  const accounts = new Set(allPods.map(serviceAccountOf));
  const podNamespaces = new Set(inventory.podNamespaces());
  const listedNamespaces = new Set(
    items.filter((i) => i.kind === 'Namespace' && i.group === '').map((i) => i.name),
  );
  const findings: Finding[] = [];

  const needsIdentity = (rule: Obj): boolean =>
    objects(rule.from).length > 0 &&
    objects(rule.from).every((f) => {
      const s = asObject(f.source);
      return s?.principals !== undefined || s?.namespaces !== undefined;
    });
  // Another ALLOW rule reaching the workload's port without an identity admits the plain-text callers.
  const plainTextAllowed = (pods: PodSource, port: number): boolean =>
    policies.some(
      (other) =>
        other.action === 'ALLOW' &&
        applying(other).includes(pods) &&
        other.rules.some((r) => {
          const rPorts = rulePorts(r);
          return !needsIdentity(r) && (rPorts === undefined || rPorts.includes(port));
        }),
    );
  const rootAllowAll = policies.some(
    (p) =>
      p.action === 'ALLOW' &&
      !p.selector &&
      p.namespace === root &&
      !hasTargetRef(p.item) &&
      p.rules.some(matchesEverything),
  );
  for (const policy of policies) {
    const { item } = policy;
    const pods = applying(policy);
    if (
      policy.action === 'ALLOW' &&
      !policy.selector &&
      policy.namespace === root &&
      !hasTargetRef(item) &&
      // An empty rule allows every request: such a policy, or any root ALLOW beside one, denies nothing.
      !rootAllowAll
    ) {
      const targets = [...podNamespaces].filter(
        (ns) => ns !== root && ns !== '' && !neverInjectedNamespaces.includes(ns),
      );
      const uncovered = targets.filter(
        (ns) => !policies.some((p) => p.namespace === ns && p.action === 'ALLOW'),
      );
      const covered = targets.length > 0 && uncovered.length === 0;
      findings.push(
        finding(
          'MS0016',
          item,
          'spec',
          `an ALLOW policy without a selector in the root namespace ${root} applies to every workload of the mesh: a request no ALLOW rule matches is denied mesh-wide${
            covered
              ? ` (every target namespace in the list, ${targets.join(', ')}, already has an ALLOW policy, so it only adds to theirs)`
              : uncovered.length > 0
                ? `, so ${uncovered.join(', ')} (no ALLOW policy of their own) turn deny-by-default`
                : ''
          }`,
          covered ? { severity: 'warning' } : {},
        ),
      );
    }
    // As istioctl's authz analyzer decides it, over the workloads of the list (none at all: nothing to say).
    const selectorText = Object.entries(policy.selector ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const meshWide = policy.namespace === root;
    if (allPods.length > 0 && !hasTargetRef(item) && pods.length === 0 && (policy.selector || !meshWide))
      findings.push(
        finding(
          'IST0127',
          item,
          policy.selector ? 'spec.selector.matchLabels' : 'spec',
          `No matching workloads for this resource with the following labels: ${selectorText || '(none, namespace-wide)'} (no workload ${
            meshWide ? 'of the list' : `of the list in namespace ${policy.namespace}`
          } ${policy.selector ? 'has them' : 'runs there'})`,
        ),
      );
    for (const [ruleIndex, rule] of policy.rules.entries()) {
      const fields = httpFields(rule, ruleIndex);
      const ports = rulePorts(rule);
      if (fields.length > 0) {
        const recipe = fromRecipe(rule);
        const tcp = pods.flatMap((p) => {
          const scraped = [...(tcpScrapes.get(p) ?? [])];
          const byRecipe =
            recipe && ports
              ? ports.filter((port) => p.ports.numbers.has(port) && !declaredHttp(p, port))
              : [];
          const byDeclaration = ports ? ports.filter((port) => declaredOpaque(p, port)) : [];
          return [...new Set([...scraped, ...byRecipe, ...byDeclaration])]
            .filter((port) => !ports || ports.includes(port))
            .map((port) => `${p.item.kind}/${p.namespace}/${p.item.name}:${port}`);
        });
        if (tcp.length > 0)
          findings.push(
            finding(
              'MS0017',
              item,
              fields[0]?.replace(/: .*$/, ''),
              `rule ${ruleIndex} uses HTTP-only fields (${fields.join(', ')}), but it matches traffic to ${[...new Set(tcp)].join(', ')}, which arrives as TCP (a port its Service declares TCP, or a scrape with Istio's mTLS from Prometheus' cert files, no Istio ALPN, on a port not declared HTTP): Istio drops HTTP-only fields on TCP, so the rule never matches it${policy.action === 'ALLOW' ? ', and that traffic is denied' : ''}`,
            ),
          );
      }
      for (const [fromIndex, from] of objects(rule.from).entries()) {
        const source = asObject(from.source);
        // A namespace the list holds (its Namespace resource) where no workload runs: nobody calls from there.
        for (const [nIndex, ns] of strings(source?.namespaces).entries()) {
          if (podNamespaces.has(ns) || !listedNamespaces.has(ns)) continue;
          findings.push(
            finding(
              'MS0018',
              item,
              `spec.rules[${ruleIndex}].from[${fromIndex}].source.namespaces[${nIndex}]`,
              `namespace ${ns} is in the list but no workload of the list runs there: this source matches nobody${
                recipeNamespaces.size > 0
                  ? ` (the cert-file scrapers run in ${[...recipeNamespaces].join(', ')}: moved?)`
                  : ''
              }`,
              { fix: 'name the namespace its callers run in now, or remove it' },
            ),
          );
        }
        for (const [pIndex, principal] of strings(source?.principals).entries()) {
          const m = /^(?:spiffe:\/\/)?[^/]+\/ns\/([^/*]+)\/sa\/([^/*]+)$/.exec(principal);
          if (!m) continue;
          const [, ns, sa] = m as unknown as [string, string, string];
          if (identities.has(`${ns}/${sa}`)) continue;
          if (!podNamespaces.has(ns) && !accounts.has(sa)) continue;
          const elsewhere = allPods.filter((p) => serviceAccountOf(p) === sa).map((p) => p.namespace);
          findings.push(
            finding(
              'MS0018',
              item,
              `spec.rules[${ruleIndex}].from[${fromIndex}].source.principals[${pIndex}]`,
              `principal ${principal} names service account ${sa} in namespace ${ns}, which no workload in the list runs as${
                elsewhere.length > 0 ? ` (${sa} runs in ${[...new Set(elsewhere)].join(', ')}: moved?)` : ''
              }`,
              elsewhere.length > 0
                ? { fix: `name ${principal.replace(`/ns/${ns}/`, `/ns/${elsewhere[0]}/`)}` }
                : {},
            ),
          );
        }
      }
      if (policy.action !== 'ALLOW') continue;
      if (!needsIdentity(rule)) continue;
      // A rule without `to` ports covers every port of the workload, its PERMISSIVE exceptions included.
      for (const p of pods)
        for (const port of ports ?? [...p.ports.numbers].sort((a, b) => a - b)) {
          const mode = model.policies.modeAt(p.namespace, p.labels, port);
          if (mode.mode !== 'PERMISSIVE' || !mode.source.endsWith(` port ${port}`)) continue;
          if (plainTextAllowed(p, port)) continue;
          findings.push(
            finding(
              'MS0019',
              item,
              `spec.rules[${ruleIndex}]`,
              `rule ${ruleIndex} allows port ${port} of ${p.item.kind}/${p.namespace}/${p.item.name} only from principals or namespaces, but that port is PERMISSIVE (${mode.source}) for callers without a mesh identity: their plain-text requests carry none and are denied`,
            ),
          );
        }
    }
  }
  return findings;
}
