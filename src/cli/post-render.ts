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
import { error, formatResult, hasError, type Result } from '../krm/results.js';
import { runFunction } from '../krm/run-function.js';
import { readConfigFile } from './config-files.js';
import type { ModeOutput } from './krm-mode.js';
import { byKind, functions } from './registry.js';

function failure(results: readonly Result[]): ModeOutput {
  return { stdout: '', stderr: `${results.map(formatResult).join('\n')}\n`, code: 1 };
}

/** Runs the steps of the pipeline files on the YAML stream `input`. */
export function runPostRender(pipelinePaths: readonly string[], input: string): ModeOutput {
  if (pipelinePaths.length === 0)
    return { stdout: '', stderr: 'meshscrape: post-render needs at least one pipeline file\n', code: 2 };
  const steps = [];
  for (const path of pipelinePaths) {
    const read = readConfigFile(path);
    if ('problem' in read) return failure([read.problem]);
    for (const [index, config] of read.configs.entries()) {
      const fn = typeof config.kind === 'string' ? byKind(config.kind) : undefined;
      if (!fn) {
        const known = functions.map((f) => f.kind).join(', ');
        const kind = JSON.stringify(config.kind ?? null);
        return failure([
          error(`unknown kind ${kind}; known kinds: ${known}`, { file: { path, index }, path: 'kind' }),
        ]);
      }
      steps.push({ fn, config });
    }
  }
  if (steps.length === 0) return failure([error(`no function config in ${pipelinePaths.join(', ')}`)]);
  const read = readStream(input);
  if (!read.value) return failure(read.problems);
  let items = read.value;
  const results: Result[] = [];
  for (const { fn, config } of steps) {
    const output = runFunction(fn, items, config, false);
    items = output.items;
    results.push(...output.results.map((r) => ({ ...r, message: `${fn.name}: ${r.message}` })));
    // Later steps would work on a list this one left broken.
    if (hasError(output.results)) return failure(results);
  }
  const stderr = results.map(formatResult).join('\n');
  return {
    stdout: writeStream(items, { marker: startsWithMarker(input) }),
    stderr: stderr ? `${stderr}\n` : '',
    code: 0,
  };
}
