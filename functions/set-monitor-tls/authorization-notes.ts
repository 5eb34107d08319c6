/**
 * After the scheme is decided: would the AuthorizationPolicies in the list let the scraper in? A workload with any
 * ALLOW policy denies what no rule matches (domain.md section 0, step 9), so a scrape set up right can still fail.
 */
import type { ScrapeModel, TargetPort } from '../../src/domain/scrape-path.js';
import type { Scraper } from '../../src/domain/scrapers.js';
import { info, type Result, type ResultTarget, warning } from '../../src/krm/index.js';

/** One result per scraper and policy verdict that is not a plain yes. */
export function authorizationNotes(
  model: ScrapeModel,
  loaders: readonly Scraper[],
  targets: readonly TargetPort[],
  mtls: boolean,
  at: ResultTarget,
): Result[] {
  const seen = new Set<string>();
  const results: Result[] = [];
  for (const scraper of loaders) {
    for (const target of targets) {
      const verdict = model.admits(scraper, target, mtls);
      if (!verdict || verdict.allowed === true || seen.has(verdict.reason)) continue;
      seen.add(verdict.reason);
      const where = `port ${target.containerPort} of ${target.pods.item.kind}/${target.pods.namespace}/${target.pods.item.name}`;
      const who = mtls
        ? `${scraper.label} (its mesh identity)`
        : `${scraper.label} (in plain text, with no mesh identity)`;
      results.push(
        verdict.allowed === false
          ? warning(
              `${who} is denied at ${where}: ${verdict.reason}; allow it there, scoped to that workload and port`,
              at,
            )
          : info(`cannot tell offline whether ${who} may reach ${where}: ${verdict.reason}`, at),
      );
    }
  }
  return results;
}
