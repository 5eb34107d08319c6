/** Several functions in a row on one list of items, as a kustomize transformer list or a kpt pipeline runs them. */
import {
  error,
  failure,
  handOff,
  hasError,
  type Item,
  type KrmFunction,
  type Outcome,
  type Resource,
  type Result,
  runFunction,
  success,
} from '../krm/index.js';
import { readConfigFile } from './config-files.js';
import { presetByName, presets } from './presets.js';
import { byKind, functions } from './registry.js';

/** One step: a function and its config (typed kind, or a ConfigMap when `configMap` is set). */
export interface Step {
  fn: KrmFunction;
  config: Resource | undefined;
  configMap: boolean;
}

/** What a pipeline run gives: the items, every result (messages prefixed with their step), each step's own. */
export interface PipelineRun {
  items: Item[];
  results: Result[];
  /** Per step that ran, its results as the function wrote them (kpt's results file lists them so). */
  steps: { step: Step; results: Result[] }[];
  failed: boolean;
}

/**
 * Runs the steps in order; stops at the first step with an error result. Messages name their step. `afterSteps`:
 * the input is what earlier steps wrote (it is handed off to the first step as to any other).
 */
export function runSteps(steps: readonly Step[], input: Item[], afterSteps = false): PipelineRun {
  let items = input;
  const results: Result[] = [];
  const ran: PipelineRun['steps'] = [];
  for (const [index, step] of steps.entries()) {
    const { fn, config, configMap } = step;
    // Each step reads the list as the one before it wrote it.
    const output = runFunction(fn, index === 0 && !afterSteps ? items : handOff(items), config, configMap);
    items = output.items;
    ran.push({ step, results: output.results });
    results.push(...output.results.map((r) => ({ ...r, message: `${fn.name}: ${r.message}` })));
    // Later steps would work on a list this one left broken.
    if (hasError(output.results)) return { items, results, steps: ran, failed: true };
  }
  return { items, results, steps: ran, failed: false };
}

/** The steps of a preset, or the problem naming `where` the unknown name was given. */
export function presetSteps(
  name: string,
  where: string,
  target: Result['file'] = undefined,
): Outcome<Step[]> {
  const preset = presetByName(name);
  if (!preset) {
    const known = presets.map((p) => p.name).join(', ');
    return failure([
      error(`${where}: unknown preset ${JSON.stringify(name)}; known presets: ${known}`, {
        ...(target ? { file: target } : {}),
        path: 'preset',
      }),
    ]);
  }
  return success(
    preset.configs.map((config) => ({
      fn: byKind(config.kind as string) as KrmFunction,
      config,
      configMap: false,
    })),
  );
}

/**
 * The steps of a pipeline file: function configs (typed kinds), one YAML document per step; a document holding
 * only `preset: NAME` stands for that preset's steps.
 */
export function stepsFromFile(path: string): Outcome<Step[]> {
  const read = readConfigFile(path);
  if (!read.ok) return read;
  const steps: Step[] = [];
  for (const [index, config] of read.value.entries()) {
    if (Object.hasOwn(config, 'preset') && config.kind === undefined) {
      const extra = Object.keys(config).filter((key) => key !== 'preset');
      const at = { file: { path, index } };
      if (extra.length > 0 || typeof config.preset !== 'string')
        return failure([
          error(
            `document ${index} of ${path}: a preset document holds only preset: NAME${extra.length > 0 ? ` (also has ${extra.join(', ')})` : ''}`,
            { ...at, path: extra[0] ?? 'preset' },
          ),
        ]);
      const expanded = presetSteps(config.preset, `document ${index} of ${path}`, at.file);
      if (!expanded.ok) return expanded;
      steps.push(...expanded.value);
      continue;
    }
    const fn = typeof config.kind === 'string' ? byKind(config.kind) : undefined;
    if (!fn) {
      const known = functions.map((f) => f.kind).join(', ');
      const kind = JSON.stringify(config.kind ?? null);
      return failure([
        error(`unknown kind ${kind}; known kinds: ${known}`, { file: { path, index }, path: 'kind' }),
      ]);
    }
    steps.push({ fn, config, configMap: false });
  }
  return success(steps);
}
