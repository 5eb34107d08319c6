/**
 * What an Argo CD application's plugin parameters (ARGOCD_APP_PARAMETERS, a JSON array) ask for: `preset`, a
 * preset's name; `kustomizeBuildOptions`, kustomize build options; `functions`, function names in order; and per
 * function a map parameter named after it holding its config in the ConfigMap encoding (scalars as text, lists
 * comma-separated, maps as JSON). Every problem names the parameter, and the key and value the user set: the
 * ConfigMap each map becomes is internal, and naming it would send the user looking for an object they never wrote.
 */
import {
  error,
  failure,
  type KrmFunction,
  type Outcome,
  type Resource,
  type Result,
  readConfig,
  success,
} from '../krm/index.js';
import type { Step } from './pipeline.js';
import { presetByName, presets } from './presets.js';
import { byName, functions, pipelineOrder } from './registry.js';

/** Everything the parameters ask for. */
export interface ParameterPlan {
  steps: Step[];
  preset?: string;
  buildOptions?: string;
}

/** The string-valued parameters besides the function maps. */
const stringParameters = ['preset', 'kustomizeBuildOptions'] as const;

/** One entry of ARGOCD_APP_PARAMETERS, as Argo CD sends it. */
interface Parameter {
  name?: unknown;
  string?: unknown;
  array?: unknown;
  map?: unknown;
}

/** The functions the application's pipeline file runs, for messages about parameters. */
export interface PipelineSteps {
  file: string;
  functions: readonly string[];
}

/** The problem with a map parameter `functions` leaves out: its config would be dropped without a word. */
function unusedMap(name: string, order: readonly string[], pipeline: PipelineSteps | undefined): Result {
  const own = pipeline?.functions.includes(name)
    ? ` (the ${name} step of ${pipeline.file} runs with its own config, not this map)`
    : '';
  const listed = order.length > 0 ? order.join(', ') : 'empty';
  return error(
    `parameter ${name} configures a function that does not run: functions (${listed}) leaves it out${own}; add ${name} to functions or remove the parameter`,
    { path: `parameters.${name}` },
  );
}

/** What one entry gives: the function order, one function's config, or a string parameter's value. */
type Read =
  | { order: string[] }
  | { name: string; config: Record<string, string> }
  | { option: (typeof stringParameters)[number]; value: string };

function readParameter(entry: Parameter, name: string): Outcome<Read> {
  const at = { path: `parameters.${name || '?'}` };
  const option = stringParameters.find((p) => p === name);
  if (option) {
    if (typeof entry.string !== 'string')
      return failure([
        error(
          `parameter ${name} must be a string; got ${JSON.stringify(entry.array ?? entry.map ?? null)}`,
          at,
        ),
      ]);
    if (option === 'preset' && !presetByName(entry.string))
      return failure([
        error(
          `parameter preset: unknown preset ${JSON.stringify(entry.string)}; known presets: ${presets.map((p) => p.name).join(', ')}`,
          at,
        ),
      ]);
    return success({ option, value: entry.string });
  }
  if (name === 'functions') {
    const list = Array.isArray(entry.array) ? entry.array : undefined;
    if (list?.every((fn) => typeof fn === 'string' && byName(fn)))
      return success({ order: list as string[] });
    const known = functions.map((f) => f.name).join(', ');
    const got = JSON.stringify(entry.array ?? entry.string);
    return failure([error(`functions must be an array of function names (${known}); got ${got}`, at)]);
  }
  if (!byName(name)) {
    const message = `unknown parameter ${JSON.stringify(name)}: expected ${[...stringParameters, 'functions'].join(', ')} or a function name`;
    return failure([error(message, at)]);
  }
  const map = entry.map;
  if (typeof map !== 'object' || map === null || Array.isArray(map))
    return failure([error(`parameter ${name} must be a map of config fields (ConfigMap encoding)`, at)]);
  return success({ name, config: Object.fromEntries(Object.entries(map).map(([k, v]) => [k, String(v)])) });
}

/** A config problem of a function map, in the user's words: the parameter, the key and the value they set. */
function parameterProblem(fn: KrmFunction, map: Record<string, string>, problem: Result): Result {
  const path = problem.field?.path ?? '';
  const key = /^data(?:\.([\w-]+)|\["((?:[^"\\]|\\.)*)"\])?/.exec(path);
  const name = key?.[1] ?? key?.[2];
  const set = name !== undefined && Object.hasOwn(map, name) ? ` ${name}=${JSON.stringify(map[name])}` : '';
  const unknown = /^unknown config field /.test(problem.message);
  const reason = unknown
    ? `${fn.name} has no config field ${name ?? ''}; its fields: ${Object.keys(fn.schema.shape).join(', ')}`
    : problem.message.replace(/^config field \S+(?: \([^)]*\))?: /, '');
  const inner = /^config field \S+ \(([^)]*)\)/.exec(problem.message)?.[1];
  return error(`parameter ${fn.name}${set}: ${inner ? `${inner}: ` : ''}${reason}`, {
    path: `parameters.${fn.name}${name === undefined ? '' : `.${name}`}`,
  });
}

/** The map's config, checked now so a problem names the parameter rather than the ConfigMap it becomes. */
function checkedConfig(fn: KrmFunction, map: Record<string, string>): Outcome<Resource> {
  const config = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `parameter-${fn.name}` },
    data: map,
  };
  const read = readConfig(fn, config, true);
  return read.ok ? success(config) : failure(read.problems.map((p) => parameterProblem(fn, map, p)));
}

/**
 * The steps the application's parameters ask for, or the problems with them; `pipeline` (what the pipeline file
 * runs) only shapes messages.
 */
export function parameterSteps(json: string | undefined, pipeline?: PipelineSteps): Outcome<Step[]> {
  const plan = parameterPlan(json, pipeline);
  return plan.ok ? success(plan.value.steps) : plan;
}

/** Everything the application's parameters ask for, or the problems with them. */
export function parameterPlan(json: string | undefined, pipeline?: PipelineSteps): Outcome<ParameterPlan> {
  if (json === undefined || json.trim() === '') return success({ steps: [] });
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    return failure([error(`ARGOCD_APP_PARAMETERS is not JSON: ${(e as Error).message}`)]);
  }
  if (!Array.isArray(parsed)) return failure([error('ARGOCD_APP_PARAMETERS is not a JSON array')]);
  const problems: Result[] = [];
  let order: string[] | undefined;
  const options: Partial<Record<(typeof stringParameters)[number], string>> = {};
  const configs = new Map<string, Record<string, string>>();
  const seen = new Set<string>();
  for (const entry of parsed as Parameter[]) {
    const name = typeof entry?.name === 'string' ? entry.name : '';
    // A second value would replace the first without a word.
    if (name !== '' && seen.has(name)) {
      problems.push(
        error(`parameter ${name} is given more than once: give it once`, { path: `parameters.${name}` }),
      );
      continue;
    }
    seen.add(name);
    const read = readParameter(entry ?? {}, name);
    if (!read.ok) problems.push(...read.problems);
    else if ('order' in read.value) order = read.value.order;
    else if ('option' in read.value) options[read.value.option] = read.value.value;
    else configs.set(read.value.name, read.value.config);
  }
  for (const name of configs.keys())
    if (order && !order.includes(name)) problems.push(unusedMap(name, order, pipeline));
  const names = order ?? pipelineOrder.filter((name) => configs.has(name));
  const steps: Step[] = [];
  for (const name of names) {
    const fn = byName(name) as KrmFunction;
    const config = checkedConfig(fn, configs.get(name) ?? {});
    if (config.ok) steps.push({ fn, config: config.value, configMap: true });
    else problems.push(...config.problems);
  }
  if (problems.length > 0) return failure(problems);
  const plan: ParameterPlan = { steps };
  if (options.preset !== undefined) plan.preset = options.preset;
  if (options.kustomizeBuildOptions !== undefined) plan.buildOptions = options.kustomizeBuildOptions;
  return success(plan);
}
