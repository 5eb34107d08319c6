/**
 * scrape-class: the PodMonitor opts into a Prometheus scrape class that carries Istio's cert files (operator
 * >= v0.74 applies classes to PodMonitors). A class carries no scheme, so the endpoints set https themselves, and
 * insecureSkipVerify sits on the monitor because its own tlsConfig only gets the files from the class. The class
 * goes only to the Prometheus resources that load the monitor, and only to those that mount the certs.
 */

import { certVolumeName } from '../../src/domain/istio-certs.js';
import { olderThan, operatorVersionInList, parseVersion } from '../../src/domain/operator-version.js';
import { addScrapeClass } from '../../src/domain/scrape-class.js';
import type { Scraper } from '../../src/domain/scrapers.js';
import {
  asObject,
  ensureMap,
  ensureMapPath,
  error,
  type Item,
  info,
  mapAt,
  plain,
  type Result,
  type ResultTarget,
  seqAt,
  setScalar,
  warning,
} from '../../src/krm/index.js';
import type { Analysis } from './analysis.js';
import { type FixContext, type StrategyOutcome, unchanged } from './context.js';

const minimum = parseVersion('0.74.0') as [number, number, number];

const at = (item: Item, path?: string): ResultTarget => ({ ref: item.ref, file: item.file, path });

/** Why the strategy cannot apply, or undefined. */
export function scrapeClassRefusal(analysis: Analysis, ctx?: FixContext): string | undefined {
  if (analysis.appEndpoints.length === 0) return 'no endpoint needs a fix';
  const unmounted = ctx ? unmountedLoaders(analysis.monitor, ctx) : [];
  if (unmounted.length > 0)
    return `${unmounted.map((s) => s.label).join(', ')} loads it but does not mount the ${certVolumeName} volume (run mount-istio-certs first)`;
  return undefined;
}

function unmountedLoaders(monitor: Item, ctx: FixContext): Scraper[] {
  return ctx.model
    .scrapersOf(monitor)
    .map((l) => l.scraper)
    .filter((s) => !s.mountsCerts);
}

/** Sets the scrape class, https and insecureSkipVerify on the monitor, unless a Prometheus loading it lacks the certs. */
export function applyScrapeClass(analysis: Analysis, ctx: FixContext, reason: string): StrategyOutcome {
  if (analysis.appEndpoints.length === 0)
    return unchanged(info('scrape-class: no endpoint needs a fix', analysis.at()));
  const unmounted = unmountedLoaders(analysis.monitor, ctx);
  if (unmounted.length > 0)
    return unchanged(
      ...unmounted.map((scraper) =>
        error(
          `loads ${analysis.monitor.describe()}, which needs https with Istio's certs (${reason}), but does not mount the ${certVolumeName} volume: run mount-istio-certs first; the monitor is left as is`,
          at(scraper.item, 'spec.volumeMounts'),
        ),
      ),
    );
  const spec = ensureMapPath(analysis.monitor.node, ['spec']);
  if (!spec) return unchanged(error('spec must be a mapping', analysis.at('spec')));
  const name = ctx.config.scrapeClass.name;
  const results: Result[] = [];
  if (setScalar(spec, 'scrapeClass', name))
    results.push(
      info(
        `set scrape class ${name}, which carries Istio's cert files: ${reason}`,
        analysis.at('spec.scrapeClass'),
      ),
    );
  for (const endpoint of analysis.appEndpoints) {
    const scheme = setScalar(endpoint.node, 'scheme', 'https');
    const tls = ensureMap(endpoint.node, 'tlsConfig');
    if (!tls)
      return unchanged(error('tlsConfig must be a mapping', analysis.at(`${endpoint.path}.tlsConfig`)));
    const skip = setScalar(tls, 'insecureSkipVerify', true);
    if (scheme || skip)
      results.push(
        info(
          `set scheme: https and tlsConfig.insecureSkipVerify: true (Istio's certs name SPIFFE identities, not hosts) for scrape class ${name}`,
          analysis.at(endpoint.path),
        ),
      );
  }
  if (results.length === 0)
    results.push(
      info(`already uses scrape class ${name} with https: ${reason}`, analysis.at('spec.scrapeClass')),
    );
  return { results, generated: [], removeMonitor: false };
}

/**
 * Takes back what an earlier scrape-class fix set, where the path no longer needs it: the class, https and
 * insecureSkipVerify (https toward a PERMISSIVE, DISABLE or uncaptured port fails whoever set it).
 */
export function undoScrapeClass(analysis: Analysis, ctx: FixContext, reason: string): Result[] {
  const spec = mapAt(analysis.monitor.node, ['spec']);
  const name = ctx.config.scrapeClass.name;
  if (!spec || plain(spec.get('scrapeClass')) !== name) return [];
  spec.delete('scrapeClass');
  const results = [
    info(`removed scrape class ${name} this project set earlier: ${reason}`, analysis.at('spec.scrapeClass')),
  ];
  for (const endpoint of analysis.appEndpoints) {
    if (endpoint.data.scheme !== 'https') continue;
    endpoint.node.delete('scheme');
    const tls = mapAt(endpoint.node, ['tlsConfig']);
    if (tls) {
      tls.delete('insecureSkipVerify');
      if (tls.items.length === 0) endpoint.node.delete('tlsConfig');
    }
    results.push(
      info(
        `removed scheme: https and insecureSkipVerify: plain http is what the port takes`,
        analysis.at(endpoint.path),
      ),
    );
  }
  return results;
}

function operatorProblems(ctx: FixContext, users: readonly Item[]): Result[] {
  const configured = ctx.config.operatorVersion ? parseVersion(ctx.config.operatorVersion) : undefined;
  const found = configured ? undefined : operatorVersionInList(ctx.items);
  const version = configured ?? found?.version;
  if (!version || !olderThan(version, minimum)) return [];
  const where = found
    ? { ref: found.from.ref, file: found.from.file, path: found.path }
    : { path: 'operatorVersion' };
  const names = users.map((m) => m.describe()).join(', ');
  return [
    error(
      `prometheus-operator ${version.join('.')} does not apply scrape classes to PodMonitors (needs v0.74 or later): ${names}`,
      where,
    ),
  ];
}

/** The Prometheus resources that load the class users, with the users each loads; warnings for users nobody loads. */
function loadersOfUsers(
  ctx: FixContext,
  users: readonly Item[],
): { loaders: Map<Scraper, Item[]>; results: Result[] } {
  const loaders = new Map<Scraper, Item[]>();
  const results: Result[] = [];
  for (const user of users) {
    const found = ctx.model.scrapersOf(user).map((l) => l.scraper);
    const notLoaded = ctx.model.whyNotLoaded(user);
    if (notLoaded)
      results.push(
        warning(
          `no Prometheus in the list loads it (${notLoaded}): add scrape class ${ctx.config.scrapeClass.name} to the one that does`,
          at(user),
        ),
      );
    for (const scraper of found) loaders.set(scraper, [...(loaders.get(scraper) ?? []), user]);
  }
  return { loaders, results };
}

const denies = (prometheus: Item): boolean =>
  asObject(asObject(asObject(prometheus.data.spec)?.arbitraryFSAccessThroughSMs))?.deny === true;

/** Adds the class to the Prometheus resources that load its users and mount the certs; checks the operator. */
export function scrapeClassPrerequisites(ctx: FixContext, users: readonly Item[]): Result[] {
  const name = ctx.config.scrapeClass.name;
  const results = operatorProblems(ctx, users);
  if (ctx.model.scrapers.length === 0)
    results.push(
      info(
        `no Prometheus in the list: make sure yours has scrape class ${name} (mount-istio-certs scrapeClass)`,
      ),
    );
  const { loaders, results: unloaded } = loadersOfUsers(ctx, users);
  results.push(...unloaded);
  for (const [scraper, loaded] of loaders) {
    const prometheus = scraper.item;
    const what = loaded.map((m) => m.describe()).join(', ');
    if (!scraper.mountsCerts) {
      results.push(
        error(
          `loads ${what}, which use scrape class ${name}, but does not mount the ${certVolumeName} volume: run mount-istio-certs first`,
          at(prometheus, 'spec.volumeMounts'),
        ),
      );
      continue;
    }
    if (denies(prometheus))
      results.push(
        info(
          `arbitraryFSAccessThroughSMs.deny: true rejects cert file paths in monitors; scrape class ${name} is the route, its files are this Prometheus' own configuration`,
          at(prometheus, 'spec.arbitraryFSAccessThroughSMs.deny'),
        ),
      );
    const classes = seqAt(prometheus.node, ['spec', 'scrapeClasses']);
    const has = classes?.items.some((c) => (plain(c) as { name?: unknown } | undefined)?.name === name);
    if (has) continue;
    if (!ctx.config.updatePrometheus) {
      results.push(
        error(
          `has no scrape class ${name}, used by ${what} (updatePrometheus: false)`,
          at(prometheus, 'spec.scrapeClasses'),
        ),
      );
      continue;
    }
    const added = addScrapeClass(
      prometheus,
      { name, default: ctx.config.scrapeClass.default },
      ctx.config.certDir,
    );
    results.push(...added);
    if (!added.some((r) => r.severity === 'error'))
      results.push(
        info(
          `added scrape class ${name} with the cert files in ${ctx.config.certDir}: it loads ${what}`,
          at(prometheus, 'spec.scrapeClasses'),
        ),
      );
  }
  return results;
}
