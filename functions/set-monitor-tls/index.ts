/**
 * set-monitor-tls: every ServiceMonitor endpoint that scrapes an in-mesh target goes https with Istio's cert files;
 * everything else stays as it is, with a result saying why.
 */
import { isMap, type YAMLMap, type YAMLSeq } from 'yaml';
import { Inventory } from '../../src/domain/inventory.js';
import {
  carriesIstioTls,
  type InboundMode,
  inboundModeOf,
  istioTlsConfig,
} from '../../src/domain/istio-certs.js';
import { isPrometheusServer, isServiceMonitor } from '../../src/domain/kinds.js';
import { isSelected } from '../../src/domain/selection.js';
import { endpointPorts, serviceMonitorTargets, type Targets } from '../../src/domain/targets.js';
import {
  asObject,
  defineFunction,
  ensureMap,
  error,
  fieldPath,
  type Item,
  info,
  type Json,
  plain,
  type Result,
  type ResultTarget,
  seqAt,
  setScalar,
  toNode,
  warning,
} from '../../src/krm/index.js';
import { type SetMonitorTlsConfig, setMonitorTlsSchema } from './config.js';

/** What happens to a monitor as a whole, before looking at its endpoints. */
type Plan =
  | { tls: true; note?: Result; onlyIfApplied?: true }
  | { tls: false; note: Result }
  | { tls: 'plain-self'; note: Result };

/** An empty `tlsConfig: {}` says nothing, so it does not count as the endpoint's own TLS. */
function hasOwnTls(endpoint: { [key: string]: Json }): boolean {
  const tls = asObject(endpoint.tlsConfig);
  return endpoint.scheme === 'https' || (tls !== undefined && Object.keys(tls).length > 0);
}

/** The inbound mode of the Prometheus whose pods a monitor scrapes, if it scrapes one. */
function selfScrapeMode(targets: Targets, config: SetMonitorTlsConfig): InboundMode | undefined {
  const prometheus = targets.pods.find((p) => isPrometheusServer(p.item));
  if (!prometheus) return undefined;
  if (config.inbound !== 'auto') return config.inbound;
  return inboundModeOf(prometheus.annotations);
}

function planFor(monitor: Item, targets: Targets, config: SetMonitorTlsConfig, at: ResultTarget): Plan {
  const { membership } = targets;
  const selfMode = selfScrapeMode(targets, config);
  if (selfMode === 'bypass') {
    return {
      tls: 'plain-self',
      note: info(
        'scrapes Prometheus itself, whose pod bypasses inbound capture (inbound: bypass): left on http',
        at,
      ),
    };
  }
  switch (membership.state) {
    case 'mesh':
      return { tls: true };
    case 'plain':
      return {
        tls: false,
        note: info(`targets are outside the mesh (${membership.reason}): left as is`, at),
      };
    case 'ambient':
      return {
        tls: false,
        note: warning(
          `${membership.reason}: ambient mode has no sidecar, so the cert-mount recipe does not apply; left as is`,
          at,
        ),
      };
    case 'mixed':
      return {
        tls: false,
        note: warning(
          `targets are partly in and partly outside the mesh (${membership.reason}); split the monitor`,
          at,
        ),
      };
    case 'unknown':
      if (config.unknownTargets === 'skip') {
        return {
          tls: false,
          note: info(
            `the list shows nothing about the targets (${membership.reason}); unknownTargets: skip`,
            at,
          ),
        };
      }
      return {
        tls: true,
        onlyIfApplied: true,
        note: info(
          `the list shows nothing about the targets of ${monitor.describe()} (${membership.reason}); set TLS as unknownTargets: tls says`,
          at,
        ),
      };
  }
}

function removeOwnRecipe(endpoint: YAMLMap): void {
  endpoint.delete('tlsConfig');
  endpoint.delete('scheme');
}

function applyTls(endpoint: YAMLMap, wanted: Record<string, string | boolean>, replace: boolean): void {
  setScalar(endpoint, 'scheme', 'https');
  if (replace) {
    endpoint.set('tlsConfig', toNode(wanted));
    return;
  }
  const tls = ensureMap(endpoint, 'tlsConfig');
  if (!tls) {
    endpoint.set('tlsConfig', toNode(wanted));
    return;
  }
  for (const [key, value] of Object.entries(wanted)) setScalar(tls, key, value);
}

function processMonitor(
  monitor: Item,
  inventory: Inventory,
  config: SetMonitorTlsConfig,
): { results: Result[]; tls: boolean } {
  const results: Result[] = [];
  const at = (path?: string): ResultTarget => ({ ref: monitor.ref, file: monitor.file, path });
  const root = monitor.node;
  const endpoints: YAMLSeq | undefined = seqAt(root, ['spec', 'endpoints']);
  if (!endpoints) {
    return {
      results: [error('a ServiceMonitor needs a list of endpoints', at('spec.endpoints'))],
      tls: false,
    };
  }
  const targets = serviceMonitorTargets(inventory, monitor);
  if ('invalidSelector' in targets) {
    return {
      results: [
        error('spec.selector is missing or not a valid label selector ({} selects all)', at('spec.selector')),
      ],
      tls: false,
    };
  }
  const plan = planFor(monitor, targets, config, at());
  const wanted = istioTlsConfig(config.certDir);
  let applied = false;
  for (const [index, node] of endpoints.items.entries()) {
    const path = fieldPath(['spec', 'endpoints', index]);
    if (!isMap(node)) {
      results.push(error('an endpoint must be a mapping', at(path)));
      continue;
    }
    const endpoint = asObject(plain(node)) ?? {};
    const ports = endpointPorts(endpoint, targets.services, targets.pods);
    const plainPort =
      [...ports.numbers].find((n) => config.plainPorts.includes(n)) ??
      [...ports.names].find((n) => config.plainPortNames.includes(n));
    const same = carriesIstioTls(endpoint, config.certDir);
    if (plainPort !== undefined) {
      results.push(
        info(
          `port ${plainPort} is in plainPorts / plainPortNames (Istio never intercepts its metrics ports): left plain`,
          at(path),
        ),
      );
      continue;
    }
    if (plan.tls === 'plain-self') {
      // A previous run in mesh mode may have set the recipe here; converge to plain http.
      if (same) removeOwnRecipe(node);
      continue;
    }
    if (!plan.tls) continue;
    if (same && !config.overwrite) continue;
    if (hasOwnTls(endpoint) && !same && !config.overwrite) {
      results.push(
        info('endpoint has its own TLS settings: left as is (overwrite: true replaces them)', at(path)),
      );
      continue;
    }
    applyTls(node, wanted, config.overwrite);
    applied = true;
  }
  const onlyIfApplied = plan.tls === true && plan.onlyIfApplied;
  if (plan.note && (applied || !onlyIfApplied)) results.unshift(plan.note);
  return { results, tls: applied || plan.tls === true };
}

/** Reports Prometheus servers that would reject monitors carrying file paths. */
function fsAccessProblems(inventory: Inventory): Result[] {
  return inventory.prometheusServers.flatMap((prometheus) => {
    const deny = asObject(asObject(asObject(prometheus.data.spec)?.arbitraryFSAccessThroughSMs))?.deny;
    if (deny !== true) return [];
    return [
      error(
        'arbitraryFSAccessThroughSMs.deny: true makes this Prometheus reject ServiceMonitors whose tlsConfig names cert files; set it to false or use a scrape class',
        { ref: prometheus.ref, file: prometheus.file, path: 'spec.arbitraryFSAccessThroughSMs.deny' },
      ),
    ];
  });
}

/** The set-monitor-tls function. */
export const setMonitorTls = defineFunction({
  name: 'set-monitor-tls',
  kind: 'SetMonitorTLS',
  summary: "Sets https and Istio's cert files on ServiceMonitor endpoints that scrape in-mesh targets.",
  schema: setMonitorTlsSchema,
  run(items, config) {
    const inventory = new Inventory(items);
    const results: Result[] = [];
    let anyTls = false;
    for (const item of items) {
      if (!isServiceMonitor(item) || !isSelected(item, config)) continue;
      const key = `${item.namespace ?? ''}/${item.name}`;
      if (config.skipMonitors.includes(item.name) || config.skipMonitors.includes(key)) {
        results.push(info('listed in skipMonitors: left as is', { ref: item.ref, file: item.file }));
        continue;
      }
      const outcome = processMonitor(item, inventory, config);
      results.push(...outcome.results);
      anyTls ||= outcome.tls;
    }
    if (anyTls) results.push(...fsAccessProblems(inventory));
    return { items, results };
  },
});
