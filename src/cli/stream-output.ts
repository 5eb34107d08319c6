/**
 * What the plain-stream modes (legacy kustomize plugin, Helm post-renderer, Argo CD plugin) print. Their callers
 * read stdout as the resources whatever the exit code, so a failure prints nothing on stdout, only the results.
 */
import { formatResult, type Item, type Result, writeStream } from '../krm/index.js';
import type { ModeOutput } from './krm-mode.js';

/** One line per result, for stderr ('' when there are none). */
export function resultLines(results: readonly Result[]): string {
  return results.length === 0 ? '' : `${results.map(formatResult).join('\n')}\n`;
}

/** Exit 1 with the results on stderr and nothing on stdout. */
export function streamFailure(results: readonly Result[]): ModeOutput {
  return { stdout: '', stderr: resultLines(results), code: 1 };
}

/** Exit 0 with the items as a YAML stream and the results on stderr. */
export function streamSuccess(
  items: readonly Item[],
  results: readonly Result[],
  options: { marker?: boolean } = {},
): ModeOutput {
  return { stdout: writeStream(items, options), stderr: resultLines(results), code: 0 };
}
