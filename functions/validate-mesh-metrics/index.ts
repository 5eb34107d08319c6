/**
 * validate-mesh-metrics: a validator. It changes nothing; it reports, from the scrape-path model and Istio's and
 * prometheus-operator's rules, what will break scraping (and the stack's own traffic) under Istio mTLS, each finding
 * with a stable code, the resource, the field and the fix.
 */
import { defineFunction, error, info, type Result } from '../../src/krm/index.js';
import { analyze } from './analyze.js';
import { validateMeshMetricsSchema } from './config.js';
import { toResult } from './finding.js';

/** The validate-mesh-metrics function. */
export const validateMeshMetrics = defineFunction({
  name: 'validate-mesh-metrics',
  kind: 'ValidateMeshMetrics',
  summary:
    'Reports (changes nothing) what breaks Prometheus scraping and the monitoring stack under Istio mTLS, with codes and fixes.',
  schema: validateMeshMetricsSchema,
  run(items, config) {
    const analysis = analyze(items, config);
    const results: Result[] = analysis.findings.map(toResult);
    const count = (s: string): number => analysis.findings.filter((f) => f.severity === s).length;
    const [errors, warnings, infos] = [count('error'), count('warning'), count('info')];
    if (analysis.meshMtlsUsed)
      results.push(
        info(
          `the list has no mesh-wide PeerAuthentication: meshMtls ${config.meshMtls} was assumed (set meshMtls to what the cluster runs)`,
        ),
      );
    if (config.failOn === 'warning' && warnings > 0)
      results.push(
        error(
          `MS0027: failOn: warning and ${warnings} warning(s) were found (fix: fix the warnings, or failOn: error)`,
        ),
      );
    results.push(
      info(
        `summary: ${errors} error(s), ${warnings} warning(s), ${infos} info; ${analysis.endpoints.rows} monitor endpoint target(s) followed, ${analysis.endpoints.broken} broken`,
      ),
    );
    return { items, results };
  },
});
