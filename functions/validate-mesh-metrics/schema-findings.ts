/**
 * Every resource of the Istio kinds (networking.istio.io, security.istio.io) and the prometheus-operator kinds
 * (monitoring.coreos.com, and azmonitoring.coreos.com of the same shape) checked against its CRD's schema
 * (src/domain/crd-schema.ts): IST0106 for Istio's, as istioctl reports a schema error, MS0026 for the operator's.
 * Kinds with no bundled CRD are not checked.
 */
import { checkAgainstCrd } from '../../src/domain/crd-schema.js';
import type { Item } from '../../src/krm/index.js';
import type { Code } from './codes.js';
import { type Finding, finding } from './finding.js';

const codeOfGroup: Readonly<Record<string, Code>> = {
  'networking.istio.io': 'IST0106',
  'security.istio.io': 'IST0106',
  'monitoring.coreos.com': 'MS0026',
  'azmonitoring.coreos.com': 'MS0026',
};

/** Every schema finding of the list. */
export function schemaFindings(items: readonly Item[]): Finding[] {
  const findings: Finding[] = [];
  for (const item of items) {
    const code = codeOfGroup[item.group];
    if (!code) continue;
    const version = item.apiVersion.slice(item.apiVersion.indexOf('/') + 1);
    const result = checkAgainstCrd(item.group, version, item.kind, item.data);
    const prefix = code === 'IST0106' ? 'Schema validation error: ' : '';
    if (!result.checked) {
      if (result.reason === 'unknown-version')
        findings.push(
          finding(
            code,
            item,
            'apiVersion',
            `${prefix}the ${item.kind} CRD serves no version ${version} (it serves ${result.versions.join(', ')}): the API server does not know ${item.apiVersion}`,
            { fix: `apiVersion: ${item.group}/${result.versions[0]}` },
          ),
        );
      continue;
    }
    for (const problem of result.problems)
      findings.push(
        finding(
          code,
          item,
          problem.path,
          `${prefix}${problem.path}: ${problem.message} (the ${item.kind} CRD's schema)`,
        ),
      );
  }
  return findings;
}
