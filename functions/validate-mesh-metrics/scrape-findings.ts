/**
 * Findings from the scrape-path model (src/domain/scrape-report.ts, the rows `explain` prints): every monitor
 * endpoint whose verdict is broken, coded by the step of the path that breaks it (domain.md section 0); a scraper
 * that loads monitors of STRICT targets without the cert mount; metrics merging on a pod served over TLS.
 */
import { podMembership } from '../../src/domain/mesh.js';
import { ingressBlockers } from '../../src/domain/network-policy.js';
import { podAnnotationsPath } from '../../src/domain/pod-annotations.js';
import { podMonitorTargets } from '../../src/domain/pod-monitor-targets.js';
import type { PodSource } from '../../src/domain/pod-sources.js';
import type { ScrapeModel } from '../../src/domain/scrape-path.js';
import type { ReportRow } from '../../src/domain/scrape-report.js';
import type { BreakCause } from '../../src/domain/verdict.js';
import { asObject, fieldPath, type Item } from '../../src/krm/index.js';
import type { Code } from './codes.js';
import { type Finding, finding } from './finding.js';

const byCause: Readonly<Record<BreakCause, { code: Code; step: string }>> = {
  'plain-into-strict': { code: 'MS0001', step: 'step 5, what the scraper must send' },
  'certs-not-mounted': { code: 'MS0003', step: "step 1, the scraper's cert mount" },
  'fs-access-denied': { code: 'MS0004', step: 'step 1, the scraper loading the monitor' },
  'own-tls-captured': { code: 'MS0005', step: "step 6, the app's own TLS" },
  'tls-to-plain-port': { code: 'MS0006', step: 'step 5, what the scraper must send' },
  'plain-to-app-tls': { code: 'MS0007', step: "step 6, the app's own TLS" },
  'self-scrape': { code: 'MS0008', step: 'step 7, the self-scrape' },
  denied: { code: 'MS0009', step: 'step 9, authorization' },
};

const endpointField: Readonly<Record<string, string>> = {
  ServiceMonitor: 'endpoints',
  PodMonitor: 'podMetricsEndpoints',
};

/** `Deployment/shop/cart:8080`, or the namespace when the list shows no pods. */
function targetText(row: ReportRow): string {
  const target = row.target;
  if (!target) return 'its targets';
  if ('pods' in target)
    return `${target.pods.pods.item.kind}/${target.pods.pods.namespace}/${target.pods.pods.item.name}:${target.pods.containerPort ?? '(undeclared port)'}`;
  return target.namespace === 'any' ? 'targets in any namespace' : `targets in namespace ${target.namespace}`;
}

/** The finding of one broken row. */
function rowFinding(row: ReportRow): Finding | undefined {
  const verdict = row.verdict;
  if (verdict.verdict !== 'broken' || !('cause' in verdict) || !verdict.cause) return undefined;
  const { step } = byCause[verdict.cause];
  const code =
    verdict.cause === 'plain-into-strict' && row.monitor.kind === 'PodMonitor'
      ? 'MS0002'
      : byCause[verdict.cause].code;
  const field = endpointField[row.monitor.kind];
  const path = field && row.endpointIndex !== undefined ? `spec.${field}[${row.endpointIndex}]` : undefined;
  const endpoint =
    row.endpointIndex === undefined
      ? ''
      : ` endpoint ${row.endpointIndex}${row.endpointPort ? ` (${row.endpointPort})` : ''}`;
  const fixes = verdict.fixes.map((f) => f.detail);
  const found = finding(
    code,
    row.monitor,
    path,
    `scrape of${endpoint} to ${targetText(row)} is broken at ${step}: ${verdict.reason}`,
    fixes.length > 0 ? { fix: fixes.join('; or ') } : {},
  );
  return { ...found, subject: targetText(row) };
}

/** Scrapers without the cert mount that load an endpoint needing Istio's mTLS (MS0010). */
function unmountedScrapers(rows: readonly ReportRow[]): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<unknown>();
  for (const row of rows) {
    if (row.requirement?.send !== 'istio-mtls') continue;
    for (const { scraper } of row.loaders) {
      if (scraper.mountsCerts || seen.has(scraper.item)) continue;
      seen.add(scraper.item);
      findings.push(
        finding(
          'MS0010',
          scraper.item,
          'spec.volumeMounts',
          `${scraper.label} loads ${row.monitor.kind}/${row.monitor.namespace}/${row.monitor.name}, whose target ${targetText(row)} needs Istio's mTLS (${row.requirement.reason}), but it mounts no istio-certs volume`,
        ),
      );
    }
  }
  return findings;
}

const truthy = (value: string | undefined): boolean => value === 'true';

/**
 * Metrics merging on a pod whose metrics are served over TLS (MS0011): the agent fetches the app's metrics only from
 * `http://localhost:<port><path>` (domain.md section 3), so merging loses them. Istio merges by default when
 * `prometheus.io/scrape` is true, unless the pod says `merge-metrics: "false"`.
 */
function mergeOnTls(model: ScrapeModel): Finding[] {
  const findings: Finding[] = [];
  for (const namespace of model.inventory.podNamespaces()) {
    for (const pods of model.inventory.podSourcesIn(namespace)) {
      const a = pods.annotations;
      if (!truthy(a['prometheus.io/scrape']) || a['prometheus.istio.io/merge-metrics'] === 'false') continue;
      if (podMembership(model.inventory, pods).state !== 'mesh') continue;
      const port = Number(a['prometheus.io/port']);
      const tls =
        a['prometheus.io/scheme'] === 'https' || (Number.isInteger(port) && pods.ports.tls.has(port));
      if (!tls) continue;
      const why =
        a['prometheus.io/scheme'] === 'https'
          ? 'prometheus.io/scheme is https'
          : `port ${port} (prometheus.io/port) is served over TLS`;
      findings.push(
        finding(
          'MS0011',
          pods.item,
          fieldPath(podAnnotationsPath(pods.item) ?? ['metadata', 'annotations']),
          `${pods.item.kind}/${namespace}/${pods.item.name} has Istio metrics merging on (${truthy(a['prometheus.istio.io/merge-metrics']) ? 'prometheus.istio.io/merge-metrics: "true"' : 'prometheus.io/scrape: "true", merging is on by default'}) but ${why}: the agent fetches only http://localhost:<port><path>, so the app's metrics are lost`,
        ),
      );
    }
  }
  return findings;
}

/**
 * A Prometheus that refuses ServiceMonitors naming files (`arbitraryFSAccessThroughSMs.deny`) and loads endpoints
 * that need Istio's mTLS, with no scrape class handing the files over (MS0004 on the Prometheus): the fix
 * set-monitor-tls would write is refused too.
 */
function fsAccessDenied(rows: readonly ReportRow[]): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<unknown>();
  for (const row of rows) {
    if (row.monitor.kind !== 'ServiceMonitor' || row.requirement?.send !== 'istio-mtls') continue;
    if (row.sending?.certsFrom?.startsWith('scrape class')) continue;
    for (const { scraper } of row.loaders) {
      const spec = asObject(scraper.item.data.spec);
      if (asObject(spec?.arbitraryFSAccessThroughSMs)?.deny !== true || seen.has(scraper.item)) continue;
      seen.add(scraper.item);
      findings.push(
        finding(
          'MS0004',
          scraper.item,
          'spec.arbitraryFSAccessThroughSMs.deny',
          `${scraper.label} sets arbitraryFSAccessThroughSMs.deny: true and loads ServiceMonitor/${row.monitor.namespace}/${row.monitor.name}, whose target ${targetText(row)} needs Istio's cert files (${row.requirement.reason}): it rejects a ServiceMonitor that names them`,
          {
            fix: 'hand the cert files over a scrape class (fix-pod-monitors writes one), or set arbitraryFSAccessThroughSMs.deny: false',
          },
        ),
      );
    }
  }
  return findings;
}

/**
 * An endpoint naming cert files that no scraper of the list loads, while the list has scrapers and none of them
 * mounts Istio's certs (MS0003, a warning: the scraper outside the list may mount them).
 */
function certsNobodyMounts(model: ScrapeModel, rows: readonly ReportRow[]): Finding[] {
  if (model.scrapers.length === 0 || model.scrapers.some((s) => s.mountsCerts)) return [];
  const seen = new Set<string>();
  return rows.flatMap((row) => {
    if (row.loaders.length > 0 || row.sending?.certsFrom !== 'endpoint' || row.endpointIndex === undefined)
      return [];
    const key = `${row.monitor.namespace}/${row.monitor.name}/${row.endpointIndex}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [
      finding(
        'MS0003',
        row.monitor,
        `spec.endpoints[${row.endpointIndex}].tlsConfig`,
        `endpoint ${row.endpointIndex} names the cert file ${row.sending.certFile}, but no Prometheus or PrometheusAgent in the list mounts Istio's certs (none of ${model.scrapers.map((s) => s.label).join(', ')} mounts an istio-certs volume)`,
        { severity: 'warning' },
      ),
    ];
  });
}

/**
 * NetworkPolicies that isolate a scrape's target pods and admit nothing on its port (MS0028, domain.md section 0
 * step 9): the scrape is dropped before any sidecar sees it, whatever it sends. Only the ports are compared (who may
 * connect is not judged), so a finding is sure: no source at all may reach that port.
 */
function networkPolicyBlocks(
  model: ScrapeModel,
  items: readonly Item[],
  rows: readonly ReportRow[],
): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const target = row.target;
    if (!target || row.endpointIndex === undefined) continue;
    const numbered = /^\d+$/.test(row.endpointPort ?? '') ? Number(row.endpointPort) : undefined;
    // A PodMonitor on a port its pods do not declare (Istio's 15020 / 15090) reaches them all the same.
    const reached: { pods: PodSource; port: number | undefined }[] =
      'pods' in target
        ? [{ pods: target.pods.pods, port: target.pods.containerPort ?? numbered }]
        : row.monitor.kind === 'PodMonitor'
          ? (podMonitorTargets(model.inventory, row.monitor)?.workloads ?? []).map((pods) => ({
              pods,
              port: numbered,
            }))
          : [];
    for (const { pods, port } of reached) {
      if (port === undefined) continue;
      const key = `${row.monitor.kind}/${row.monitor.namespace}/${row.monitor.name}/${row.endpointIndex}/${pods.item.kind}/${pods.namespace}/${pods.item.name}/${port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const blockers = ingressBlockers(items, pods, port);
      if (blockers.length === 0) continue;
      const field = endpointField[row.monitor.kind];
      const where = `${pods.item.kind}/${pods.namespace}/${pods.item.name}`;
      findings.push({
        ...finding(
          'MS0028',
          row.monitor,
          field ? `spec.${field}[${row.endpointIndex}]` : undefined,
          `scrape of endpoint ${row.endpointIndex} to ${where}:${port} is dropped at step 9, network policy: ${blockers.map((b) => `NetworkPolicy/${b.namespace}/${b.name}`).join(', ')} ${blockers.length === 1 ? 'isolates' : 'isolate'} ${where} for ingress and admit${blockers.length === 1 ? 's' : ''} nothing on port ${port}`,
          {
            fix: `add an ingress rule for port ${port} from the scraper's pods to NetworkPolicy/${blockers[0]?.namespace}/${blockers[0]?.name}`,
          },
        ),
        subject: `${where}:${port}`,
      });
    }
  }
  return findings;
}

/** Every scrape-path finding of a list. */
export function scrapeFindings(
  model: ScrapeModel,
  items: readonly Item[],
  rows: readonly ReportRow[],
): Finding[] {
  return [
    ...networkPolicyBlocks(model, items, rows),
    ...rows.flatMap((row) => rowFinding(row) ?? []),
    ...unmountedScrapers(rows),
    ...fsAccessDenied(rows),
    ...certsNobodyMounts(model, rows),
    ...mergeOnTls(model),
  ];
}
