/**
 * The steps an Argo CD application's plugin parameters (ARGOCD_APP_PARAMETERS, a JSON array) ask for: `functions`,
 * function names in order, and per function a map parameter named after it holding its config in the ConfigMap
 * encoding (scalars as text, lists comma-separated, maps as JSON).
 */
import { error, failure, type Outcome, type Result, success } from '../krm/index.js';
import type { Step } from './pipeline.js';
import { byName, functions, pipelineOrder } from './registry.js';

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

/** What one entry gives: the function order, or one function's config. */
type Read = { order: string[] } | { name: string; config: Record<string, string> };

function readParameter(entry: Parameter, name: string): Outcome<Read> {
  const at = { path: `parameters.${name || '?'}` };
  if (name === 'functions') {
    const list = Array.isArray(entry.array) ? entry.array : undefined;
    if (list?.every((fn) => typeof fn === 'string' && byName(fn)))
      return success({ order: list as string[] });
    const known = functions.map((f) => f.name).join(', ');
    const got = JSON.stringify(entry.array ?? entry.string);
    return failure([error(`functions must be an array of function names (${known}); got ${got}`, at)]);
  }
  if (!byName(name)) {
    const message = `unknown parameter ${JSON.stringify(name)}: expected functions or a function name`;
    return failure([error(message, at)]);
  }
  const map = entry.map;
  if (typeof map !== 'object' || map === null || Array.isArray(map))
    return failure([error(`parameter ${name} must be a map of config fields (ConfigMap encoding)`, at)]);
  return success({ name, config: Object.fromEntries(Object.entries(map).map(([k, v]) => [k, String(v)])) });
}

/**
 * The steps the application's parameters ask for, or the problems with them; `pipeline` (what the pipeline file
 * runs) only shapes messages.
 */
export function parameterSteps(json: string | undefined, pipeline?: PipelineSteps): Outcome<Step[]> {
  if (json === undefined || json.trim() === '') return success([]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    return failure([error(`ARGOCD_APP_PARAMETERS is not JSON: ${(e as Error).message}`)]);
  }
  if (!Array.isArray(parsed)) return failure([error('ARGOCD_APP_PARAMETERS is not a JSON array')]);
  const problems: Result[] = [];
  let order: string[] | undefined;
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
    else configs.set(read.value.name, read.value.config);
  }
  for (const name of configs.keys())
    if (order && !order.includes(name)) problems.push(unusedMap(name, order, pipeline));
  if (problems.length > 0) return failure(problems);
  const names = order ?? pipelineOrder.filter((name) => configs.has(name));
  const steps = names.map((name) => ({
    fn: byName(name) as Step['fn'],
    config: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `argocd-${name}` },
      data: configs.get(name) ?? {},
    },
    configMap: true,
  }));
  return success(steps);
}
