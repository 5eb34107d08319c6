/** explain's two outputs: an aligned table with the reasons below it, for people; a JSON report, for tools. */
import type { ScrapeModelOptions } from '../domain/scrape-path.js';
import type { ReportRow } from '../domain/scrape-report.js';
import { describeSending } from '../domain/verdict.js';
import type { Item } from '../krm/index.js';

/** What explain found, as the outputs take it. */
export interface ExplainReport {
  rows: readonly ReportRow[];
  options: ScrapeModelOptions;
  /** Some mode rested on `meshMtls`. */
  assumptionUsed: boolean;
  /** Scrapers (Prometheus, PrometheusAgent) in the list. */
  scrapers: number;
}

const verdicts = ['works', 'broken', 'unknown', 'not-analysed'] as const;

const ref = (item: Item): string => `${item.kind}/${item.namespace ? `${item.namespace}/` : ''}${item.name}`;

function summary(rows: readonly ReportRow[]): Record<(typeof verdicts)[number], number> {
  const counts = { works: 0, broken: 0, unknown: 0, 'not-analysed': 0 };
  for (const row of rows) counts[row.verdict.verdict]++;
  return counts;
}

/** The row's target in the JSON shape: the workload when the list shows it, else the namespace (`*`: any). */
function targetJson(row: ReportRow): Record<string, unknown> | null {
  const target = row.target;
  if (!target) return null;
  if ('namespace' in target)
    return {
      kind: null,
      namespace: target.namespace === 'any' ? '*' : target.namespace,
      name: null,
      containerPort: null,
      service: null,
      declaredHttp: false,
    };
  const pods = target.pods.pods;
  return {
    kind: pods.item.kind,
    namespace: pods.namespace,
    name: pods.item.name,
    containerPort: target.pods.containerPort ?? null,
    service: target.service?.name ?? null,
    declaredHttp: target.declaredHttp,
  };
}

function rowJson(row: ReportRow): Record<string, unknown> {
  const monitor = row.monitor;
  return {
    monitor: { kind: monitor.kind, namespace: monitor.namespace ?? null, name: monitor.name },
    endpoint: { index: row.endpointIndex ?? null, port: row.endpointPort ?? null },
    scrapers: row.loaders.map(({ scraper, loading }) => ({
      kind: scraper.item.kind,
      namespace: scraper.namespace,
      name: scraper.item.name,
      loads: loading.loads,
      reason: loading.reason,
      mountsCerts: scraper.mountsCerts,
    })),
    notLoaded: row.notLoaded ?? null,
    target: targetJson(row),
    capture: row.capture ? { state: row.capture.state, reason: row.capture.reason } : null,
    mtls: row.mtls ? { mode: row.mtls.mode, source: row.mtls.source, assumed: row.mtls.assumed } : null,
    sends: row.sending
      ? {
          scheme: row.sending.scheme,
          tls: row.sending.tls,
          certFile: row.sending.certFile ?? null,
          certsFrom: row.sending.certsFrom ?? null,
        }
      : null,
    needs: row.requirement ? { send: row.requirement.send, reason: row.requirement.reason } : null,
    verdict: row.verdict.verdict,
    reason: row.verdict.reason,
    fixes: row.verdict.fixes.map((f) => ({ fix: f.fix, detail: f.detail })),
  };
}

/** The JSON report (README.md, "explain", documents the shape). */
export function explainJson(report: ExplainReport): string {
  const json = {
    apiVersion: 'meshscrape.dev/v1alpha1',
    kind: 'ExplainReport',
    assumptions: { ...report.options, meshMtlsUsed: report.assumptionUsed },
    summary: { rows: report.rows.length, ...summary(report.rows) },
    rows: report.rows.map(rowJson),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

function scraperCell(row: ReportRow, scrapers: number): string {
  if (row.loaders.length > 0)
    return row.loaders.map((l) => `${l.scraper.namespace}/${l.scraper.item.name}`).join(',');
  return scrapers === 0 ? 'none in the list' : 'none loads it';
}

function targetCell(row: ReportRow): string {
  const target = row.target;
  if (!target) return '-';
  if ('namespace' in target)
    return target.namespace === 'any' ? '(any namespace)' : `(${target.namespace}, no pods in the list)`;
  return `${ref(target.pods.pods.item)}:${target.pods.containerPort ?? '?'}`;
}

function captureCell(row: ReportRow): string {
  const state = row.capture?.state;
  if (state === undefined) return '-';
  return { captured: 'yes', 'not-captured': 'no', ambient: 'ambient', unknown: '?' }[state];
}

function mtlsCell(row: ReportRow): string {
  if (!row.mtls) return '-';
  if (row.mtls.assumed) return `${row.mtls.mode} (assumed)`;
  return `${row.mtls.mode} ${row.mtls.source.replace(/^PeerAuthentication\//, 'PA/')}`;
}

function cells(row: ReportRow, index: number, scrapers: number): string[] {
  const endpoint = row.endpointIndex === undefined ? '-' : `${row.endpointIndex}:${row.endpointPort ?? '?'}`;
  return [
    String(index + 1),
    ref(row.monitor),
    endpoint,
    scraperCell(row, scrapers),
    targetCell(row),
    captureCell(row),
    mtlsCell(row),
    row.sending ? describeSending(row.sending) : '-',
    row.verdict.verdict,
  ];
}

/** Lines explaining one row: loading, capture, mode, verdict and fixes. */
function details(row: ReportRow, index: number): string[] {
  const lines = [
    `#${index + 1} ${ref(row.monitor)}${row.endpointIndex === undefined ? '' : ` endpoint ${row.endpointIndex}`}`,
  ];
  const add = (label: string, text: string): void => {
    lines.push(`   ${`${label}:`.padEnd(9)} ${text}`);
  };
  if (row.notLoaded) add('scraper', `none loads it: ${row.notLoaded}`);
  // The verdict's reason often quotes the capture and the mode already: each is said once.
  const said = row.verdict.reason;
  if (row.capture && row.verdict.verdict !== 'not-analysed' && !said.includes(row.capture.reason))
    add('captured', row.capture.reason);
  if (row.mtls && !said.includes(row.mtls.source)) add('mtls', `${row.mtls.mode} per ${row.mtls.source}`);
  if (row.sending?.certsFrom) add('certs', `${row.sending.certFile} from the ${row.sending.certsFrom}`);
  add(row.verdict.verdict, row.verdict.reason);
  for (const [i, fix] of row.verdict.fixes.entries()) add(`fix ${i + 1}`, fix.detail);
  return lines;
}

/** The table for people: one aligned row per endpoint and target, the reasons below, a summary last. */
export function explainTable(report: ExplainReport): string {
  if (report.rows.length === 0) return 'no ServiceMonitor, PodMonitor, Probe or ScrapeConfig in the input\n';
  const header = ['#', 'MONITOR', 'ENDPOINT', 'SCRAPER', 'TARGET', 'CAPTURED', 'MTLS', 'SENDS', 'VERDICT'];
  const table = [header, ...report.rows.map((row, i) => cells(row, i, report.scrapers))];
  const widths = header.map((_, c) => Math.max(...table.map((r) => (r[c] as string).length)));
  const lines = table.map((r) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] as number)))
      .join('  ')
      .trimEnd(),
  );
  const why = report.rows.flatMap((row, i) => details(row, i));
  const counts = summary(report.rows);
  const totals = verdicts.map((v) => `${counts[v]} ${v === 'not-analysed' ? 'not analysed' : v}`).join(', ');
  const notes = [`${report.rows.length} endpoint target(s): ${totals}`];
  if (report.assumptionUsed)
    notes.push(
      `assumed meshMtls: ${report.options.meshMtls} where no policy in the list decides (no mesh-wide PeerAuthentication in ${report.options.rootNamespace}; --mesh-mtls to change)`,
    );
  if (report.scrapers === 0)
    notes.push('the list has no Prometheus or PrometheusAgent: verdicts follow the targets alone');
  return `${[...lines, '', ...why, '', ...notes].join('\n')}\n`;
}
