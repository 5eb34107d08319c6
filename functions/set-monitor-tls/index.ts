/**
 * set-monitor-tls: every ServiceMonitor endpoint that scrapes an in-mesh target goes https with Istio's cert files;
 * everything else stays as it is, with a result saying why.
 */
import { isMap, type YAMLMap, type YAMLSeq } from 'yaml';
import { serviceEndpointTargets } from '../../src/domain/endpoint-targets.js';
import { carriesIstioTls, istioTlsConfig } from '../../src/domain/istio-certs.js';
import { isServiceMonitor } from '../../src/domain/kinds.js';
import { alignNamespaceWaves } from '../../src/domain/namespace-wave.js';
import { endpointHasTls, type Requirement, ScrapeModel } from '../../src/domain/scrape-path.js';
import type { Scraper } from '../../src/domain/scrapers.js';
import { isSelected } from '../../src/domain/selection.js';
import { monitorNamespaces, serviceMonitorTargets } from '../../src/domain/targets.js';
import { ownTlsFixText, selfScrapePortList } from '../../src/domain/verdict.js';
import {
  asObject,
  defineFunction,
  ensureMap,
  error,
  fieldPath,
  type Item,
  info,
  plain,
  type Result,
  type ResultTarget,
  seqAt,
  setScalar,
  toNode,
  warning,
} from '../../src/krm/index.js';
import { authorizationNotes } from './authorization-notes.js';
import { type SetMonitorTlsConfig, setMonitorTlsSchema } from './config.js';
import { endpointRequirement, plainPortOf } from './endpoint-decision.js';
import { excludeTargetPorts, identityLessCallResults } from './own-tls.js';
import { functionName, generatedKinds, OwnTlsExceptions } from './own-tls-exceptions.js';

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

const monitorKey = (monitor: Item): string => `${monitor.kind}/${monitor.namespace ?? ''}/${monitor.name}`;

const sameDir = (a: string, b: string): boolean => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/** Counts for the run's summary. */
interface Tally {
  https: number;
  plain: number;
  unchanged: number;
  /** Scrapers that load a monitor this run set to https. */
  loaders: Set<Scraper>;
}

/** What to tell the user about a self-scrape: always http; in mesh mode with several pods, the exception it needs. */
function selfScrapeNotes(requirement: Extract<Requirement, { send: 'self' }>, at: ResultTarget): Result[] {
  const { scraper } = requirement;
  if (!requirement.meshInbound || !requirement.strict || scraper.pods < 2) return [];
  return [
    warning(
      `${scraper.label} keeps inbound capture (inbound: mesh) and runs ${scraper.pods} pods: each replica reaches its own target in plain text, the others through their STRICT sidecars, so http fails there; add a port-level PERMISSIVE exception for its own ports (${selfScrapePortList(scraper)}) on its pods, or use inbound: bypass`,
      at,
    ),
  ];
}

function processMonitor(
  monitor: Item,
  model: ScrapeModel,
  config: SetMonitorTlsConfig,
  tally: Tally,
  exceptions: OwnTlsExceptions,
): Result[] {
  exceptions.handled.add(monitorKey(monitor));
  const results: Result[] = [];
  const at = (path?: string): ResultTarget => ({ ref: monitor.ref, file: monitor.file, path });
  const root = monitor.node;
  const endpoints: YAMLSeq | undefined = seqAt(root, ['spec', 'endpoints']);
  if (!endpoints) return [error('a ServiceMonitor needs a list of endpoints', at('spec.endpoints'))];
  const targets = serviceMonitorTargets(model.inventory, monitor);
  if ('invalidSelector' in targets)
    return [
      error('spec.selector is missing or not a valid label selector ({} selects all)', at('spec.selector')),
    ];
  const loaders = model.scrapersOf(monitor).map((l) => l.scraper);
  const notLoaded = model.whyNotLoaded(monitor);
  if (notLoaded)
    results.push(
      warning(
        `no Prometheus in the list loads this monitor (${notLoaded}); decided from its targets alone`,
        at(),
      ),
    );
  const namespaces =
    targets.services.length > 0
      ? [...new Set(targets.services.map((s) => s.namespace ?? ''))]
      : monitorNamespaces(monitor);
  const wanted = istioTlsConfig(config.certDir);
  let warnedSelf = false;
  for (const [index, node] of endpoints.items.entries()) {
    const path = fieldPath(['spec', 'endpoints', index]);
    if (!isMap(node)) {
      results.push(error('an endpoint must be a mapping', at(path)));
      continue;
    }
    const endpoint = asObject(plain(node)) ?? {};
    const ports = serviceEndpointTargets(model, targets.services, endpoint, loaders);
    const ours = carriesIstioTls(endpoint, config.certDir);
    const converge = (reason: string): void => {
      if (ours) {
        removeOwnRecipe(node);
        tally.plain++;
        results.push(info(`removed https and the cert files this project set earlier: ${reason}`, at(path)));
      } else {
        tally.unchanged++;
        results.push(info(`left as is: ${reason}`, at(path)));
      }
    };
    const plainPort = plainPortOf(endpoint, ports, config);
    if (plainPort !== undefined) {
      converge(
        `port ${plainPort} is in plainPorts / plainPortNames (Istio never intercepts its metrics ports)`,
      );
      continue;
    }
    const requirement = endpointRequirement(model, ports, namespaces, config);
    const appTls = ports.some((t) => t.appTls);
    const own = (endpointHasTls(endpoint) && !ours) || appTls;
    switch (requirement.send) {
      case 'self':
        converge(`${requirement.reason}, so it stays http`);
        if (!warnedSelf) results.push(...selfScrapeNotes(requirement, at()));
        warnedSelf = true;
        continue;
      case 'plain':
        results.push(...authorizationNotes(model, loaders, ports, false, at(path)));
        if (own) {
          tally.unchanged++;
          results.push(
            info(
              `keeps its own TLS: ${requirement.reason.replace(/, so plain http$/, '')}, so Envoy hands the connection to the app as it is`,
              at(path),
            ),
          );
        } else converge(requirement.reason);
        continue;
      case 'app':
        if (own) {
          tally.unchanged++;
          results.push(info(`keeps its own TLS: ${requirement.reason}`, at(path)));
        } else converge(requirement.reason);
        continue;
      case 'ambient':
        tally.unchanged++;
        results.push(
          warning(
            `${requirement.reason}: ambient mode has no sidecar, so the cert-mount recipe does not apply; left as is`,
            at(path),
          ),
        );
        continue;
      case 'mixed':
        tally.unchanged++;
        results.push(
          warning(
            `targets need different schemes (${requirement.reason}); split the monitor, left as is`,
            at(path),
          ),
        );
        continue;
      case 'unknown':
        if (own) {
          tally.unchanged++;
          results.push(
            info(
              `keeps its own TLS: the list shows nothing about its targets (${requirement.reason}); overwrite does not apply`,
              at(path),
            ),
          );
          continue;
        }
        if (config.unknownTargets === 'skip') {
          tally.unchanged++;
          results.push(
            info(
              `the list shows nothing about the targets (${requirement.reason}); unknownTargets: skip`,
              at(path),
            ),
          );
          continue;
        }
        break;
      case 'istio-mtls':
        if (own && (!config.overwrite || appTls) && config.ownTls === 'permissive-port') {
          tally.unchanged++;
          const why = `ServiceMonitor ${monitor.namespace}/${monitor.name} scrapes it with its own TLS and ${requirement.reason}`;
          const refused = exceptions.ask(ports, monitorKey(monitor), why);
          results.push(
            ...(refused.length > 0
              ? refused.map((r: Result) => ({ ...r, resourceRef: monitor.ref, field: { path } }))
              : [
                  info(
                    `keeps its own TLS; its target port gets a port-level PERMISSIVE exception (ownTls: permissive-port): ${requirement.reason}`,
                    at(path),
                  ),
                ]),
          );
          continue;
        }
        if (own && (!config.overwrite || appTls) && config.ownTls === 'exclude-port') {
          tally.unchanged++;
          const why = `ServiceMonitor ${monitor.namespace}/${monitor.name} scrapes it with its own TLS and ${requirement.reason}`;
          const edits = excludeTargetPorts(ports, why);
          results.push(
            info(
              `keeps its own TLS; its target port leaves inbound capture (ownTls: exclude-port): ${requirement.reason}`,
              at(path),
            ),
            ...edits,
          );
          continue;
        }
        if (own && (!config.overwrite || appTls)) {
          tally.unchanged++;
          results.push(
            warning(
              `${appTls ? 'scrapes an app that serves TLS itself' : 'has its own TLS'} on a port Istio captures under STRICT (${requirement.reason}): neither its TLS nor Istio's mTLS reaches the app; ${ownTlsFixText(ports)}${appTls ? '' : '; or, if the app serves plain http behind the sidecar, overwrite: true sets the cert files'}`,
              at(path),
            ),
          );
          continue;
        }
        break;
    }
    const missing = loaders.filter((s) => !s.mountsCerts);
    if (missing.length > 0) {
      tally.unchanged++;
      // Where the list does not even show the targets in the mesh, a missing mount is worth a warning, not a failure.
      results.push(
        (requirement.send === 'unknown' ? warning : error)(
          `needs https with the cert files (${requirement.reason}), but ${missing.map((s) => s.label).join(', ')} does not mount them (no istio-certs volume mount): run mount-istio-certs first; left as is`,
          at(path),
        ),
      );
      continue;
    }
    const elsewhere = loaders.filter(
      (s) => s.certMountPath !== undefined && !sameDir(s.certMountPath, config.certDir),
    );
    if (elsewhere.length > 0) {
      tally.unchanged++;
      results.push(
        error(
          `needs https with the cert files (${requirement.reason}), but ${elsewhere.map((s) => `${s.label} mounts them at ${s.certMountPath}`).join(', ')}, not at certDir ${config.certDir}; left as is`,
          at(path),
        ),
      );
      continue;
    }
    for (const scraper of loaders) tally.loaders.add(scraper);
    results.push(...authorizationNotes(model, loaders, ports, true, at(path)));
    if (ours && !config.overwrite) {
      tally.unchanged++;
      results.push(info(`already https with the cert files: ${requirement.reason}`, at(path)));
      continue;
    }
    applyTls(node, wanted, config.overwrite);
    tally.https++;
    const why =
      requirement.send === 'unknown'
        ? `the list shows nothing about the targets (${requirement.reason}); unknownTargets: tls`
        : requirement.reason;
    results.push(info(`set https with the cert files in ${config.certDir}: ${why}`, at(path)));
  }
  return results;
}

/** Reports Prometheus servers that would reject monitors carrying file paths. */
function fsAccessProblems(loaders: Iterable<Scraper>): Result[] {
  return [...loaders]
    .map((s) => s.item)
    .flatMap((prometheus) => {
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
  generates: Object.keys(generatedKinds),
  run(items, config) {
    const model = new ScrapeModel(items, { ...config, ignoreExceptionsBy: functionName });
    const exceptions = new OwnTlsExceptions();
    const results: Result[] = [];
    const tally: Tally = { https: 0, plain: 0, unchanged: 0, loaders: new Set() };
    for (const item of items) {
      if (!isServiceMonitor(item) || !isSelected(item, config)) continue;
      const key = `${item.namespace ?? ''}/${item.name}`;
      if (config.skipMonitors.includes(item.name) || config.skipMonitors.includes(key)) {
        results.push(info('listed in skipMonitors: left as is', { ref: item.ref, file: item.file }));
        continue;
      }
      results.push(...processMonitor(item, model, config, tally, exceptions));
    }
    results.push(...identityLessCallResults(model, items, config, exceptions));
    const applied = exceptions.apply(items, model);
    results.push(...applied.results);
    results.push(...fsAccessProblems(tally.loaders));
    results.push(...alignNamespaceWaves(applied.items));
    if (model.assumptionUsed)
      results.push(
        info(
          `the list has no mesh-wide PeerAuthentication in ${config.rootNamespace}: assumed meshMtls: ${config.meshMtls} where no namespace or workload policy decides`,
        ),
      );
    results.push(
      info(
        `summary: ${tally.https} endpoint(s) set to https with the cert files, ${tally.plain} returned to plain http, ${tally.unchanged} left as they were`,
      ),
    );
    return { items: applied.items, results };
  },
});
