/**
 * Whether a PodMonitor needs a fix, decided from the scrape path: its endpoints' container ports, their capture
 * and the effective mTLS mode there (the model leaves out this function's own port exceptions, so an earlier fix
 * does not hide the need for it). Only a captured STRICT port needs one; PERMISSIVE, DISABLE and uncaptured ports
 * take plain http, which a PodMonitor already sends.
 */
import { podEndpointTargets } from '../../src/domain/endpoint-targets.js';
import type { Requirement } from '../../src/domain/scrape-path.js';
import type { Analysis } from './analysis.js';
import type { FixContext } from './context.js';

/** What the path says about one PodMonitor. */
export type Verdict =
  /** A captured STRICT port (or targets the list does not show, with unknownTargets: tls): a strategy runs. */
  | { need: 'fix'; reason: string }
  /** Every target takes plain http (or the app's own scheme): nothing to fix, an earlier fix is undone. */
  | { need: 'none'; reason: string }
  /** Ambient, mixed, or unknown with unknownTargets: skip: left as it is. */
  | { need: 'leave'; reason: string; severity: 'info' | 'warning' };

const noFix = new Set<Requirement['send']>(['plain', 'app', 'self']);

/** The requirements of the monitor's endpoints, one per target port (the namespaces' when no pod is shown). */
export function endpointRequirements(analysis: Analysis, ctx: FixContext): Requirement[] {
  const loaders = ctx.model.scrapersOf(analysis.monitor).map((l) => l.scraper);
  return analysis.appEndpoints.flatMap((endpoint) => {
    const targets = podEndpointTargets(ctx.model, analysis.targets.workloads, endpoint.data, loaders);
    if (targets.length === 0) return [ctx.model.requirementInNamespaces(analysis.targets.namespaces)];
    return targets.map((target) => ctx.model.requirementAt(target));
  });
}

const joined = (requirements: readonly Requirement[]): string =>
  [...new Set(requirements.map((r) => r.reason))].join('; ');

/** The verdict for a PodMonitor with at least one app endpoint. */
export function verdictOf(analysis: Analysis, ctx: FixContext): Verdict {
  return verdictFrom(endpointRequirements(analysis, ctx), ctx);
}

/** The verdict for a monitor's targets, one requirement per target port (a ScrapeConfig's static targets, say). */
export function verdictFrom(requirements: readonly Requirement[], ctx: FixContext): Verdict {
  const strict = requirements.filter((r) => r.send === 'istio-mtls');
  const plain = requirements.filter((r) => noFix.has(r.send));
  const ambient = requirements.filter((r) => r.send === 'ambient');
  const mixed = requirements.filter((r) => r.send === 'mixed');
  const unknown = requirements.filter((r) => r.send === 'unknown');
  if (ambient.length > 0)
    return {
      need: 'leave',
      severity: 'warning',
      reason: `${joined(ambient)}: no sidecar, the cert recipe does not apply; left as is`,
    };
  if (mixed.length > 0 || (strict.length > 0 && plain.length > 0)) {
    const parts = [
      ...mixed.map((r) => r.reason),
      ...(strict.length > 0 && plain.length > 0
        ? [`https: ${joined(strict)}; plain http: ${joined(plain)}`]
        : []),
    ];
    return {
      need: 'leave',
      severity: 'warning',
      reason: `targets need different schemes (${parts.join('; ')}); split the monitor, left as is`,
    };
  }
  if (strict.length > 0) return { need: 'fix', reason: joined(strict) };
  // As in combineRequirements, targets the list shows decide over those it does not.
  if (plain.length > 0) return { need: 'none', reason: joined(plain) };
  if (ctx.config.unknownTargets === 'skip')
    return {
      need: 'leave',
      severity: 'info',
      reason: `the list shows nothing about the targets (${joined(unknown)}); unknownTargets: skip`,
    };
  return {
    need: 'fix',
    reason: `the list shows nothing about the targets (${joined(unknown)}); unknownTargets: tls`,
  };
}
