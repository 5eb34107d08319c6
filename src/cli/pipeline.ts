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
import { byKind, functions } from './registry.js';

/** One step: a function and its config (typed kind, or a ConfigMap when `configMap` is set). */
export interface Step {
  fn: KrmFunction;
  config: Resource | undefined;
  configMap: boolean;
}

/** Runs the steps in order; stops at the first step with an error result. Messages name their step. */
export function runSteps(
  steps: readonly Step[],
  input: Item[],
): { items: Item[]; results: Result[]; failed: boolean } {
  let items = input;
  const results: Result[] = [];
  for (const [index, { fn, config, configMap }] of steps.entries()) {
    // Each step reads the list as the one before it wrote it.
    const output = runFunction(fn, index === 0 ? items : handOff(items), config, configMap);
    items = output.items;
    results.push(...output.results.map((r) => ({ ...r, message: `${fn.name}: ${r.message}` })));
    // Later steps would work on a list this one left broken.
    if (hasError(output.results)) return { items, results, failed: true };
  }
  return { items, results, failed: false };
}

/** The steps of a pipeline file: function configs (typed kinds), one YAML document per step. */
export function stepsFromFile(path: string): Outcome<Step[]> {
  const read = readConfigFile(path);
  if (!read.ok) return read;
  const steps: Step[] = [];
  for (const [index, config] of read.value.entries()) {
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
