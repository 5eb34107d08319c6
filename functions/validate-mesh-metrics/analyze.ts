/**
 * The whole analysis of a list: the scrape-path findings, the Istio and stack rules, the CRD schemas, and with
 * `assumeStrict` what would break after the switch. Shared by the KRM function and `meshscrape validate`.
 */
import { ScrapeModel, type ScrapeModelOptions } from '../../src/domain/scrape-path.js';
import { scrapeReport } from '../../src/domain/scrape-report.js';
import type { Item } from '../../src/krm/index.js';
import { annotationRuleFindings } from './annotation-rules.js';
import { authorizationFindings } from './authorization-rules.js';
import type { ValidateMeshMetricsConfig } from './config.js';
import { egressFindings } from './egress-rules.js';
import { type Finding, finding } from './finding.js';
import { injectionFindings } from './injection-rules.js';
import { istioValidationFindings } from './istio-validation.js';
import { peerAuthenticationFindings } from './peer-authentication-rules.js';
import { schemaFindings } from './schema-findings.js';
import { scrapeFindings } from './scrape-findings.js';
import { sidecarFindings } from './sidecar-rules.js';
import { stackTrafficFindings } from './stack-traffic.js';

/** What an analysis found, and what it rested on. */
export interface Analysis {
  findings: Finding[];
  /** Monitor endpoint rows followed, and how many of them are broken. */
  endpoints: { rows: number; broken: number };
  /** A decision rested on `meshMtls` (the list has no mesh-wide policy). */
  meshMtlsUsed: boolean;
}

/** The findings the scrape-path model decides (they change with the mTLS modes). */
function modelFindings(items: readonly Item[], options: ScrapeModelOptions) {
  const model = new ScrapeModel(items, options);
  const rows = scrapeReport(model, items);
  const findings = [
    ...scrapeFindings(model, items, rows),
    ...peerAuthenticationFindings(model.inventory, items, options.rootNamespace),
    ...authorizationFindings(model, items, rows),
    ...stackTrafficFindings(model, items, rows),
    ...sidecarFindings(model.inventory, items),
  ];
  return { model, rows, findings };
}

const keyOf = (f: Finding): string =>
  `${f.code}\0${f.item ? `${f.item.kind}/${f.item.namespace ?? ''}/${f.item.name}` : ''}\0${f.path ?? ''}\0${f.subject ?? ''}`;

/** Runs every rule over the list. */
export function analyze(items: readonly Item[], config: ValidateMeshMetricsConfig): Analysis {
  const options: ScrapeModelOptions = {
    meshMtls: config.meshMtls,
    rootNamespace: config.rootNamespace,
    trustDomain: config.trustDomain,
  };
  const base = modelFindings(items, options);
  const findings = [...base.findings];
  if (config.assumeStrict !== undefined) {
    const assumed = config.assumeStrict;
    const whatIf = modelFindings(items, { ...options, assumeStrict: assumed });
    const known = new Set(base.findings.map(keyOf));
    const label = assumed === 'all' ? 'all namespaces' : assumed.join(', ');
    // A namespace the list does not hold cannot break: a typo must not read as "nothing would break".
    if (assumed !== 'all') {
      const held = new Set(items.flatMap((i) => [i.namespace ?? '', i.kind === 'Namespace' ? i.name : '']));
      for (const ns of assumed.filter((n) => !held.has(n)))
        findings.push(
          finding(
            'MS0030',
            undefined,
            undefined,
            `assumeStrict names namespace ${ns}, which no resource of the list is in or names: nothing was evaluated there (a typo?)`,
          ),
        );
    }
    for (const f of whatIf.findings)
      if (!known.has(keyOf(f)))
        findings.push({ ...f, message: `what-if, ${label} switched to STRICT (assumeStrict): ${f.message}` });
  }
  findings.push(
    ...egressFindings(items),
    ...injectionFindings(items, config.rootNamespace),
    ...annotationRuleFindings(items),
    ...istioValidationFindings(items),
    ...schemaFindings(items),
  );
  const skipped = new Set<string>(config.skip);
  return {
    findings: findings.filter((f) => !skipped.has(f.code)),
    endpoints: {
      rows: base.rows.length,
      broken: base.rows.filter((r) => r.verdict.verdict === 'broken').length,
    },
    meshMtlsUsed: base.model.assumptionUsed,
  };
}
