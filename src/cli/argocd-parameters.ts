/**
 * The steps an Argo CD application's plugin parameters (ARGOCD_APP_PARAMETERS, a JSON array) ask for: `functions`,
 * function names in order, and per function a map parameter named after it holding its config in the ConfigMap
 * encoding (scalars as text, lists comma-separated, maps as JSON).
 */
import { error, type Result } from '../krm/results.js';
import type { Step } from './pipeline.js';
import { byName, functions, pipelineOrder } from './registry.js';

/** One entry of ARGOCD_APP_PARAMETERS, as Argo CD sends it. */
interface Parameter {
  name?: unknown;
  string?: unknown;
  array?: unknown;
  map?: unknown;
}

/** The steps the application's parameters ask for, or the problems with them. */
export function parameterSteps(json: string | undefined): { steps: Step[] } | { problems: Result[] } {
  if (json === undefined || json.trim() === '') return { steps: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    return { problems: [error(`ARGOCD_APP_PARAMETERS is not JSON: ${(e as Error).message}`)] };
  }
  if (!Array.isArray(parsed)) return { problems: [error('ARGOCD_APP_PARAMETERS is not a JSON array')] };
  const problems: Result[] = [];
  let order: string[] | undefined;
  const configs = new Map<string, Record<string, string>>();
  for (const entry of parsed as Parameter[]) {
    const name = typeof entry?.name === 'string' ? entry.name : '';
    const at = { path: `parameters.${name || '?'}` };
    if (name === 'functions') {
      const list = Array.isArray(entry.array) ? entry.array : undefined;
      const unknown = (list ?? []).filter((fn) => typeof fn !== 'string' || !byName(fn));
      if (!list || unknown.length > 0) {
        const known = functions.map((f) => f.name).join(', ');
        problems.push(
          error(
            `functions must be an array of function names (${known}); got ${JSON.stringify(entry.array ?? entry.string)}`,
            at,
          ),
        );
      } else order = list as string[];
      continue;
    }
    if (!byName(name)) {
      problems.push(
        error(`unknown parameter ${JSON.stringify(name)}: expected functions or a function name`, at),
      );
      continue;
    }
    const map = entry.map;
    if (typeof map !== 'object' || map === null || Array.isArray(map)) {
      problems.push(error(`parameter ${name} must be a map of config fields (ConfigMap encoding)`, at));
      continue;
    }
    configs.set(name, Object.fromEntries(Object.entries(map).map(([k, v]) => [k, String(v)])));
  }
  if (problems.length > 0) return { problems };
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
  return { steps };
}
