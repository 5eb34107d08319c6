/**
 * `validate`'s three outputs of one set of findings: an aligned table for people, a JSON report, and SARIF 2.1.0
 * for code scanning (rules are the codes, results point at the resource's file).
 */
import { type Code, codes } from '../../functions/validate-mesh-metrics/codes.js';
import type { Finding } from '../../functions/validate-mesh-metrics/finding.js';
import type { Item } from '../krm/index.js';

/** What validate found, as the outputs take it. */
export interface ValidateReport {
  findings: readonly Finding[];
  /** Where a resource sits in the files read, when they show it. */
  locate: (item: Item) => { uri: string; line: number | undefined } | undefined;
  /** Where a result without a file of its own points: the file read, or the directory's kustomization. */
  fallback: string | undefined;
  /** Notes about the run (the meshMtls assumption), shown after the findings. */
  notes: readonly string[];
  version: string;
}

const ref = (item: Item | undefined): string =>
  item ? `${item.kind}/${item.namespace ? `${item.namespace}/` : ''}${item.name}` : '(list)';

const severityOrder = { error: 0, warning: 1, info: 2 } as const;

/** The findings, errors first, then by resource and code, whatever order the rules found them in. */
function sorted(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityOrder[a.severity] - severityOrder[b.severity] ||
      ref(a.item).localeCompare(ref(b.item)) ||
      a.code.localeCompare(b.code) ||
      (a.path ?? '').localeCompare(b.path ?? ''),
  );
}

function counts(findings: readonly Finding[]): { errors: number; warnings: number; infos: number } {
  const n = (s: string): number => findings.filter((f) => f.severity === s).length;
  return { errors: n('error'), warnings: n('warning'), infos: n('info') };
}

/** The table: one aligned line per finding, its message and fix indented below it, a summary last. */
export function validateTable(report: ValidateReport): string {
  const findings = sorted(report.findings);
  const c = counts(findings);
  const rows = findings.map((f, i) => [String(i + 1), f.severity, f.code, ref(f.item), f.path ?? '']);
  const header = ['#', 'SEVERITY', 'CODE', 'RESOURCE', 'FIELD'];
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => (r[col] as string).length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, col) => cell.padEnd(widths[col] as number))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  if (findings.length > 0) {
    out.push(line(header), ...rows.map(line), '');
    for (const [i, f] of findings.entries()) {
      out.push(`#${i + 1} ${f.code} ${ref(f.item)}${f.path ? ` ${f.path}` : ''}`);
      out.push(`   ${f.severity}: ${f.message}`, `   fix: ${f.fix}`);
    }
    out.push('');
  }
  for (const note of report.notes) out.push(`note: ${note}`);
  out.push(`${c.errors} error(s), ${c.warnings} warning(s), ${c.infos} info`);
  return `${out.join('\n')}\n`;
}

/** The file and line of a finding's resource: the orchestrator's path annotation, else where the files show it. */
function whereIs(report: ValidateReport, f: Finding): { uri: string | undefined; line: number | undefined } {
  if (f.at) return f.at;
  const located = f.item ? report.locate(f.item) : undefined;
  const annotated = f.item?.file?.path;
  if (annotated) return { uri: annotated, line: located?.uri === annotated ? located.line : undefined };
  return located ?? { uri: report.fallback, line: undefined };
}

const findingJson = (report: ValidateReport, f: Finding): Record<string, unknown> => ({
  code: f.code,
  severity: f.severity,
  message: f.message,
  fix: f.fix,
  resource: f.item
    ? {
        apiVersion: f.item.apiVersion,
        kind: f.item.kind,
        namespace: f.item.namespace ?? null,
        name: f.item.name,
      }
    : null,
  field: f.path ?? null,
  file: whereIs(report, f).uri ?? null,
  line: whereIs(report, f).line ?? null,
});

/** The JSON report: `kind: ValidationReport`, a summary and the findings; absent values are null. */
export function validateJson(report: ValidateReport): string {
  const findings = sorted(report.findings);
  const c = counts(findings);
  const body = {
    apiVersion: 'meshscrape.dev/v1alpha1',
    kind: 'ValidationReport',
    summary: { errors: c.errors, warnings: c.warnings, info: c.infos },
    notes: report.notes,
    findings: findings.map((f) => findingJson(report, f)),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

const sarifLevel = { error: 'error', warning: 'warning', info: 'note' } as const;

/** SARIF 2.1.0: one run, the codes as rules, each finding a result located at its resource's file. */
export function validateSarif(report: ValidateReport): string {
  const findings = sorted(report.findings);
  const used = [...new Set(findings.map((f) => f.code))].sort() as Code[];
  const rules = used.map((code) => ({
    id: code,
    shortDescription: { text: codes[code].meaning },
    help: { text: codes[code].fix },
    defaultConfiguration: { level: sarifLevel[codes[code].severity] },
  }));
  const results = findings.map((f) => {
    const { uri, line } = whereIs(report, f);
    const logical = f.item
      ? [{ fullyQualifiedName: `${ref(f.item)}${f.path ? `:${f.path}` : ''}`, kind: 'resource' }]
      : [];
    const location: Record<string, unknown> = {};
    if (uri)
      location.physicalLocation = {
        artifactLocation: { uri },
        ...(line === undefined ? {} : { region: { startLine: line } }),
      };
    if (logical.length > 0) location.logicalLocations = logical;
    return {
      ruleId: f.code,
      ruleIndex: used.indexOf(f.code),
      level: sarifLevel[f.severity],
      message: { text: `${f.message} (fix: ${f.fix})` },
      locations: Object.keys(location).length > 0 ? [location] : [],
    };
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'meshscrape validate',
            version: report.version,
            rules,
          },
        },
        // The run's notes (meshMtls assumed where the list has no mesh-wide policy) as notifications: the results
        // rest on them, and code scanning shows no table note.
        ...(report.notes.length > 0
          ? {
              invocations: [
                {
                  executionSuccessful: true,
                  toolExecutionNotifications: report.notes.map((text) => ({
                    level: 'note',
                    message: { text },
                  })),
                },
              ],
            }
          : {}),
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
