/**
 * Renders an application directory the way its kind of source renders, then runs meshscrape's pipeline on it:
 *
 * 1. the source: a Kptfile package through its own pipeline, in process (mutators, then validators, as
 *    `kpt fn render`: kpt-package.ts); else a kustomization through kustomize with the user's build options; else
 *    its YAML / JSON files (app-manifests.ts);
 * 2. the steps of the directory's `meshscrape.yaml`, then the preset asked for, then any further steps (Argo CD's
 *    parameters).
 *
 * The manifests are what a `kubectl apply` of the rendering should see: the Kptfile, the steps' config files and
 * local-config objects are left out. `meshscrape render` and `argocd-generate` both render through this.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { error, type Item, type Result } from '../krm/index.js';
import { isKustomization, pipelineFile, renderAppDirectory } from './app-manifests.js';
import { kptfileName, readKptPackage, resourceKey } from './kpt-package.js';
import { presetSteps, runSteps, type Step, stepsFromFile } from './pipeline.js';

/** What to render and with what. */
export interface RenderRequest {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** kustomize build options, as words. */
  buildOptions: readonly string[];
  /** A preset, and where it was asked for (for messages: `--preset`, `parameter preset`). */
  preset?: { name: string; where: string };
  /** Steps run after the pipeline file and the preset. */
  extraSteps?: readonly Step[];
  /** Refuse a render that would run no function (the Argo CD plugin: a plugin that changes nothing is a mistake). */
  requireSteps?: string;
}

/** One step as kpt's results name it, and its results as the function wrote them. */
export interface StepReport {
  runner: { image: string } | { exec: string };
  results: Result[];
  failed: boolean;
}

/** The rendering: the manifests (empty on failure), every result, each step's report, and the source's kind. */
export interface Rendering {
  ok: boolean;
  items: Item[];
  /** Every result: the steps' (messages prefixed with the function) and the render's own problems. */
  results: Result[];
  /** The render's own problems, which no step reported (a step it cannot run, a failed kustomize build). */
  problems: Result[];
  steps: StepReport[];
  source: 'kpt package' | 'kustomization' | 'manifest files';
  /** The functions that ran, in order, with where each came from. */
  ran: string[];
}

const localConfig = 'config.kubernetes.io/local-config';

/** The source kind: a Kptfile wins (kpt renders such a directory whatever else it holds). */
function sourceKind(dir: string): Rendering['source'] {
  if (existsSync(join(dir, kptfileName))) return 'kpt package';
  return isKustomization(dir) ? 'kustomization' : 'manifest files';
}

const meshscrapeRunner = (step: Step): StepReport['runner'] => ({ exec: `meshscrape ${step.fn.name}` });

/** A step as the summary names it: its function, and its config's name where that says more. */
function stepName(step: Step): string {
  const name = (step.config?.metadata as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name !== step.fn.name ? `${step.fn.name} ${name}` : step.fn.name;
}

/** The steps the directory's pipeline file and the request add after the source, or the problems with them. */
function pipelineSteps(request: RenderRequest): { steps: Step[]; labels: string[]; problems: Result[] } {
  const steps: Step[] = [];
  const labels: string[] = [];
  const problems: Result[] = [];
  const path = join(request.dir, pipelineFile);
  if (existsSync(path)) {
    const read = stepsFromFile(path);
    if (read.ok) {
      steps.push(...read.value);
      labels.push(...read.value.map((s) => `${stepName(s)} (${pipelineFile})`));
    } else problems.push(...read.problems);
  }
  if (request.preset) {
    const read = presetSteps(request.preset.name, request.preset.where);
    if (read.ok) {
      steps.push(...read.value);
      labels.push(...read.value.map((s) => `${stepName(s)} (preset ${request.preset?.name})`));
    } else problems.push(...read.problems);
  }
  for (const step of request.extraSteps ?? []) {
    steps.push(step);
    labels.push(`${step.fn.name} (parameters)`);
  }
  return { steps, labels, problems };
}

/** Renders the directory and runs the pipeline; on any error result `ok` is false and `items` empty. */
export function renderApp(request: RenderRequest): Rendering {
  const source = sourceKind(request.dir);
  const results: Result[] = [];
  const reports: StepReport[] = [];
  const ran: string[] = [];
  const failed = (own: Result[] = []): Rendering => ({
    ok: false,
    items: [],
    results: [...results, ...own],
    problems: own,
    steps: reports,
    source,
    ran,
  });
  const after = pipelineSteps(request);
  // Every problem with what to run is found before anything runs.
  const kpt = source === 'kpt package' ? readKptPackage(request.dir) : undefined;
  const problems = [...(kpt && !kpt.ok ? kpt.problems : []), ...after.problems];
  if (problems.length > 0) return failed(problems);
  const kptSteps = kpt?.value ? [...kpt.value.mutators, ...kpt.value.validators] : [];
  if (request.requireSteps && kptSteps.length === 0 && after.steps.length === 0)
    return failed([error(request.requireSteps)]);
  const hidden = kpt?.value?.configResources ?? new Set<string>();
  const manifestsOf = (all: readonly Item[]) =>
    all.filter(
      (item) =>
        item.kind !== 'Kptfile' &&
        item.read(['metadata', 'annotations', localConfig]) !== 'true' &&
        !hidden.has(resourceKey(item)),
    );
  // A source that renders nothing (a wrong path, an emptied directory) is an error before any step runs: the
  // pipeline's generated Namespaces and policies alone would be a success Argo CD syncs, pruning the rest.
  const emptySource = () =>
    failed([
      error(
        `no resources in ${request.dir} (${source}): refusing to render, an empty source would make Argo CD prune the application`,
      ),
    ]);
  if (kpt?.value && manifestsOf(kpt.value.items).length === 0) return emptySource();
  let items: Item[];
  if (kpt?.value) {
    const { mutators, validators } = kpt.value;
    const mutated = runSteps(
      mutators.map((s) => s.step),
      kpt.value.items,
    );
    reports.push(
      ...reportsOf(
        mutated.steps,
        mutators.map((s) => s.runner),
      ),
    );
    results.push(...mutated.results);
    ran.push(...mutated.steps.map((s) => `${s.step.fn.name} (${kptfileName})`));
    if (mutated.failed) return failed();
    // Validators read the mutators' output and change nothing: kpt keeps the mutators' output.
    const validated = runSteps(
      validators.map((s) => s.step),
      mutated.items,
      mutators.length > 0,
    );
    reports.push(
      ...reportsOf(
        validated.steps,
        validators.map((s) => s.runner),
      ),
    );
    results.push(...validated.results);
    ran.push(...validated.steps.map((s) => `${s.step.fn.name} (${kptfileName} validator)`));
    if (validated.failed) return failed();
    items = mutated.items;
  } else {
    const rendered = renderAppDirectory(request.dir, request.env, false, request.buildOptions);
    if (!rendered.ok) return failed(rendered.problems);
    if (manifestsOf(rendered.value).length === 0) return emptySource();
    items = rendered.value;
  }
  if (after.steps.length > 0) {
    const run = runSteps(after.steps, items, kptSteps.length > 0);
    reports.push(...reportsOf(run.steps, after.steps.map(meshscrapeRunner)));
    results.push(...run.results);
    ran.push(...after.labels.slice(0, run.steps.length));
    if (run.failed) return failed();
    items = run.items;
  }
  const manifests = manifestsOf(items);
  if (manifests.length === 0) {
    // Argo CD takes an empty output as "no resources" and prunes the application.
    const why = error(`no resources in ${request.dir} after rendering: refusing to print an empty list`);
    return failed([why]);
  }
  return { ok: true, items: manifests, results, problems: [], steps: reports, source, ran };
}

function reportsOf(
  steps: readonly { results: Result[] }[],
  runners: readonly StepReport['runner'][],
): StepReport[] {
  return steps.map((s, index) => ({
    runner: runners[index] ?? { exec: 'meshscrape' },
    results: s.results,
    failed: s.results.some((r) => r.severity === 'error'),
  }));
}
