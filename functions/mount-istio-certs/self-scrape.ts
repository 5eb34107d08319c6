/**
 * The self-scrape exception (domain.md section 0, step 7): with inbound capture on (`inbound: mesh`) and more than
 * one pod, each replica reaches its own ports directly in plain text, the other replicas' through their sidecars,
 * where STRICT refuses plain text. A port-level PERMISSIVE exception for the ports a monitor the server loads
 * scrapes on its own pods lets the http self-scrape reach every replica; `mtls.mode: UNSET` leaves the rest of the
 * pod as its namespace or the mesh decides. Where a workload policy with the same selector exists, the ports go
 * into it (a second policy would be ignored).
 */
import { reconcileAddedPorts } from '../../src/domain/added-ports.js';
import { podEndpointTargets, serviceEndpointTargets } from '../../src/domain/endpoint-targets.js';
import { matchesSelector } from '../../src/domain/label-selector.js';
import { oldest } from '../../src/domain/peer-authentication.js';
import { podMonitorTargets } from '../../src/domain/pod-monitor-targets.js';
import { operatorSelectorLabels, podSourceOf } from '../../src/domain/pod-sources.js';
import { type AddedPort, addedPorts, portExceptionPolicy } from '../../src/domain/port-exceptions.js';
import type { ScrapeModel, TargetPort } from '../../src/domain/scrape-path.js';
import { scraperOf } from '../../src/domain/scrapers.js';
import { leftOut } from '../../src/domain/sidecar-capture.js';
import { serviceMonitorTargets } from '../../src/domain/targets.js';
import { asObject, type Item, info, type Json, plain, type Result, warning } from '../../src/krm/index.js';
import { scraperKey } from './destination-rules.js';
import { functionName, type Wanted } from './reconcile.js';

/**
 * The container ports of each server's own pods that a monitor it loads scrapes (ServiceMonitors through their
 * Services' targetPort, PodMonitors by port), with the monitors that scrape each, from the scrape-path model.
 */
function selfScrapedPorts(items: readonly Item[], model: ScrapeModel): Map<Item, Map<number, Set<string>>> {
  const out = new Map<Item, Map<number, Set<string>>>();
  for (const monitor of items) {
    if (monitor.group !== 'monitoring.coreos.com') continue;
    if (monitor.kind !== 'ServiceMonitor' && monitor.kind !== 'PodMonitor') continue;
    const loaders = model.scrapersOf(monitor).map((l) => l.scraper);
    if (loaders.length === 0) continue;
    const endpointsField = monitor.kind === 'ServiceMonitor' ? 'endpoints' : 'podMetricsEndpoints';
    const list = monitor.read(['spec', endpointsField]);
    const endpoints = (Array.isArray(list) ? list : []).flatMap((e) => {
      const endpoint = asObject(e);
      return endpoint ? [endpoint] : [];
    });
    let reach: (endpoint: { [key: string]: Json }) => TargetPort[];
    if (monitor.kind === 'ServiceMonitor') {
      const targets = serviceMonitorTargets(model.inventory, monitor);
      if ('invalidSelector' in targets) continue;
      reach = (endpoint) => serviceEndpointTargets(model, targets.services, endpoint, loaders);
    } else {
      const targets = podMonitorTargets(model.inventory, monitor);
      if (!targets) continue;
      // podMonitorTargets lists workloads only; the servers' own pods are matched here.
      const { namespaces, selector } = targets;
      const servers = loaders.flatMap((s) => {
        const pods = podSourceOf(s.item);
        if (!pods || !matchesSelector(selector, pods.labels)) return [];
        return namespaces === 'any' || namespaces.includes(pods.namespace) ? [pods] : [];
      });
      reach = (endpoint) => podEndpointTargets(model, servers, endpoint, loaders);
    }
    const name = `${monitor.kind} ${monitor.namespace ? `${monitor.namespace}/` : ''}${monitor.name}`;
    for (const endpoint of endpoints) {
      for (const target of reach(endpoint)) {
        const server = target.pods.item;
        if (!target.selfScrape || target.containerPort === undefined) continue;
        if (!loaders.some((s) => s.item === server)) continue;
        const ports = out.get(server) ?? new Map<number, Set<string>>();
        out.set(server, ports);
        const by = ports.get(target.containerPort) ?? new Set<string>();
        ports.set(target.containerPort, by);
        by.add(name);
      }
    }
  }
  return out;
}

/** `ServiceMonitor monitoring/prometheus-k8s scrapes port 8080, 9090; PodMonitor ... scrapes port 10902`. */
function scrapedBy(ports: ReadonlyMap<number, ReadonlySet<string>>): string {
  const byMonitor = new Map<string, number[]>();
  for (const [port, monitors] of [...ports].sort(([a], [b]) => a - b))
    for (const monitor of monitors) byMonitor.set(monitor, [...(byMonitor.get(monitor) ?? []), port]);
  return [...byMonitor]
    .map(([monitor, numbers]) => `${monitor} scrapes port ${numbers.join(', ')}`)
    .join('; ');
}

function exceptionPolicy(server: Item, selector: Record<string, string>, ports: readonly number[]): Item {
  const prefix = server.kind === 'PrometheusAgent' ? 'prom-agent' : 'prometheus';
  return portExceptionPolicy({
    generator: functionName,
    name: `${prefix}-${server.name}-self-scrape`,
    namespace: server.namespace ?? '',
    selector,
    ports,
    generatedFor: [scraperKey(server)],
  });
}

/**
 * The exceptions the servers of this run need in `inbound: mesh`: generated PeerAuthentications (to reconcile)
 * and ports written into user policies (done here), with a result for each decision.
 */
export function selfScrapeExceptions(
  items: readonly Item[],
  servers: readonly Item[],
  model: ScrapeModel,
  meshInbound: boolean,
): { wanted: Wanted[]; results: Result[] } {
  const wanted: Wanted[] = [];
  const results: Result[] = [];
  const edits = new Map<Item, AddedPort[]>();
  const handled = new Set(servers.map(scraperKey));
  const scrapedPorts = meshInbound
    ? selfScrapedPorts(items, model)
    : new Map<Item, Map<number, Set<string>>>();
  for (const server of meshInbound ? servers : []) {
    const pods = podSourceOf(server);
    if (!pods) continue;
    const at = { ref: server.ref, file: server.file };
    const count = scraperOf(server).pods;
    if (count < 2) continue;
    const scraped = scrapedPorts.get(server) ?? new Map<number, Set<string>>();
    if (scraped.size === 0) {
      results.push(
        info(
          `no self-scrape exception needed on ${server.describe()}: no ServiceMonitor or PodMonitor it loads scrapes its own pods`,
          at,
        ),
      );
      continue;
    }
    // A port the pods take out of inbound capture reaches the app in plain text whatever PeerAuthentication says,
    // so it needs no exception. Read from the annotations as this run's recipe leaves them (the pods' data is the
    // input's); the recipe's inject label puts the pods in the mesh, so only the port lists decide.
    const annotations = asObject(plain(server.node.getIn(['spec', 'podMetadata', 'annotations'], true)));
    const current = {
      ...pods,
      annotations: Object.fromEntries(
        Object.entries(annotations ?? {}).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
      ),
    };
    const uncaptured = new Map<number, string>();
    for (const port of scraped.keys()) {
      const reason = leftOut(current, port);
      if (reason !== undefined) uncaptured.set(port, reason);
    }
    for (const [port, reason] of uncaptured)
      results.push(
        info(
          `no self-scrape exception needed for port ${port} of ${server.describe()}: ${reason}, so plain http reaches it on every replica`,
          at,
        ),
      );
    const ports = [...scraped.keys()].filter((p) => !uncaptured.has(p));
    if (ports.length === 0) continue;
    const strict: number[] = [];
    const bySource = new Map<string, number[]>();
    for (const port of [...ports].sort((a, b) => a - b)) {
      const decision = model.policies.modeAt(pods.namespace, pods.labels, port);
      if (decision.assumed) model.assumptionUsed = true;
      if (decision.mode === 'STRICT') strict.push(port);
      const said = `${decision.mode} per ${decision.source}`;
      bySource.set(said, [...(bySource.get(said) ?? []), port]);
    }
    const modes = [...bySource]
      .map(([said, numbers]) => `port ${numbers.join(', ')} ${numbers.length > 1 ? 'are' : 'is'} ${said}`)
      .join('; ');
    const why = `${scrapedBy(scraped)}; it keeps inbound capture (inbound: mesh) and runs ${count} pods, each scraping its own pod directly in plain text and the others through their sidecars; ${modes}`;
    if (strict.length === 0) {
      results.push(
        info(
          `no self-scrape exception needed on ${server.describe()}: ${why}, where plain http is accepted`,
          at,
        ),
      );
      continue;
    }
    const selector = operatorSelectorLabels(server);
    const own = oldest(model.policies.policiesWithSelector(pods.namespace, selector));
    if (own) {
      const ownPorts = own.ports;
      const explicit = strict.filter((p) => ownPorts.get(p) === 'STRICT');
      if (explicit.length > 0)
        results.push(
          warning(
            `${own.item.describe()} sets port ${explicit.join(', ')} STRICT itself, but the http self-scrape of ${server.describe()} needs it PERMISSIVE (${why}): it fails on the other replicas there; set it PERMISSIVE or use inbound: bypass. Left as is`,
            { ref: own.item.ref, file: own.item.file, path: 'spec.portLevelMtls' },
          ),
        );
      const add = strict.filter((p) => !explicit.includes(p));
      edits.set(
        own.item,
        add.map((port) => ({ port, monitor: scraperKey(server) })),
      );
      continue;
    }
    const other = model.policies.workloadPolicy(pods.namespace, pods.labels);
    if (other)
      results.push(
        warning(
          `${other.item.describe()} also selects the pods of ${server.describe()}; Istio honours only the oldest workload policy, so the generated self-scrape exception may be ignored: add ports ${strict.join(', ')} (PERMISSIVE) to it, or give it the selector ${JSON.stringify(selector)} so the ports go into it`,
          at,
        ),
      );
    const policy = exceptionPolicy(server, selector, strict);
    wanted.push({
      item: policy,
      path: 'spec.portLevelMtls',
      reason: `opens port ${strict.join(', ')} of ${server.describe()} to plain text (PERMISSIVE) so its http self-scrape reaches every replica: ${why}; mtls.mode UNSET leaves its other ports as its namespace or the mesh decides`,
    });
  }
  const policies = items.filter(
    (item) =>
      item.kind === 'PeerAuthentication' &&
      item.group === 'security.istio.io' &&
      (edits.has(item) || addedPorts(item, functionName).length > 0),
  );
  for (const item of policies)
    results.push(...reconcileAddedPorts(item, functionName, edits.get(item) ?? [], handled));
  return { wanted, results };
}
