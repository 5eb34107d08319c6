/**
 * Helm post-renderer mode. Helm 3 runs `--post-renderer PATH` with the rendered manifests on stdin, takes the
 * changed manifests from stdout, and fails the release on a non-zero exit; `--post-renderer-args` adds arguments:
 *
 *   helm template REL CHART --post-renderer bin/meshscrape \
 *     --post-renderer-args post-render --post-renderer-args PIPELINE.yaml
 *
 * Each PIPELINE file holds function configs (typed kinds), one YAML document per step, run in order on the stream
 * as kustomize's transformers would be. Results go to stderr; on an error nothing is printed, so Helm never sees a
 * half-done stream.
 */
import { asDecoded, type DecodedInput, error, startsWithMarker } from '../krm/index.js';
import { readResourceStream } from './flatten-lists.js';
import type { ModeOutput } from './krm-mode.js';
import { runSteps, type Step, stepsFromFile } from './pipeline.js';
import { streamFailure, streamSuccess } from './stream-output.js';

/** Runs the steps of the pipeline files on the YAML stream `input`. */
export function runPostRender(pipelinePaths: readonly string[], input: string | DecodedInput): ModeOutput {
  if (pipelinePaths.length === 0)
    return { stdout: '', stderr: 'meshscrape: post-render needs at least one pipeline file\n', code: 2 };
  const steps: Step[] = [];
  for (const path of pipelinePaths) {
    const read = stepsFromFile(path);
    if (!read.ok) return streamFailure(read.problems);
    steps.push(...read.value);
  }
  if (steps.length === 0) return streamFailure([error(`no function config in ${pipelinePaths.join(', ')}`)]);
  const read = readResourceStream(input);
  if (!read.ok) return streamFailure(read.problems);
  // As render refuses an empty source: generated policies alone are not what a chart rendered (red-team finding).
  if (read.value.length === 0)
    return streamFailure([
      error(
        'post-render read no resources on stdin: the chart rendered nothing, so there is nothing to post-render',
      ),
    ]);
  const { items, results, failed } = runSteps(steps, read.value);
  if (failed) return streamFailure(results);
  return streamSuccess(items, results, {
    marker: startsWithMarker(asDecoded(input).text),
  });
}
