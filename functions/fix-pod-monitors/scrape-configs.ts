/**
 * ScrapeConfig has the PodMonitor's limit (SafeTLSConfig: no cert files), so it takes the scrape-class strategy
 * when its static targets are in the mesh, and is reported otherwise. A Probe scrapes through a prober (e.g. the
 * blackbox exporter); it is only reported, when the prober itself is in the mesh.
 */

import {
  combineMemberships,
  type Membership,
  namespaceMembership,
  podMembership,
} from '../../src/domain/mesh.js';
import { serviceOfUrl, type TargetMembership } from '../../src/domain/targets.js';
import {
  asObject,
  ensureMap,
  ensureMapPath,
  error,
  type Item,
  info,
  type Result,
  setScalar,
  warning,
} from '../../src/krm/index.js';
import type { FixContext } from './context.js';

function hostMembership(host: string, ctx: FixContext, namespace: string): TargetMembership | undefined {
  const service = serviceOfUrl(`http://${host}`, namespace);
  if (!service) return undefined;
  const found = ctx.inventory.service(service.namespace, service.name);
  if (!found) {
    const ns = namespaceMembership(ctx.inventory, service.namespace);
    return ns.state === 'unknown' ? undefined : ns;
  }
  const pods = ctx.inventory.podsOfService(found);
  if (pods.length === 0) return namespaceMembership(ctx.inventory, service.namespace);
  return combineMemberships(pods.map((p) => podMembership(ctx.inventory, p)));
}

function staticTargets(item: Item): string[] {
  const configs = asObject(item.data.spec)?.staticConfigs;
  if (!Array.isArray(configs)) return [];
  return configs.flatMap((c) => {
    const targets = asObject(c)?.targets;
    return Array.isArray(targets) ? targets.filter((t): t is string => typeof t === 'string') : [];
  });
}

/** Applies the scrape class to ScrapeConfigs whose static targets are all in the mesh; reports the rest. */
export function fixScrapeConfig(item: Item, ctx: FixContext): { results: Result[]; usesClass: boolean } {
  const at = { ref: item.ref, file: item.file };
  const spec = asObject(item.data.spec) ?? {};
  if (spec.staticConfigs !== undefined && spec.staticConfigs !== null && !Array.isArray(spec.staticConfigs)) {
    return {
      results: [error('spec.staticConfigs is not a list', { ...at, path: 'spec.staticConfigs' })],
      usesClass: false,
    };
  }
  const targets = staticTargets(item);
  const discovery = Object.keys(spec).filter((k) => k.endsWith('SDConfigs'));
  if (targets.length === 0) {
    const how = discovery.length > 0 ? discovery.join(', ') : 'no staticConfigs';
    return {
      results: [
        info(`targets come from ${how}; the list cannot show whether they are in the mesh: left as is`, at),
      ],
      usesClass: false,
    };
  }
  const memberships = targets.map((t) => hostMembership(t, ctx, item.namespace ?? ''));
  if (memberships.some((m) => m === undefined)) {
    return {
      results: [info('some targets are not Services the list shows: left as is', at)],
      usesClass: false,
    };
  }
  const combined = combineMemberships(memberships as Membership[]);
  if (combined.state !== 'mesh') {
    return {
      results: [info(`targets are not (all) in the mesh (${combined.reason}): left as is`, at)],
      usesClass: false,
    };
  }
  if (discovery.length > 0) {
    return {
      results: [
        warning(`mixes staticConfigs with ${discovery.join(', ')}: split it to fix the in-mesh part`, at),
      ],
      usesClass: false,
    };
  }
  const root = ensureMapPath(item.node, ['spec']);
  if (!root) return { results: [], usesClass: false };
  setScalar(root, 'scrapeClass', ctx.config.scrapeClass.name);
  setScalar(root, 'scheme', 'HTTPS');
  const tls = ensureMap(root, 'tlsConfig');
  if (tls) setScalar(tls, 'insecureSkipVerify', true);
  return { results: [], usesClass: true };
}

/** Reports a Probe whose prober is in the mesh: Prometheus reaches the prober under STRICT mTLS. */
export function reportProbe(item: Item, ctx: FixContext): Result[] {
  const url = asObject(asObject(item.data.spec)?.prober)?.url;
  if (typeof url !== 'string') return [];
  const membership = hostMembership(url.split('/')[0] ?? url, ctx, item.namespace ?? '');
  if (membership?.state !== 'mesh') return [];
  return [
    warning(
      `the prober ${url} is in the mesh (${membership.reason}): a Probe's tlsConfig cannot carry cert files, so set spec.scrapeClass: ${ctx.config.scrapeClass.name} and scheme https, or keep the prober outside the mesh`,
      { ref: item.ref, file: item.file, path: 'spec.prober.url' },
    ),
  ];
}
