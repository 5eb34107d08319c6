/**
 * scrape-class: the PodMonitor opts into a Prometheus scrape class that carries Istio's cert files (operator
 * >= v0.74 applies classes to PodMonitors). A class carries no scheme, so the endpoints set https themselves, and
 * insecureSkipVerify sits on the monitor because its own tlsConfig only gets the files from the class.
 */

import { olderThan, operatorVersionInList, parseVersion } from '../../src/domain/operator-version.js';
import { addScrapeClass } from '../../src/domain/scrape-class.js';
import {
  ensureMap,
  ensureMapPath,
  error,
  type Item,
  info,
  plain,
  type Result,
  seqAt,
  setScalar,
} from '../../src/krm/index.js';
import type { Analysis } from './analysis.js';
import { type FixContext, type StrategyOutcome, unchanged } from './context.js';

const minimum = parseVersion('0.74.0') as [number, number, number];

/** Why the strategy cannot apply, or undefined. */
export function scrapeClassRefusal(analysis: Analysis): string | undefined {
  if (analysis.appEndpoints.length === 0) return 'no endpoint needs a fix';
  return undefined;
}

/** Sets the scrape class, https and insecureSkipVerify on the monitor. */
export function applyScrapeClass(analysis: Analysis, ctx: FixContext): StrategyOutcome {
  const refusal = scrapeClassRefusal(analysis);
  if (refusal) return unchanged(info(`scrape-class: ${refusal}`, analysis.at()));
  const spec = ensureMapPath(analysis.monitor.node, ['spec']);
  if (!spec) return unchanged(error('spec must be a mapping', analysis.at('spec')));
  setScalar(spec, 'scrapeClass', ctx.config.scrapeClass.name);
  for (const endpoint of analysis.appEndpoints) {
    setScalar(endpoint.node, 'scheme', 'https');
    const tls = ensureMap(endpoint.node, 'tlsConfig');
    if (!tls)
      return unchanged(error('tlsConfig must be a mapping', analysis.at(`${endpoint.path}.tlsConfig`)));
    setScalar(tls, 'insecureSkipVerify', true);
  }
  return unchanged();
}

/** Makes sure the Prometheus servers in the list have the class, and the operator is new enough. */
export function scrapeClassPrerequisites(ctx: FixContext, users: readonly Item[]): Result[] {
  const results: Result[] = [];
  const name = ctx.config.scrapeClass.name;
  const configured = ctx.config.operatorVersion ? parseVersion(ctx.config.operatorVersion) : undefined;
  const found = configured ? undefined : operatorVersionInList(ctx.items);
  const version = configured ?? found?.version;
  if (version && olderThan(version, minimum)) {
    const where = found
      ? { ref: found.from.ref, file: found.from.file, path: found.path }
      : { path: 'operatorVersion' };
    const names = users.map((m) => m.describe()).join(', ');
    results.push(
      error(
        `prometheus-operator ${version.join('.')} does not apply scrape classes to PodMonitors (needs v0.74 or later): ${names}`,
        where,
      ),
    );
  }
  const servers = ctx.inventory.prometheusServers;
  if (servers.length === 0) {
    results.push(
      info(
        `no Prometheus in the list: make sure yours has scrape class ${name} (mount-istio-certs scrapeClass)`,
      ),
    );
  }
  for (const prometheus of servers) {
    const classes = seqAt(prometheus.node, ['spec', 'scrapeClasses']);
    const has = classes?.items.some((c) => (plain(c) as { name?: unknown } | undefined)?.name === name);
    if (has) continue;
    if (!ctx.config.updatePrometheus) {
      results.push(
        error(`has no scrape class ${name}, which the PodMonitors use (updatePrometheus: false)`, {
          ref: prometheus.ref,
          file: prometheus.file,
          path: 'spec.scrapeClasses',
        }),
      );
      continue;
    }
    results.push(
      ...addScrapeClass(prometheus, { name, default: ctx.config.scrapeClass.default }, ctx.config.certDir),
    );
  }
  return results;
}
