/**
 * Argo CD config management plugin (a repo-server sidecar; plugin.yaml). Argo CD runs `meshscrape argocd-generate`
 * in the application's source directory: that is `meshscrape render` (render-app.ts) with the application's
 * parameters (ARGOCD_APP_PARAMETERS, argocd-parameters.ts): `preset`, `kustomizeBuildOptions`, `functions` and one
 * config map per function, whose steps run after the directory's `meshscrape.yaml` and the preset.
 *
 * Argo CD takes whatever is on stdout as the application's resources, and an empty output as "none" (with
 * auto-prune, it deletes them all): every problem, and an empty result, fails the generate step with stderr and
 * nothing on stdout.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pipelineFile } from './app-manifests.js';
import { parameterPlan } from './argocd-parameters.js';
import type { ModeOutput } from './krm-mode.js';
import { stepsFromFile } from './pipeline.js';
import { buildOptionWords, renderOutput } from './render.js';
import { type RenderRequest, renderApp } from './render-app.js';
import { unsafeBuildOptions } from './safe-build-options.js';
import { streamFailure } from './stream-output.js';

/** Renders the application in `dir` with its parameters. */
export function runArgoGenerate(dir: string, env: NodeJS.ProcessEnv): ModeOutput {
  // What the pipeline file runs only shapes the messages about parameters that would be dropped.
  const pipelinePath = join(dir, pipelineFile);
  const fromFile = existsSync(pipelinePath) ? stepsFromFile(pipelinePath) : undefined;
  const pipeline = { file: pipelineFile, functions: fromFile?.value?.map((step) => step.fn.name) ?? [] };
  const plan = parameterPlan(env.ARGOCD_APP_PARAMETERS, pipeline);
  if (!plan.ok) return streamFailure(plan.problems);
  const buildOptions = buildOptionWords(plan.value.buildOptions ?? '');
  const unsafe = unsafeBuildOptions(buildOptions, plan.value.buildOptions ?? '');
  if (unsafe.length > 0) return streamFailure(unsafe);
  const request: RenderRequest = {
    dir,
    env,
    buildOptions,
    extraSteps: plan.value.steps,
    requireSteps: `nothing to run: add ${pipelineFile} to the application, or give the plugin the preset or functions parameter`,
  };
  if (plan.value.preset !== undefined)
    request.preset = { name: plan.value.preset, where: 'parameter preset' };
  return renderOutput(renderApp(request), '.');
}
