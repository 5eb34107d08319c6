/**
 * ScrapeConfig has the PodMonitor's limit (SafeTLSConfig: no cert files), so it takes the scrape-class strategy,
 * decided from the scrape path as PodMonitors are: a static target naming an in-cluster Service
 * (`<service>.<namespace>.svc:<port>`) reaches, on each pod set behind it, the container port that Service port
 * targets. Only a captured STRICT port needs https with the class; a PERMISSIVE, DISABLE or uncaptured one takes
 * plain http, and what an earlier run set is taken back. The class goes only on ScrapeConfigs a Prometheus of the
 * list loads (or any, when the list has none). A Probe scrapes through a prober (e.g. the blackbox exporter); it is
 * only reported, when the prober's port is captured STRICT.
 */

import type { YAMLMap } from 'yaml';
import type { PodSource } from '../../src/domain/pod-sources.js';
import type { Requirement } from '../../src/domain/scrape-path.js';
import type { Scraper } from '../../src/domain/scrapers.js';
import { serviceOfUrl } from '../../src/domain/targets.js';
import {
  asObject,
  ensureMap,
  ensureMapPath,
  error,
  failure,
  type Item,
  info,
  type Json,
  mapAt,
  type Outcome,
  plain,
  type Result,
  type ResultTarget,
  setScalar,
  success,
  warning,
} from '../../src/krm/index.js';
import type { FixContext } from './context.js';
import { verdictFrom } from './decision.js';

/** What handling one ScrapeConfig gives: its results, and whether it now uses the scrape class. */
interface ScrapeConfigOutcome {
  results: Result[];
  usesClass: boolean;
}

const left = (...results: Result[]): ScrapeConfigOutcome => ({ results, usesClass: false });

/** The Service port's target (`targetPort`, else `port`) for a port number; the number itself on a headless one. */
function servicePortTarget(service: Item, port: number): Json | undefined {
  const spec = asObject(service.data.spec);
  const ports = Array.isArray(spec?.ports) ? spec.ports.map((p) => asObject(p) ?? {}) : [];
  const found = ports.find((p) => p.port === port);
  if (found) return found.targetPort ?? found.port;
  // A headless Service's name resolves to the pod addresses, so the target port is the container port.
  return spec?.clusterIP === 'None' ? port : undefined;
}

/** The container port a Service port's target means on some pods (a name is looked up in their ports). */
function containerPortOn(target: Json | undefined, pods: PodSource): number | undefined {
  if (typeof target === 'number') return target;
  if (typeof target !== 'string') return undefined;
  return /^\d+$/.test(target) ? Number(target) : pods.ports.byName.get(target);
}

/**
 * What must be sent to one static target (`host:port`), one requirement per pod set behind its Service (the
 * namespace's when the list shows no pods), or why the list cannot tell.
 */
function targetRequirements(
  target: string,
  namespace: string,
  ctx: FixContext,
  loaders: readonly Scraper[],
): Outcome<Requirement[], string> {
  const match = /^(.+):(\d+)$/.exec(target);
  const host = match?.[1] ?? target;
  // A one-label name resolves in the scraping Prometheus' namespace (or is localhost): not a Service this list names.
  const named = host.includes('.') ? serviceOfUrl(`http://${host}`, namespace) : undefined;
  if (!named) return failure([`${target} is not an in-cluster Service (<service>.<namespace>.svc:<port>)`]);
  if (match === null) return failure([`${target} names no port, so the scheme picks it (80 or 443)`]);
  const port = Number(match[2]);
  const service = ctx.inventory.service(named.namespace, named.name);
  if (!service) return success([ctx.model.requirementInNamespaces([named.namespace])]);
  const servicePort = servicePortTarget(service, port);
  if (servicePort === undefined)
    return failure([`Service ${named.namespace}/${named.name} has no port ${port}`]);
  const pods = ctx.inventory.podsOfService(service);
  if (pods.length === 0) return success([ctx.model.requirementInNamespaces([named.namespace])]);
  return success(
    pods.map((p) =>
      ctx.model.requirementAt(ctx.model.targetPort(p, containerPortOn(servicePort, p), loaders)),
    ),
  );
}

function staticTargets(item: Item): string[] {
  const configs = asObject(item.data.spec)?.staticConfigs;
  if (!Array.isArray(configs)) return [];
  return configs.flatMap((c) => {
    const targets = asObject(c)?.targets;
    return Array.isArray(targets) ? targets.filter((t): t is string => typeof t === 'string') : [];
  });
}

/** Sets the scrape class, scheme HTTPS and insecureSkipVerify (the class carries the cert files, not the scheme). */
function applyClass(item: Item, ctx: FixContext, reason: string): ScrapeConfigOutcome {
  const at = (path?: string): ResultTarget => ({ ref: item.ref, file: item.file, path });
  const spec = ensureMapPath(item.node, ['spec']);
  if (!spec) return left(error('spec must be a mapping', at('spec')));
  if (spec.has('tlsConfig') && !mapAt(spec, ['tlsConfig']))
    return left(error('spec.tlsConfig must be a mapping', at('spec.tlsConfig')));
  const name = ctx.config.scrapeClass.name;
  const changed = [
    setScalar(spec, 'scrapeClass', name),
    setScalar(spec, 'scheme', 'HTTPS'),
    setScalar(ensureMap(spec, 'tlsConfig') as YAMLMap, 'insecureSkipVerify', true),
  ].some(Boolean);
  const result = changed
    ? info(
        `set scrape class ${name}, which carries Istio's cert files, with scheme: HTTPS and tlsConfig.insecureSkipVerify: true (Istio's certs name SPIFFE identities, not hosts): ${reason}`,
        at('spec.scrapeClass'),
      )
    : info(`already uses scrape class ${name} with HTTPS: ${reason}`, at('spec.scrapeClass'));
  return { results: [result], usesClass: true };
}

/** Takes back the class, HTTPS and insecureSkipVerify an earlier run set, where the targets take plain http. */
function undoClass(item: Item, ctx: FixContext, reason: string): Result[] {
  const at = (path?: string): ResultTarget => ({ ref: item.ref, file: item.file, path });
  const spec = mapAt(item.node, ['spec']);
  const name = ctx.config.scrapeClass.name;
  if (!spec || plain(spec.get('scrapeClass')) !== name) return [info(`no fix needed: ${reason}`, at())];
  spec.delete('scrapeClass');
  const scheme = plain(spec.get('scheme'));
  if (typeof scheme === 'string' && scheme.toUpperCase() === 'HTTPS') spec.delete('scheme');
  const tls = mapAt(spec, ['tlsConfig']);
  if (tls) {
    tls.delete('insecureSkipVerify');
    if (tls.items.length === 0) spec.delete('tlsConfig');
  }
  return [
    info(
      `removed scrape class ${name}, scheme: HTTPS and insecureSkipVerify this project set earlier: ${reason}`,
      at('spec.scrapeClass'),
    ),
  ];
}

/**
 * Decides a ScrapeConfig from the scrape path of its static targets: the scrape class where they are captured and
 * STRICT (and a Prometheus of the list loads it), plain http where they are not; a result for every decision.
 */
export function fixScrapeConfig(item: Item, ctx: FixContext): ScrapeConfigOutcome {
  const at = { ref: item.ref, file: item.file };
  const spec = asObject(item.data.spec) ?? {};
  if (spec.staticConfigs !== undefined && spec.staticConfigs !== null && !Array.isArray(spec.staticConfigs))
    return left(error('spec.staticConfigs is not a list', { ...at, path: 'spec.staticConfigs' }));
  const targets = staticTargets(item);
  const discovery = Object.keys(spec).filter((k) => k.endsWith('SDConfigs'));
  if (targets.length === 0) {
    const how = discovery.length > 0 ? discovery.join(', ') : 'no staticConfigs';
    return left(
      info(`targets come from ${how}; the list cannot show whether they are in the mesh: left as is`, at),
    );
  }
  const loaders = ctx.model.scrapersOf(item).map((l) => l.scraper);
  const requirements: Requirement[] = [];
  for (const target of targets) {
    const found = targetRequirements(target, item.namespace ?? '', ctx, loaders);
    if (!found.ok) return left(info(`${found.problems.join('; ')}: left as is`, at));
    requirements.push(...found.value);
  }
  const verdict = verdictFrom(requirements, ctx);
  if (verdict.need === 'leave')
    return left((verdict.severity === 'warning' ? warning : info)(verdict.reason, at));
  if (discovery.length > 0)
    return left(
      verdict.need === 'fix'
        ? warning(`mixes staticConfigs with ${discovery.join(', ')}: split it to fix the in-mesh part`, at)
        : info(
            `its static targets take plain http (${verdict.reason}), but the list cannot show where the ${discovery.join(', ')} targets are: left as is`,
            at,
          ),
    );
  if (verdict.need === 'none') return left(...undoClass(item, ctx, verdict.reason));
  const notLoaded = ctx.model.whyNotLoaded(item);
  if (notLoaded)
    return left(
      warning(
        `needs https with Istio's cert files (${verdict.reason}), but no Prometheus in the list loads it (${notLoaded}): left without scrape class ${ctx.config.scrapeClass.name}; select it in the scrapeConfigSelector of the Prometheus that should scrape it`,
        at,
      ),
    );
  return applyClass(item, ctx, verdict.reason);
}

/** Reports a Probe whose prober port is captured STRICT: Prometheus reaches the prober only with Istio's mTLS. */
export function reportProbe(item: Item, ctx: FixContext): Result[] {
  const url = asObject(asObject(item.data.spec)?.prober)?.url;
  if (typeof url !== 'string') return [];
  const loaders = ctx.model.scrapersOf(item).map((l) => l.scraper);
  const found = targetRequirements(url.split('/')[0] ?? url, item.namespace ?? '', ctx, loaders);
  const strict = found.ok ? found.value.filter((r) => r.send === 'istio-mtls') : [];
  if (strict.length === 0) return [];
  const reason = [...new Set(strict.map((r) => r.reason))].join('; ');
  return [
    warning(
      `the prober ${url} is behind a sidecar that takes only Istio's mTLS (${reason}): a Probe's tlsConfig cannot carry cert files, so set spec.scrapeClass: ${ctx.config.scrapeClass.name} and scheme https, or keep the prober outside the mesh`,
      { ref: item.ref, file: item.file, path: 'spec.prober.url' },
    ),
  ];
}
