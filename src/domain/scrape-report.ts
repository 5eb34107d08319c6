/**
 * The whole scrape path of a list, one row per monitor endpoint and target: who loads the monitor, the workload and
 * container port it reaches, capture, the mTLS mode there and who set it, what the endpoint sends, and the verdict.
 * ServiceMonitors and PodMonitors are followed; Probes and ScrapeConfigs are listed, not analysed.
 */
import { asObject, type Item, type Json } from '../krm/index.js';
import { podEndpointTargets, serviceEndpointTargets } from './endpoint-targets.js';
import { monitoringGroups } from './kinds.js';
import type { MtlsDecision } from './peer-authentication.js';
import { istioPortOf, podMonitorTargets } from './pod-monitor-targets.js';
import type { Requirement, ScrapeModel, TargetPort } from './scrape-path.js';
import type { Loading, Scraper } from './scrapers.js';
import type { Capture } from './sidecar-capture.js';
import { monitorNamespaces, serviceMonitorTargets } from './targets.js';
import {
  istioPortVerdict,
  type Sending,
  sendingOf,
  type Verdict,
  type VerdictContext,
  verdictOf,
} from './verdict.js';

/** Where an endpoint goes when the list shows its pods (`pods`), or only the namespace they are in. */
export type ReportTarget =
  | { pods: TargetPort; service: Item | undefined; declaredHttp: boolean }
  | { namespace: string | 'any' };

/** One row: an endpoint toward one target. */
export interface ReportRow {
  monitor: Item;
  /** Index in `spec.endpoints` / `spec.podMetricsEndpoints`; undefined for a monitor read as a whole. */
  endpointIndex: number | undefined;
  /** The port the endpoint names (port name, number), or undefined. */
  endpointPort: string | undefined;
  loaders: { scraper: Scraper; loading: Loading }[];
  /** Why no scraper of the list loads the monitor (the list has scrapers, none loads it). */
  notLoaded: string | undefined;
  target: ReportTarget | undefined;
  capture: Capture | undefined;
  mtls: MtlsDecision | undefined;
  sending: Sending | undefined;
  requirement: Requirement | undefined;
  verdict: Verdict | { verdict: 'not-analysed'; reason: string; fixes: [] };
}

const monitorKinds = ['ServiceMonitor', 'PodMonitor', 'Probe', 'ScrapeConfig'];
const endpointField: Readonly<Record<string, string>> = {
  ServiceMonitor: 'endpoints',
  PodMonitor: 'podMetricsEndpoints',
};

/** The port an endpoint names, as written. */
function portOf(endpoint: { [key: string]: Json }): string | undefined {
  for (const key of ['port', 'portNumber', 'targetPort']) {
    const value = endpoint[key];
    if ((typeof value === 'string' && value !== '') || typeof value === 'number') return String(value);
  }
  return undefined;
}

/** A namespace-level capture, as far as the requirement there shows it. */
function namespaceCapture(requirement: Requirement): Capture {
  if (requirement.send === 'istio-mtls' || requirement.send === 'plain')
    return { state: 'captured', reason: requirement.reason };
  if (requirement.send === 'app') return { state: 'not-captured', reason: requirement.reason };
  if (requirement.send === 'ambient') return { state: 'ambient', reason: requirement.reason };
  return { state: 'unknown', reason: requirement.reason };
}

/** Builds the rows of one monitor. */
class MonitorReport {
  readonly loaders: { scraper: Scraper; loading: Loading }[];
  readonly notLoaded: string | undefined;
  readonly spec: { [key: string]: Json } | undefined;

  constructor(
    private readonly model: ScrapeModel,
    readonly monitor: Item,
  ) {
    this.loaders = model.scrapersOf(monitor);
    this.notLoaded = model.whyNotLoaded(monitor);
    this.spec = asObject(monitor.data.spec);
  }

  row(fields: Partial<ReportRow> & Pick<ReportRow, 'verdict'>): ReportRow {
    return {
      monitor: this.monitor,
      endpointIndex: undefined,
      endpointPort: undefined,
      loaders: this.loaders,
      notLoaded: this.notLoaded,
      target: undefined,
      capture: undefined,
      mtls: undefined,
      sending: undefined,
      requirement: undefined,
      ...fields,
    };
  }

  /** What a verdict needs to know about one target. */
  private context(target: ReportTarget): VerdictContext {
    const pods = 'pods' in target ? target.pods : undefined;
    return {
      monitorKind: this.monitor.kind,
      loaders: this.loaders.map((l) => l.scraper),
      workload: pods && `${pods.pods.item.kind}/${pods.pods.namespace}/${pods.pods.item.name}`,
      containerPort: pods?.containerPort,
      declaredHttp: 'declaredHttp' in target && target.declaredHttp,
      appTls: pods?.appTls === true,
      reach: pods && { model: this.model, target: pods },
    };
  }

  /** A verdict, made `unknown` when no scraper in the list loads the monitor (nothing the list shows scrapes it). */
  private judged(verdict: Verdict): Verdict {
    if (!this.notLoaded) return verdict;
    return {
      verdict: 'unknown',
      reason: `no scraper in the list loads this monitor (${this.notLoaded}); for one outside the list: ${verdict.verdict}, ${verdict.reason}`,
      fixes: verdict.fixes,
    };
  }

  /** The row of an endpoint on Istio's own metrics ports: never captured, plain http, whatever the pods declare. */
  private istioPortRow(
    base: Partial<ReportRow>,
    target: ReportTarget,
    where: string,
    sending: Sending,
  ): ReportRow {
    const reason = `${where} is Istio's own metrics port: the sidecar never captures it`;
    return this.row({
      ...base,
      target,
      capture: { state: 'not-captured', reason },
      requirement: { send: 'app', reason },
      verdict: this.judged(istioPortVerdict(where, sending, this.context(target))),
    });
  }

  /** The rows of one endpoint toward its targets, or toward the namespaces when the list shows no pods. */
  endpointRows(
    index: number,
    endpoint: { [key: string]: Json },
    targets: readonly ReportTarget[],
  ): ReportRow[] {
    const sending = sendingOf(
      endpoint,
      { kind: this.monitor.kind, spec: this.spec },
      this.loaders.map((l) => l.scraper),
    );
    const base = { endpointIndex: index, endpointPort: portOf(endpoint), sending };
    return targets.map((target) => {
      const istioPort = istioPortOf(endpoint, 'pods' in target ? target.pods.containerPort : undefined);
      if (istioPort) return this.istioPortRow(base, target, istioPort, sending);
      if ('pods' in target) {
        const requirement = this.model.requirementAt(target.pods);
        return this.row({
          ...base,
          target,
          capture: target.pods.capture,
          mtls: target.pods.mtls,
          requirement,
          verdict: this.judged(verdictOf(requirement, sending, this.context(target))),
        });
      }
      const requirement = this.model.requirementInNamespaces(
        target.namespace === 'any' ? 'any' : [target.namespace],
      );
      return this.row({
        ...base,
        target,
        capture: namespaceCapture(requirement),
        mtls: 'mtls' in requirement ? requirement.mtls : undefined,
        requirement,
        verdict: this.judged(verdictOf(requirement, sending, this.context(target))),
      });
    });
  }
}

const byNamespace = (namespaces: readonly string[] | 'any'): ReportTarget[] =>
  namespaces === 'any' ? [{ namespace: 'any' }] : namespaces.map((namespace) => ({ namespace }));

/** The endpoints of a monitor as plain objects, or the problem with them. */
function endpointsOf(report: MonitorReport): { [key: string]: Json }[] | string {
  const field = endpointField[report.monitor.kind] as string;
  const list = report.spec?.[field];
  if (!Array.isArray(list)) return `spec.${field} is not a list`;
  return list.map((e) => asObject(e) ?? {});
}

/** How a monitor kind reaches its targets: per endpoint, and where the list shows no pods. */
interface Reach {
  targets(endpoint: { [key: string]: Json }): ReportTarget[];
  namespaces: readonly string[] | 'any';
}

/** The reach of a ServiceMonitor (through its Services) or a PodMonitor (its pods); undefined for a bad selector. */
function reachOf(model: ScrapeModel, report: MonitorReport): Reach | undefined {
  const loaders = report.loaders.map((l) => l.scraper);
  if (report.monitor.kind === 'PodMonitor') {
    const targets = podMonitorTargets(model.inventory, report.monitor);
    if (!targets) return undefined;
    return {
      targets: (endpoint) =>
        podEndpointTargets(model, targets.workloads, endpoint, loaders).map((pods) => ({
          pods,
          service: undefined,
          declaredHttp: false,
        })),
      namespaces: targets.namespaces,
    };
  }
  const targets = serviceMonitorTargets(model.inventory, report.monitor);
  if ('invalidSelector' in targets) return undefined;
  return {
    targets: (endpoint) =>
      serviceEndpointTargets(model, targets.services, endpoint, loaders).map((pods) => ({
        pods,
        service: pods.service,
        declaredHttp: pods.declaredHttp,
      })),
    namespaces:
      targets.services.length > 0
        ? [...new Set(targets.services.map((s) => s.namespace ?? ''))]
        : monitorNamespaces(report.monitor),
  };
}

/** The rows of a ServiceMonitor or PodMonitor: each endpoint toward its targets, or toward their namespaces. */
function monitorRows(model: ScrapeModel, report: MonitorReport): ReportRow[] {
  const unknown = (reason: string): ReportRow[] => [
    report.row({ verdict: { verdict: 'unknown', reason, fixes: [] } }),
  ];
  const reach = reachOf(model, report);
  if (!reach) return unknown('spec.selector is missing or not a valid label selector');
  const endpoints = endpointsOf(report);
  if (typeof endpoints === 'string') return unknown(endpoints);
  return endpoints.flatMap((endpoint, index) => {
    const reached = reach.targets(endpoint);
    return report.endpointRows(index, endpoint, reached.length > 0 ? reached : byNamespace(reach.namespaces));
  });
}

const monitorKey = (item: Item): string => `${item.namespace ?? ''}\0${item.name}\0${item.kind}`;

/** Every monitor of the list, its endpoints followed to their targets; by namespace and name, whatever the input order. */
export function scrapeReport(model: ScrapeModel, items: readonly Item[]): ReportRow[] {
  const rows: ReportRow[] = [];
  const monitors = items.filter((i) => monitorKinds.includes(i.kind));
  monitors.sort((a, b) => (monitorKey(a) < monitorKey(b) ? -1 : monitorKey(a) > monitorKey(b) ? 1 : 0));
  for (const item of monitors) {
    if (!monitorKinds.includes(item.kind) || !monitoringGroups.includes(item.group)) continue;
    const report = new MonitorReport(model, item);
    if (item.kind in endpointField) rows.push(...monitorRows(model, report));
    else
      rows.push(
        report.row({
          verdict: {
            verdict: 'not-analysed',
            reason: `a ${item.kind} is not followed (explain follows ServiceMonitor and PodMonitor endpoints)`,
            fixes: [],
          },
        }),
      );
  }
  return rows;
}
