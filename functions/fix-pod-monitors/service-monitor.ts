/**
 * service-monitor: replace the PodMonitor with a ServiceMonitor, which can carry the cert files, scraping the same
 * pods through a Service that selects them (an existing one when the list has it, else a generated headless one).
 * The job label the PodMonitor produced is kept with relabelings, so dashboards and alerts keep working.
 */

import {
  generatedBy,
  generatedMetadata,
  originalAnnotation,
  originalJson,
} from '../../src/domain/generated.js';
import { istioTlsConfig } from '../../src/domain/istio-certs.js';
import {
  asServiceSelector,
  equalityLabels,
  matchesServiceSelector,
  stringMap,
  toLabelSelector,
} from '../../src/domain/label-selector.js';
import { loadsMonitor, type Scraper } from '../../src/domain/scrapers.js';
import {
  asObject,
  error,
  failure,
  Item,
  info,
  type Json,
  type Outcome,
  type Result,
  type ResultTarget,
  success,
  warning,
} from '../../src/krm/index.js';
import { type Analysis, describePort, type EndpointFacts, scrapedWorkloads } from './analysis.js';
import { type FixContext, functionName, monitorRef, type StrategyOutcome, unchanged } from './context.js';

const podMonitorLabel = 'meshscrape.dev/pod-monitor';
/** Endpoint fields a ServiceMonitor endpoint takes as they are. */
const carriedEndpointFields = [
  'path',
  'interval',
  'scrapeTimeout',
  'honorLabels',
  'honorTimestamps',
  'trackTimestampsStaleness',
  'params',
  'metricRelabelings',
  'followRedirects',
  'enableHttp2',
  'filterRunning',
  'proxyUrl',
  'basicAuth',
  'authorization',
  'oauth2',
  'bearerTokenSecret',
];
/** Spec fields the two kinds share. */
const carriedSpecFields = [
  'podTargetLabels',
  'sampleLimit',
  'targetLimit',
  'labelLimit',
  'labelNameLengthLimit',
  'labelValueLengthLimit',
  'keepDroppedTargets',
  'attachMetadata',
  'scrapeProtocols',
  'fallbackScrapeProtocol',
  'scrapeClass',
  'namespaceSelector',
];

/** The Service port each endpoint goes through: name and number. */
interface PortPlan {
  endpoint: EndpointFacts;
  name: string;
  number: number;
  /** targetPort of a generated Service: the container port name when the endpoint names one. */
  target: string | number;
}

type Plan = {
  ports: PortPlan[];
  reuse?: { selector: Record<string, string>; names: string[]; portNames: string[] };
  /** The Service selector a generated Service gets (the PodMonitor's equality selector). */
  serviceSelector?: Record<string, string>;
};

/** Why the strategy cannot apply; `where` points at the field to change when it is not the PodMonitor's. */
interface Refusal {
  message: string;
  where?: ResultTarget;
}

/** The outcome of a step that stops at the first refusal. */
const refusal = (message: string, where?: ResultTarget): Outcome<never, Refusal> =>
  failure([where ? { message, where } : { message }]);

function portPlans(analysis: Analysis): Outcome<PortPlan[], Refusal> {
  const plans: PortPlan[] = [];
  for (const endpoint of analysis.appEndpoints) {
    const numbers = new Set(scrapedWorkloads(endpoint, analysis.targets.workloads).map((s) => s.port));
    const [number] = numbers;
    if (number === undefined || numbers.size !== 1) {
      return refusal(
        `${describePort(endpoint.port)} does not resolve to one container port in the selected workloads`,
      );
    }
    const named = endpoint.port && 'name' in endpoint.port ? endpoint.port.name : undefined;
    plans.push({ endpoint, name: named ?? `metrics-${number}`, number, target: named ?? number });
  }
  return success(plans);
}

/** The name of the Service port that reaches a planned container port, if the Service has one. */
function servicePortName(service: Item, plan: PortPlan): string | undefined {
  const spec = asObject(service.data.spec);
  const servicePorts = Array.isArray(spec?.ports) ? spec.ports.map((p) => asObject(p) ?? {}) : [];
  const named = plan.endpoint.port && 'name' in plan.endpoint.port ? plan.endpoint.port.name : undefined;
  const port = servicePorts.find((p) => {
    const target = p.targetPort ?? p.port;
    return target === plan.number || (named !== undefined && target === named);
  });
  return typeof port?.name === 'string' ? port.name : undefined;
}

/** Services in the list that select all the workloads and expose every port, with labels to select them by. */
function reusableServices(analysis: Analysis, ctx: FixContext, ports: PortPlan[]): Plan['reuse'] {
  const namespaces = [...new Set(analysis.targets.workloads.map((w) => w.namespace))];
  const chosen: Item[] = [];
  for (const namespace of namespaces) {
    const workloads = analysis.targets.workloads.filter((w) => w.namespace === namespace);
    const service = ctx.inventory.servicesIn(namespace).find((s) => {
      // A Service this function generated earlier is regenerated, not reused, so the output converges.
      if (generatedBy(s) === functionName) return false;
      const selector = stringMap(asObject(s.data.spec)?.selector);
      if (!workloads.every((w) => matchesServiceSelector(selector, w.labels))) return false;
      return ports.every((plan) => servicePortName(s, plan) !== undefined);
    });
    if (!service) return undefined;
    chosen.push(service);
  }
  // One ServiceMonitor endpoint names one Service port: every chosen Service must use the same names.
  const portNames = ports.map((plan) => servicePortName(chosen[0] as Item, plan) as string);
  if (chosen.some((s) => ports.some((plan, i) => servicePortName(s, plan) !== portNames[i])))
    return undefined;
  const labelSets = chosen.map((s) => stringMap(asObject(s.data.metadata)?.labels));
  const common = Object.fromEntries(
    Object.entries(labelSets[0] ?? {}).filter(([k, v]) => labelSets.every((labels) => labels[k] === v)),
  );
  if (Object.keys(common).length === 0) return undefined;
  // The common labels must pick only the chosen Services, or the ServiceMonitor would scrape others too.
  const others = namespaces.flatMap((ns) => ctx.inventory.servicesIn(ns)).filter((s) => !chosen.includes(s));
  if (others.some((s) => matchesServiceSelector(common, stringMap(asObject(s.data.metadata)?.labels))))
    return undefined;
  return { selector: common, names: chosen.map((s) => `${s.namespace ?? ''}/${s.name}`), portNames };
}

/** Why the strategy cannot apply, or the plan. */
export function serviceMonitorPlan(analysis: Analysis, ctx: FixContext): Outcome<Plan, Refusal> {
  if (analysis.appEndpoints.length === 0) return refusal('no endpoint needs a fix');
  if (analysis.appEndpoints.length !== analysis.endpoints.length)
    return refusal(
      "the monitor also scrapes Istio's own ports, which a ServiceMonitor over a Service cannot",
    );
  if (analysis.targets.workloads.length === 0) return refusal('no workload in the list matches the selector');
  const planned = portPlans(analysis);
  if (!planned.ok) return planned;
  const ports = planned.value;
  const reuse = reusableServices(analysis, ctx, ports);
  if (reuse) return success({ ports, reuse });
  const serviceSelector = asServiceSelector(analysis.targets.selector);
  if (!serviceSelector) {
    if (equalityLabels(analysis.targets.selector).rest.length > 0)
      return refusal(
        'the selector uses matchExpressions other than a single-value In, which a Service selector cannot express, and no Service in the list fits',
      );
    return refusal('the selector is empty, and a Service needs labels to select pods');
  }
  return success({ ports, serviceSelector });
}

function jobRelabelings(analysis: Analysis): Json[] {
  const monitor = analysis.monitor;
  const rules: Json[] = [
    { action: 'replace', targetLabel: 'job', replacement: `${monitor.namespace ?? ''}/${monitor.name}` },
  ];
  const jobLabel = asObject(monitor.data.spec)?.jobLabel;
  if (typeof jobLabel === 'string' && jobLabel !== '') {
    const sanitized = jobLabel.replace(/[^a-zA-Z0-9_]/g, '_');
    rules.push({
      action: 'replace',
      sourceLabels: [
        `__meta_kubernetes_pod_label_${sanitized}`,
        `__meta_kubernetes_pod_labelpresent_${sanitized}`,
      ],
      regex: '(.+);true',
      replacement: '$1',
      targetLabel: 'job',
    });
  }
  return rules;
}

function generatedService(
  analysis: Analysis,
  namespace: string,
  ports: PortPlan[],
  selector: Record<string, string>,
): Item {
  const monitor = analysis.monitor;
  return Item.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: generatedMetadata(functionName, `${monitor.name}-metrics`, namespace, [monitorRef(monitor)], {
      labels: { [podMonitorLabel]: monitor.name },
    }),
    spec: {
      clusterIP: 'None',
      selector,
      ports: ports.map((p) => ({ name: p.name, port: p.number, targetPort: p.target })),
    },
  });
}

function serviceMonitor(
  analysis: Analysis,
  ctx: FixContext,
  plan: Plan,
  labels: Record<string, string>,
): Item {
  const monitor = analysis.monitor;
  const spec = asObject(monitor.data.spec) ?? {};
  const carried = Object.fromEntries(
    carriedSpecFields.filter((k) => spec[k] !== undefined).map((k) => [k, spec[k] as Json]),
  );
  return Item.create({
    apiVersion: monitor.apiVersion,
    kind: 'ServiceMonitor',
    metadata: generatedMetadata(functionName, monitor.name, monitor.namespace ?? '', [monitorRef(monitor)], {
      labels,
      annotations: { [originalAnnotation]: originalJson(monitor.data) },
    }),
    spec: {
      selector: { matchLabels: plan.reuse?.selector ?? { [podMonitorLabel]: monitor.name } },
      ...carried,
      endpoints: plan.ports.map((p, i) => {
        const data = p.endpoint.data;
        const fields = Object.fromEntries(
          carriedEndpointFields.filter((k) => data[k] !== undefined).map((k) => [k, data[k] as Json]),
        );
        const own = Array.isArray(data.relabelings) ? data.relabelings : [];
        return {
          port: plan.reuse?.portNames[i] ?? p.name,
          ...fields,
          scheme: 'https',
          tlsConfig: istioTlsConfig(ctx.config.certDir),
          relabelings: [...jobRelabelings(analysis), ...own],
        };
      }),
    },
  });
}

const selectorField = 'serviceMonitorSelector';
const namespaceField = 'serviceMonitorNamespaceSelector';

/**
 * The labels the ServiceMonitor needs so that every Prometheus that loaded the PodMonitor loads it too: the
 * PodMonitor's, plus what each one's serviceMonitorSelector asks by equality; or the Prometheus and field to change.
 */
function monitorLabels(
  analysis: Analysis,
  loaders: readonly Scraper[],
): Outcome<Record<string, string>, Refusal> {
  const labels = stringMap(asObject(analysis.monitor.data.metadata)?.labels);
  const required: Record<string, [string, Scraper]> = {};
  for (const scraper of loaders) {
    const where = { ref: scraper.item.ref, file: scraper.item.file, path: `spec.${selectorField}` };
    const value = asObject(scraper.item.data.spec)?.[selectorField];
    if (value === undefined || value === null)
      return refusal(
        `${scraper.label} loads it but has no ${selectorField}, which loads no ServiceMonitor: add spec.${selectorField} (e.g. matchLabels the ServiceMonitor can carry)`,
        where,
      );
    const selector = toLabelSelector(value);
    if (!selector) return refusal(`${scraper.label}: ${selectorField} is not a valid label selector`, where);
    for (const [key, wanted] of Object.entries(equalityLabels(selector).labels)) {
      const other = required[key];
      if (other && other[0] !== wanted)
        return refusal(
          `${other[1].label} needs label ${key}: ${other[0]} and ${scraper.label} ${key}: ${wanted} on the ServiceMonitor; align their ${selectorField}`,
          where,
        );
      required[key] = [wanted, scraper];
      labels[key] = wanted;
    }
  }
  return success(labels);
}

/** Whether each loader loads the generated ServiceMonitor, as the operator would decide: warnings, or a refusal. */
function loadingProblems(
  ctx: FixContext,
  loaders: readonly Scraper[],
  monitor: Item,
): Outcome<Result[], Refusal> {
  const results: Result[] = [];
  for (const scraper of loaders) {
    const loading = loadsMonitor(ctx.inventory, scraper, monitor);
    const field = loading.reason.includes(namespaceField) ? namespaceField : selectorField;
    const where = { ref: scraper.item.ref, file: scraper.item.file, path: `spec.${field}` };
    if (loading.loads === false)
      return refusal(
        `${loading.reason}, so it would not load the ServiceMonitor in ${monitor.namespace}: change spec.${field} to cover it`,
        where,
      );
    if (loading.loads === 'unknown')
      results.push(warning(`may not load ${monitor.describe()}: ${loading.reason}`, where));
    if (!scraper.mountsCerts)
      results.push(
        warning(
          `loads ${monitor.describe()} (https with Istio's cert files) but does not mount the istio-certs volume: run mount-istio-certs`,
          { ref: scraper.item.ref, file: scraper.item.file, path: 'spec.volumeMounts' },
        ),
      );
  }
  return success(results);
}

function refused(analysis: Analysis, refusals: readonly Refusal[]): StrategyOutcome {
  return unchanged(
    ...refusals.map((r) =>
      error(
        `service-monitor cannot work for ${analysis.monitor.describe()}: ${r.message}; nothing changed`,
        r.where ?? analysis.at(),
      ),
    ),
  );
}

/** Replaces the PodMonitor by a ServiceMonitor (and a headless Service where none fits) that its Prometheus loads. */
export function applyServiceMonitor(analysis: Analysis, ctx: FixContext, reason: string): StrategyOutcome {
  const planned = serviceMonitorPlan(analysis, ctx);
  if (!planned.ok) return refused(analysis, planned.problems);
  const plan = planned.value;
  const loaders = ctx.model.scrapersOf(analysis.monitor).map((l) => l.scraper);
  const labels = monitorLabels(analysis, loaders);
  if (!labels.ok) return refused(analysis, labels.problems);
  const monitor = serviceMonitor(analysis, ctx, plan, labels.value);
  const loading = loadingProblems(ctx, loaders, monitor);
  if (!loading.ok) return refused(analysis, loading.problems);
  const results: Result[] = [...loading.value];
  const notLoaded = ctx.model.whyNotLoaded(analysis.monitor);
  if (notLoaded)
    results.push(
      warning(
        `no Prometheus in the list loads this PodMonitor (${notLoaded}); the ServiceMonitor carries its labels`,
        analysis.at(),
      ),
    );
  const loadedBy = loaders.length > 0 ? `, loaded by ${loaders.map((s) => s.label).join(', ')}` : '';
  results.push(
    info(`generated: https with the cert files in ${ctx.config.certDir} (${reason})${loadedBy}`, {
      ref: monitor.ref,
      path: 'spec.endpoints',
    }),
  );
  const generated = [monitor];
  if (!plan.reuse) {
    const namespaces = [...new Set(analysis.targets.workloads.map((w) => w.namespace))];
    for (const ns of namespaces) {
      const service = generatedService(analysis, ns, plan.ports, plan.serviceSelector ?? {});
      generated.push(service);
      results.push(
        info(`generated: headless Service selecting the pods of ${analysis.monitor.describe()}`, {
          ref: service.ref,
          path: 'spec.selector',
        }),
      );
    }
  }
  results.push(
    info(
      `replaced by ${monitor.describe()}${plan.reuse ? ` through Service ${plan.reuse.names.join(', ')}` : ''}; kept as JSON in its ${originalAnnotation} annotation`,
      analysis.at(),
    ),
  );
  return { results, generated, removeMonitor: true };
}
