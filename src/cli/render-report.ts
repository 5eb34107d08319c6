/**
 * What `meshscrape render` tells a person and a machine about a rendering. kustomize throws a plugin's stderr away
 * when the build succeeds and `kpt fn sink` drops results, so render is where people see what changed: stderr gets
 * a summary grouped by resource, errors and warnings first, then the infos (what changed and what was left alone);
 * `--results FILE` gets the results in kpt's format (`kpt.dev/v1` FunctionResultList, as `kpt fn render
 * --results-dir` writes it: one entry per step, named by its image or exec, with its exit code and results).
 */
import { stringify } from 'yaml';
import type { Result } from '../krm/index.js';
import type { Rendering } from './render-app.js';

const refLabel = (r: Result): string => {
  const ref = r.resourceRef;
  return ref ? `${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}` : '(the whole list)';
};

const resultLine = (r: Result): string =>
  `    [${r.severity}] ${r.message}${r.field ? ` (${r.field.path})` : ''}${r.file && !r.resourceRef ? ` [${r.file.path}]` : ''}`;

/** The results grouped by resource, in the order resources first appear, under a heading. */
function section(heading: string, results: readonly Result[]): string[] {
  if (results.length === 0) return [];
  // The run-wide results (each function's summary) first: they say in a line what the groups below detail.
  const groups = new Map<string, Result[]>([[refLabel({ message: '', severity: 'info' }), []]]);
  for (const r of results) {
    const key = refLabel(r);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const lines = [heading];
  for (const [label, group] of groups)
    if (group.length > 0) lines.push(`  ${label}`, ...group.map(resultLine));
  return lines;
}

const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The infos in a few lines: each function's own summary, then one line per resource naming what changed it (the
 * full summary has every result).
 */
function shortInfos(infos: readonly Result[]): string[] {
  if (infos.length === 0) return [];
  const runWide = infos.filter((r) => !r.resourceRef);
  const byResource = new Map<string, Result[]>();
  for (const r of infos) {
    if (!r.resourceRef) continue;
    byResource.set(refLabel(r), [...(byResource.get(refLabel(r)) ?? []), r]);
  }
  // The first result of each resource, cut at a readable width: what happened to it, in a line.
  const clip = (text: string): string => (text.length > 150 ? `${text.slice(0, 147)}...` : text);
  const changed = [...byResource].map(([label, results]) => {
    const more = results.length > 1 ? ` (+${results.length - 1} more)` : '';
    return `    ${label}: ${clip(results[0]?.message ?? '')}${more}`;
  });
  return [
    'what changed (info; render without --summary short for every result):',
    ...runWide.map(resultLine),
    // No resource-level result: no heading over nothing.
    ...(byResource.size > 0 ? [`  ${count(byResource.size, 'resource')} with results:`] : []),
    ...changed,
  ];
}

/** The human summary for stderr; `short` keeps errors and warnings whole and the infos to a line a resource. */
export function renderSummary(rendering: Rendering, dir: string, short = false): string {
  const by = (severity: Result['severity']) => rendering.results.filter((r) => r.severity === severity);
  const errors = by('error');
  const warnings = by('warning');
  const infos = by('info');
  const outcome = rendering.ok
    ? `${count(rendering.items.length, 'resource')} written`
    : 'FAILED, nothing written';
  const ran = rendering.ran.length > 0 ? rendering.ran.join(', ') : 'no function';
  const lines = [
    `meshscrape render ${dir} (${rendering.source}): ${outcome}; ${count(errors.length, 'error')}, ${count(warnings.length, 'warning')}, ${infos.length} info`,
    `  ran: ${ran}`,
    ...section('errors and warnings:', [...errors, ...warnings]),
    ...(short ? shortInfos(infos) : section('what changed and what was left alone (info):', infos)),
  ];
  return `${lines.join('\n')}\n`;
}

/** The results in kpt's FunctionResultList format (what `kpt fn render --results-dir D` writes to D/results.yaml). */
export function kptResults(rendering: Rendering): string {
  const items = rendering.steps.map((step) => ({
    ...step.runner,
    exitCode: step.failed ? 1 : 0,
    ...(step.results.length > 0 ? { results: step.results } : {}),
  }));
  // The render's own problems (a step it cannot run, a kustomize build that failed) belong to no step.
  if (rendering.problems.length > 0)
    items.push({ exec: 'meshscrape render', exitCode: 1, results: rendering.problems });
  return stringify(
    {
      apiVersion: 'kpt.dev/v1',
      kind: 'FunctionResultList',
      metadata: { name: 'fnresults' },
      exitCode: rendering.ok ? 0 : 1,
      items,
    },
    { lineWidth: 0 },
  );
}
