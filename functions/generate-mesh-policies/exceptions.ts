/**
 * Port-level exceptions (domain.md section 0, steps 6 to 8): only where asked (`exceptions`) or where the scrape
 * path shows a caller that cannot speak Istio's mTLS to a captured STRICT port: the kube-apiserver calling a
 * webhook or an APIService backend, a Prometheus replica scraping itself, a monitor scraping an app that serves TLS
 * itself. Each is `portLevelMtls` PERMISSIVE on the container port, never a loosened mode for the whole workload.
 */
import { identityLessCalls } from '../../src/domain/callers.js';
import { podTemplatePaths } from '../../src/domain/kinds.js';
import { istioPortOf } from '../../src/domain/pod-monitor-targets.js';
import type { PodSource } from '../../src/domain/pod-sources.js';
import { type ScrapeModel, strictCaptured, type TargetPort } from '../../src/domain/scrape-path.js';
import { type ReportRow, scrapeReport } from '../../src/domain/scrape-report.js';
import { asObject, type Item, info, type Json, type Result, warning } from '../../src/krm/index.js';
import type { GenerateMeshPoliciesConfig } from './config.js';

/** One port a run opens, for whom and why. */
export interface ExceptionAsk {
  pods: PodSource;
  port: number;
  owner: string;
  reason: string;
}

const refOf = (item: Item): string =>
  `${item.kind}/${item.namespace ? `${item.namespace}/` : ''}${item.name}`;
const at = (item: Item, path?: string) => ({ ref: item.ref, file: item.file, path });

/** The asks for the STRICT captured ports among some targets; a warning where the Service declares HTTP. */
function askStrict(
  targets: readonly (TargetPort & { declaredHttp?: boolean })[],
  owner: string,
  reason: string,
  where: { ref?: Item; path?: string },
): { asks: ExceptionAsk[]; results: Result[] } {
  const strict = strictCaptured(targets);
  const http = strict.filter((t) => t.declaredHttp);
  const results = http.map((t) =>
    warning(
      `no port exception for port ${t.containerPort} of ${t.pods.item.describe()}: ${reason}, but its Service declares the port HTTP, where Istio's PERMISSIVE matches only mTLS and plain text, so the caller's own TLS would still fail; exclude the port from inbound capture instead (set-sidecar-options excludeInboundPorts)`,
      where.ref ? at(where.ref, where.path) : {},
    ),
  );
  const asks = strict
    .filter((t) => !t.declaredHttp)
    .map((t) => ({ pods: t.pods, port: t.containerPort as number, owner, reason }));
  return { asks, results };
}

/** Webhooks and APIServices: the kube-apiserver has no mesh identity. */
function callerAsks(items: readonly Item[], model: ScrapeModel) {
  return identityLessCalls(model, items).map((call) =>
    askStrict(
      call.targets,
      refOf(call.caller),
      `the kube-apiserver calls it for ${call.caller.describe()} (${call.path}) without a mesh identity`,
      { ref: call.caller, path: call.path },
    ),
  );
}

/** Monitors scraping an app's own TLS, and Prometheus replicas scraping themselves, behind a STRICT sidecar. */
function scrapeAsks(rows: readonly ReportRow[]) {
  return rows.flatMap((row) => {
    const target = row.target;
    if (!target || !('pods' in target) || target.pods.containerPort === undefined) return [];
    const endpoint = endpointOf(row);
    if (endpoint && istioPortOf(endpoint, target.pods.containerPort)) return [];
    const requirement = row.requirement;
    const owner = refOf(row.monitor);
    if (requirement?.send === 'self') {
      if (!requirement.meshInbound || !requirement.strict || requirement.scraper.pods < 2) return [];
      return [
        askStrict(
          [target.pods],
          owner,
          `${requirement.scraper.label} runs ${requirement.scraper.pods} pods with inbound capture: each replica scrapes itself in plain text (${row.monitor.describe()}), the others through the STRICT sidecar`,
          { ref: row.monitor },
        ),
      ];
    }
    if (!target.pods.appTls) return [];
    return [
      askStrict(
        [{ ...target.pods, declaredHttp: target.declaredHttp }],
        owner,
        `${row.monitor.describe()} scrapes it and its app serves TLS itself, which Istio's STRICT sidecar would take for a failed mTLS handshake`,
        { ref: row.monitor },
      ),
    ];
  });
}

function endpointOf(row: ReportRow): { [key: string]: Json } | undefined {
  if (row.endpointIndex === undefined) return undefined;
  const field = row.monitor.kind === 'PodMonitor' ? 'podMetricsEndpoints' : 'endpoints';
  const list = asObject(row.monitor.data.spec)?.[field];
  return Array.isArray(list) ? asObject(list[row.endpointIndex]) : undefined;
}

const operatorImage = /(^|\/)prometheus-operator(:|@|$)/;

/**
 * Preset kube-prometheus-stack: the operator's admission webhook is served on its TLS web port (the chart runs it
 * with `--web.enable-tls=true` on container port 10250, named https), which the kube-apiserver calls. Found from the
 * operator container itself, also when the webhook configuration is not in the list (the chart patches it in a Job).
 */
function presetAsks(model: ScrapeModel): { asks: ExceptionAsk[]; results: Result[] }[] {
  const out: { asks: ExceptionAsk[]; results: Result[] }[] = [];
  let operators = 0;
  for (const namespace of model.inventory.podNamespaces()) {
    for (const pods of model.inventory.podSourcesIn(namespace)) {
      const template = podTemplatePaths[pods.item.kind];
      if (!template) continue;
      const containers = pods.item.read([...template, 'spec', 'containers']);
      if (!Array.isArray(containers)) continue;
      for (const value of containers) {
        const container = asObject(value);
        if (!container || typeof container.image !== 'string' || !operatorImage.test(container.image))
          continue;
        operators++;
        const args = (Array.isArray(container.args) ? container.args : []).filter(
          (a): a is string => typeof a === 'string',
        );
        const tlsFlag = args.some((a) => /^--web\.enable-tls(=true)?$/.test(a));
        const ports = (Array.isArray(container.ports) ? container.ports : []).flatMap((p) => {
          const port = asObject(p);
          if (typeof port?.containerPort !== 'number') return [];
          const named = typeof port.name === 'string' && port.name.startsWith('https');
          return tlsFlag || named ? [port.containerPort] : [];
        });
        if (ports.length === 0) {
          out.push({
            asks: [],
            results: [
              info(
                `exceptions preset kube-prometheus-stack: ${pods.item.describe()} runs prometheus-operator without a TLS web port (no --web.enable-tls, no https port), so it serves no admission webhook; no exception`,
                at(pods.item),
              ),
            ],
          });
          continue;
        }
        for (const port of ports)
          out.push(
            askStrict(
              [model.targetPort(pods, port, [])],
              'preset/kube-prometheus-stack',
              `the kube-apiserver calls prometheus-operator's admission webhook on it without a mesh identity (exceptions preset kube-prometheus-stack)`,
              { ref: pods.item },
            ),
          );
      }
    }
  }
  if (operators === 0)
    out.push({
      asks: [],
      results: [
        warning(
          'exceptions preset kube-prometheus-stack: the list has no prometheus-operator container, so it changed nothing',
          { path: 'exceptions.preset' },
        ),
      ],
    });
  return out;
}

/** Exceptions asked by hand: honoured where the port is captured and STRICT, said so where it is not. */
function askedAsks(config: GenerateMeshPoliciesConfig, model: ScrapeModel) {
  return config.exceptions.ports.map((asked, index) => {
    const path = `exceptions.ports[${index}]`;
    const pods = model.inventory
      .podSourcesIn(asked.namespace)
      .filter((p) => p.item.name === asked.name && (asked.kind === undefined || p.item.kind === asked.kind));
    if (pods.length !== 1)
      return {
        asks: [],
        results: [
          warning(
            `exceptions.ports: ${pods.length === 0 ? 'the list has no workload' : 'more than one workload is named'} ${asked.namespace}/${asked.name}${asked.kind ? ` of kind ${asked.kind}` : ''}; no exception`,
            { path },
          ),
        ],
      };
    const target = model.targetPort(pods[0] as PodSource, asked.port, []);
    const what = `port ${asked.port} of ${target.pods.item.describe()}`;
    if (!target.pods.ports.numbers.has(asked.port))
      return {
        asks: [],
        results: [
          warning(`exceptions.ports: ${what} is not a declared container port; no exception`, { path }),
        ],
      };
    // Asked for: written unless the list shows it is not needed (an unknown capture may well be captured).
    const uncaptured = target.capture.state === 'not-captured' || target.capture.state === 'ambient';
    if (uncaptured || target.mtls?.mode !== 'STRICT')
      return {
        asks: [],
        results: [
          info(
            `exceptions.ports: ${what} needs no exception: ${uncaptured ? `it is not captured (${target.capture.reason})` : `it is ${target.mtls?.mode} per ${target.mtls?.source}`}`,
            { path },
          ),
        ],
      };
    return {
      asks: [
        {
          pods: target.pods,
          port: asked.port,
          owner: `config/${path}`,
          reason: asked.reason ?? 'asked in config exceptions.ports',
        },
      ],
      results: [],
    };
  });
}

/** Every exception the run wants, and the results about those it could not make. */
export function exceptionAsks(
  items: readonly Item[],
  config: GenerateMeshPoliciesConfig,
  model: ScrapeModel,
): { asks: ExceptionAsk[]; results: Result[] } {
  const parts = [
    ...callerAsks(items, model),
    ...scrapeAsks(scrapeReport(model, items)),
    ...(config.exceptions.preset.includes('kube-prometheus-stack') ? presetAsks(model) : []),
    ...askedAsks(config, model),
  ];
  return { asks: parts.flatMap((p) => p.asks), results: parts.flatMap((p) => p.results) };
}
