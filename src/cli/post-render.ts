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
import { readStream, startsWithMarker, writeStream } from '../krm/resource-list.js';
import { error, formatResult, type Result } from '../krm/results.js';
import type { ModeOutput } from './krm-mode.js';
import { runSteps, type Step, stepsFromFile } from './pipeline.js';

function failure(results: readonly Result[]): ModeOutput {
  return { stdout: '', stderr: `${results.map(formatResult).join('\n')}\n`, code: 1 };
}

/** Runs the steps of the pipeline files on the YAML stream `input`. */
export function runPostRender(pipelinePaths: readonly string[], input: string): ModeOutput {
  if (pipelinePaths.length === 0)
    return { stdout: '', stderr: 'meshscrape: post-render needs at least one pipeline file\n', code: 2 };
  const steps: Step[] = [];
  for (const path of pipelinePaths) {
    const read = stepsFromFile(path);
    if ('problem' in read) return failure([read.problem]);
    steps.push(...read.steps);
  }
  if (steps.length === 0) return failure([error(`no function config in ${pipelinePaths.join(', ')}`)]);
  const read = readStream(input);
  if (!read.value) return failure(read.problems);
  const { items, results, failed } = runSteps(steps, read.value);
  if (failed) return failure(results);
  const stderr = results.map(formatResult).join('\n');
  return {
    stdout: writeStream(items, { marker: startsWithMarker(input) }),
    stderr: stderr ? `${stderr}\n` : '',
    code: 0,
  };
}
