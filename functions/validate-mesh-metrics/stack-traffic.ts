/**
 * The monitoring stack's own traffic under STRICT (domain.md section 0 steps 8 and 10): the kube-apiserver calling
 * the operator's admission webhook and APIService backends without a mesh identity, Alertmanager cluster gossip,
 * Prometheus' calls to Alertmanager when its outbound bypasses its sidecar, the Thanos sidecar's gRPC, ScrapeConfig
 * and Probe targets in the mesh; and ambient namespaces, where the sidecar recipe cannot apply.
 */
import { identityLessCalls } from '../../src/domain/callers.js';
import { isAlertmanager, isPrometheusServer } from '../../src/domain/kinds.js';
import { namespaceMembership, podMembership } from '../../src/domain/mesh.js';
import { podSourceOf } from '../../src/domain/pod-sources.js';
import { type ScrapeModel, strictCaptured } from '../../src/domain/scrape-path.js';
import type { ReportRow } from '../../src/domain/scrape-report.js';
import { captureOf } from '../../src/domain/sidecar-capture.js';
import { ownTlsFixText } from '../../src/domain/verdict.js';
import { asObject, type Item } from '../../src/krm/index.js';
import { type Finding, finding } from './finding.js';
import { objects, strings } from './json-values.js';

const listed = (value: string | undefined, port: number): boolean =>
  (value ?? '').split(',').some((p) => p.trim() === String(port));

/** MS0020: webhooks and APIServices whose backend port is captured under STRICT. */
function apiServerCalls(model: ScrapeModel, items: readonly Item[]): Finding[] {
  return identityLessCalls(model, items).flatMap((call) => {
    const strict = strictCaptured(call.targets);
    if (strict.length === 0) return [];
    const service = `Service ${call.service.namespace}/${call.service.name} port ${call.service.port}`;
    return [
      finding(
        'MS0020',
        call.caller,
        call.path,
        `the kube-apiserver calls ${call.caller.kind} ${call.caller.name} through ${service} without a mesh identity, and the port is STRICT per ${strict[0]?.mtls?.source}, so every call fails`,
        { fix: ownTlsFixText(strict) },
      ),
    ];
  });
}

const gossipPort = 9094;

/** MS0021: Alertmanager cluster gossip through the sidecar (more than one replica, in the mesh). */
function gossip(model: ScrapeModel, items: readonly Item[]): Finding[] {
  return items.flatMap((item) => {
    if (!isAlertmanager(item)) return [];
    const pods = podSourceOf(item);
    const replicas = asObject(item.data.spec)?.replicas;
    if (!pods || (typeof replicas === 'number' ? replicas : 1) < 2) return [];
    if (podMembership(model.inventory, pods).state !== 'mesh') return [];
    const inbound = captureOf(model.inventory, pods, gossipPort).state === 'captured';
    const outbound = !listed(pods.annotations['traffic.sidecar.istio.io/excludeOutboundPorts'], gossipPort);
    if (!inbound && !outbound) return [];
    const ways = [inbound ? 'inbound' : '', outbound ? 'outbound' : ''].filter((w) => w !== '').join(' and ');
    return [
      finding(
        'MS0021',
        item,
        'spec.podMetadata.annotations',
        `Alertmanager ${item.namespace}/${item.name} runs ${replicas} replicas in the mesh and its cluster gossip (port ${gossipPort}, TCP and UDP) goes through the sidecar ${ways}: the peers do not form a cluster (prometheus-community/helm-charts#190)`,
      ),
    ];
  });
}

/** MS0025: a Prometheus whose outbound bypasses its sidecar calling an Alertmanager in plain text under STRICT. */
function alerting(model: ScrapeModel): Finding[] {
  const findings: Finding[] = [];
  for (const scraper of model.scrapers) {
    const pods = podSourceOf(scraper.item);
    if (!pods || pods.annotations['traffic.sidecar.istio.io/includeOutboundIPRanges'] !== '') continue;
    const spec = asObject(scraper.item.data.spec);
    for (const [index, am] of objects(asObject(spec?.alerting)?.alertmanagers).entries()) {
      if (am.scheme === 'https' || typeof am.name !== 'string') continue;
      const ns = typeof am.namespace === 'string' ? am.namespace : scraper.namespace;
      const service = model.inventory.service(ns, am.name);
      if (!service) continue;
      const strict = strictCaptured(
        model.inventory.podsOfService(service).map((p) => {
          const port = typeof am.port === 'number' ? am.port : p.ports.byName.get(String(am.port ?? 'web'));
          return model.targetPort(p, port, []);
        }),
      );
      if (strict.length === 0) continue;
      findings.push(
        finding(
          'MS0025',
          scraper.item,
          `spec.alerting.alertmanagers[${index}]`,
          `${scraper.label} sends alerts to Service ${ns}/${am.name} in plain http, but its outbound traffic bypasses its sidecar (includeOutboundIPRanges: "") and the Alertmanager port is STRICT per ${strict[0]?.mtls?.source}: the alerts are refused`,
        ),
      );
    }
  }
  return findings;
}

/** MS0022: the Thanos sidecar's gRPC port captured under STRICT. */
function thanos(model: ScrapeModel): Finding[] {
  return model.scrapers.flatMap((scraper) => {
    if (scraper.item.kind !== 'Prometheus' || asObject(scraper.item.data.spec)?.thanos === undefined)
      return [];
    const pods = podSourceOf(scraper.item);
    if (!pods) return [];
    const target = model.targetPort(pods, 10901, []);
    if (strictCaptured([target]).length === 0) return [];
    return [
      finding(
        'MS0022',
        scraper.item,
        'spec.thanos',
        `the Thanos sidecar of ${scraper.label} serves gRPC on 10901, captured under STRICT per ${target.mtls?.source}: a Thanos Query (or Store gateway) without a mesh identity is refused`,
      ),
    ];
  });
}

/** The namespace a cluster-local host names (`svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`), if any. */
function hostNamespace(target: string): string | undefined {
  const host = target.replace(/^[a-z]+:\/\//, '').replace(/[/:].*$/, '');
  const m = /^[a-z0-9-]+\.([a-z0-9-]+)(?:\.svc(?:\.[a-z0-9.-]+)?)?$/.exec(host);
  return m?.[1];
}

/** MS0023: ScrapeConfig static targets and Probe probers in a STRICT mesh namespace. */
function unfollowedTargets(model: ScrapeModel, items: readonly Item[]): Finding[] {
  const findings: Finding[] = [];
  for (const item of items) {
    if (item.group !== 'monitoring.coreos.com' && item.group !== 'azmonitoring.coreos.com') continue;
    if (item.kind !== 'ScrapeConfig' && item.kind !== 'Probe') continue;
    const spec = asObject(item.data.spec) ?? {};
    const targets: { path: string; target: string }[] = [];
    if (item.kind === 'ScrapeConfig') {
      if (typeof spec.scrapeClass === 'string' && String(spec.scheme).toUpperCase() === 'HTTPS') continue;
      for (const [i, sc] of objects(spec.staticConfigs).entries())
        for (const [j, t] of strings(sc.targets).entries())
          targets.push({ path: `spec.staticConfigs[${i}].targets[${j}]`, target: t });
    } else if (item.kind === 'Probe') {
      const url = asObject(spec.prober)?.url;
      if (typeof url === 'string') targets.push({ path: 'spec.prober.url', target: url });
    } else continue;
    for (const { path, target } of targets) {
      const ns = hostNamespace(target);
      if (!ns || namespaceMembership(model.inventory, ns).state !== 'mesh') continue;
      const requirement = model.requirementInNamespaces([ns]);
      if (requirement.send !== 'istio-mtls') continue;
      findings.push(
        finding(
          'MS0023',
          item,
          path,
          `${item.kind} target ${target} is in namespace ${ns}, which is in the mesh and STRICT (${requirement.reason}); a ${item.kind} cannot name Istio's cert files, so the scrape is refused`,
        ),
      );
    }
  }
  return findings;
}

const sidecarAnnotation = /^(sidecar\.istio\.io|traffic\.sidecar\.istio\.io|proxy\.istio\.io)\//;

/** MS0024: the sidecar recipe where a namespace runs ambient mode. */
function ambient(model: ScrapeModel, items: readonly Item[], rows: readonly ReportRow[]): Finding[] {
  const findings: Finding[] = [];
  for (const item of items) {
    const pods = isPrometheusServer(item) || item.kind !== 'Namespace' ? podSourceOf(item) : undefined;
    if (!pods || namespaceMembership(model.inventory, pods.namespace).state !== 'ambient') continue;
    const annotations = Object.keys(pods.annotations).filter((k) => sidecarAnnotation.test(k));
    const recipe = isPrometheusServer(item) && model.scrapers.some((s) => s.item === item && s.mountsCerts);
    if (annotations.length === 0 && !recipe) continue;
    findings.push(
      finding(
        'MS0024',
        item,
        undefined,
        `${item.kind}/${pods.namespace}/${item.name} is in namespace ${pods.namespace}, which runs Istio ambient mode (no sidecar): ${recipe ? 'the cert-mount recipe gets no certificates there (no sidecar writes them)' : `its sidecar annotations (${annotations.join(', ')}) do nothing`}`,
      ),
    );
  }
  for (const row of rows) {
    if (row.requirement?.send !== 'ambient' || row.sending?.tls !== 'cert-files') continue;
    findings.push(
      finding(
        'MS0024',
        row.monitor,
        row.endpointIndex === undefined
          ? undefined
          : `spec.${row.monitor.kind === 'PodMonitor' ? 'podMetricsEndpoints' : 'endpoints'}[${row.endpointIndex}]`,
        `endpoint ${row.endpointIndex ?? ''} sends Istio's sidecar cert files to a target in ambient mode (${row.requirement.reason}): ztunnel, not a sidecar, takes the traffic there`,
      ),
    );
  }
  return findings;
}

/** Every finding about the stack's own traffic. */
export function stackTrafficFindings(
  model: ScrapeModel,
  items: readonly Item[],
  rows: readonly ReportRow[],
): Finding[] {
  return [
    ...apiServerCalls(model, items),
    ...gossip(model, items),
    ...alerting(model),
    ...thanos(model),
    ...unfollowedTargets(model, items),
    ...ambient(model, items, rows),
  ];
}
