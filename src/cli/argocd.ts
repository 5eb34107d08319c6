/**
 * Argo CD config management plugin (a repo-server sidecar; plugin.yaml). Argo CD runs `meshscrape argocd-generate`
 * in the application's source directory. It renders the directory (`kubectl kustomize` when it holds a
 * kustomization, else its manifest files, see app-files.ts), then runs the pipeline: `meshscrape.yaml` in the
 * directory (function configs, one YAML document per step, as for Helm), then the steps the application's
 * parameters ask for (ARGOCD_APP_PARAMETERS): `functions`, function names in order, and per function a map
 * parameter named after it holding its config in the ConfigMap encoding (scalars as text, lists comma-separated,
 * maps as JSON).
 *
 * Argo CD takes whatever is on stdout as the application's resources, and an empty output as "none" (with
 * auto-prune, it deletes them all): every problem, and an empty result, fails the generate step with stderr and
 * nothing on stdout.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { error } from '../krm/index.js';
import { pipelineFile, renderAppDirectory } from './app-manifests.js';
import { parameterSteps } from './argocd-parameters.js';
import type { ModeOutput } from './krm-mode.js';
import { runSteps, type Step, stepsFromFile } from './pipeline.js';
import { streamFailure, streamSuccess } from './stream-output.js';

/** Renders the application in `dir` and runs its pipeline. */
export function runArgoGenerate(dir: string, env: NodeJS.ProcessEnv): ModeOutput {
  const steps: Step[] = [];
  const pipelinePath = join(dir, pipelineFile);
  if (existsSync(pipelinePath)) {
    const read = stepsFromFile(pipelinePath);
    if (!read.ok) return streamFailure(read.problems);
    steps.push(...read.value);
  }
  const pipeline = { file: pipelineFile, functions: steps.map((step) => step.fn.name) };
  const fromParameters = parameterSteps(env.ARGOCD_APP_PARAMETERS, pipeline);
  if (!fromParameters.ok) return streamFailure(fromParameters.problems);
  steps.push(...fromParameters.value);
  if (steps.length === 0) {
    return streamFailure([
      error(
        `nothing to run: add ${pipelineFile} to the application, or give the plugin the functions parameter`,
      ),
    ]);
  }
  const rendered = renderAppDirectory(dir, env);
  if (!rendered.ok) return streamFailure(rendered.problems);
  if (rendered.value.length === 0) {
    return streamFailure([
      error(`no resources in ${dir}: refusing to print an empty list, which Argo CD would prune`),
    ]);
  }
  const { items, results, failed } = runSteps(steps, rendered.value);
  if (failed) return streamFailure(results);
  return streamSuccess(items, results);
}
