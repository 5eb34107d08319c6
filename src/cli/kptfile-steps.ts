/**
 * The steps of a Kptfile pipeline that `meshscrape render` runs in process, as `kpt fn render` would run them out
 * of process. A step is meshscrape's when its `image:` is named `meshscrape` (the function from the config kind) or
 * `meshscrape-<function>` (as in kpt's catalog), with any registry and tag, or its `exec:` command is `meshscrape`
 * (any path) with an optional function name. Any other step cannot be run here and is an error naming it: running
 * the rest would render something `kpt fn render` never would.
 */
import { realpathSync } from 'node:fs';
import { basename, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { error, failure, type Outcome, type Resource, type Result, success } from '../krm/index.js';
import { readConfigFile } from './config-files.js';
import type { Step } from './pipeline.js';
import { byKind, byName, functions } from './registry.js';

/** A Kptfile step as written (`pipeline.mutators[i]` or `pipeline.validators[i]`). */
export interface KptStepEntry {
  image?: unknown;
  exec?: unknown;
  configPath?: unknown;
  configMap?: unknown;
  name?: unknown;
  [key: string]: unknown;
}

/** A recognised step: what to run, how kpt's results name it, and the config file it reads (if any). */
export interface KptStep {
  step: Step;
  /** `image: NAME` or `exec: COMMAND`, as kpt's results name the step. */
  runner: { image: string } | { exec: string };
  configFile?: string;
}

/** Keys kpt knows on a step that render honours; `selectors` and `exclude` it cannot honour (yet). */
const knownKeys = new Set(['image', 'exec', 'configPath', 'configMap', 'name']);

/** The function an image names: `meshscrape` (undefined: from the config kind) or `meshscrape-FN`. */
function imageFunction(image: string): { fn: string | undefined } | undefined {
  // Registry and repository path before the last `/`, tag after `:`, digest after `@`.
  const last = image.split('@')[0]?.split('/').pop() ?? '';
  const name = last.split(':')[0] ?? '';
  if (name === 'meshscrape') return { fn: undefined };
  if (name.startsWith('meshscrape-')) return { fn: name.slice('meshscrape-'.length) };
  return undefined;
}

/** The function an exec command names: `[path/]meshscrape [FN]`; extra words are not ours to guess. */
function execFunction(exec: string): { fn: string | undefined } | undefined | 'extra' {
  const words = exec.trim().split(/\s+/);
  if (basename(words[0] ?? '') !== 'meshscrape') return undefined;
  if (words.length > 2) return 'extra';
  return { fn: words[1] };
}

/** The config file a step names, inside the package, as a path relative to it. */
function packagePath(configPath: string): string | undefined {
  const path = normalize(configPath);
  if (isAbsolute(path) || path === '..' || path.startsWith(`..${sep}`)) return undefined;
  return path;
}

/** Whether the config file, symlinks followed, lies outside the package; a missing file is the reader's to report. */
function leavesPackage(dir: string, file: string): boolean {
  try {
    const inside = relative(realpathSync(dir), realpathSync(join(dir, file)));
    return inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside);
  } catch {
    return false;
  }
}

/**
 * The step `entry` asks for, or why render cannot run it. `where` names it for messages
 * (`Kptfile pipeline.mutators[0]`); `dir` is the package, which `configPath` is relative to.
 */
export function recogniseStep(entry: KptStepEntry, where: string, dir: string): Outcome<KptStep> {
  const fail = (why: string, path?: string): Outcome<KptStep> =>
    failure([error(`${where}: ${why}`, { file: { path: 'Kptfile' }, ...(path ? { path } : {}) })]);
  const unknown = Object.keys(entry).filter((key) => !knownKeys.has(key));
  if (unknown.length > 0)
    return fail(
      `meshscrape render does not support ${unknown.join(', ')} on a step; run the package with kpt fn render`,
      unknown[0],
    );
  const { image, exec } = entry;
  if ((image === undefined) === (exec === undefined))
    return fail('a step needs exactly one of image and exec');
  const runner = typeof image === 'string' ? { image } : typeof exec === 'string' ? { exec } : undefined;
  if (!runner) return fail(`${image === undefined ? 'exec' : 'image'} must be a string`);
  const named = 'image' in runner ? imageFunction(runner.image) : execFunction(runner.exec);
  const shown = 'image' in runner ? `image ${runner.image}` : `exec ${JSON.stringify(runner.exec)}`;
  if (named === 'extra')
    return fail(`${shown}: meshscrape takes one argument in a pipeline step, the function name`);
  if (!named)
    return fail(
      `${shown} is not a meshscrape function; meshscrape render runs only meshscrape's own steps (image meshscrape or meshscrape-FUNCTION, exec meshscrape [FUNCTION]): run this package with kpt fn render`,
      'image' in runner ? 'image' : 'exec',
    );
  if (named.fn !== undefined && !byName(named.fn))
    return fail(
      `${shown} names no meshscrape function ${JSON.stringify(named.fn)}; known: ${functions.map((f) => f.name).join(', ')}`,
    );
  if (entry.configPath !== undefined && entry.configMap !== undefined)
    return fail('a step takes configPath or configMap, not both');
  const config = stepConfig(entry, where, dir);
  if (!config.ok) return config;
  const { resource, file } = config.value;
  let fn = named.fn === undefined ? undefined : byName(named.fn);
  if (!fn) {
    // `meshscrape` alone: the config kind picks the function, as `meshscrape < list` does.
    const kind = resource?.kind;
    fn = typeof kind === 'string' ? byKind(kind) : undefined;
    if (!fn)
      return fail(
        `${shown} runs the function its config kind names, and ${resource ? `kind ${JSON.stringify(kind ?? null)} is none of ${functions.map((f) => f.kind).join(', ')}` : 'the step has no configPath'}; name the function (meshscrape-FUNCTION, or exec "meshscrape FUNCTION")`,
        resource ? 'configPath' : undefined,
      );
  }
  const step: Step = { fn, config: resource, configMap: named.fn !== undefined };
  return success(file === undefined ? { step, runner } : { step, runner, configFile: file });
}

/** The step's config: a file of the package, a ConfigMap made of `configMap` (as kpt makes it), or none. */
function stepConfig(
  entry: KptStepEntry,
  where: string,
  dir: string,
): Outcome<{ resource: Resource | undefined; file?: string }> {
  const at = (why: string, path: string): Outcome<never> =>
    failure([error(`${where}: ${why}`, { file: { path: 'Kptfile' }, path })]);
  if (entry.configMap !== undefined) {
    const data = entry.configMap;
    if (typeof data !== 'object' || data === null || Array.isArray(data))
      return at('configMap must be a map of strings', 'configMap');
    return success({
      resource: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'function-input' },
        data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, String(v)])),
      },
    });
  }
  if (entry.configPath === undefined) return success({ resource: undefined });
  if (typeof entry.configPath !== 'string') return at('configPath must be a string', 'configPath');
  const file = packagePath(entry.configPath);
  if (!file) return at(`configPath ${entry.configPath} is outside the package`, 'configPath');
  // A symlink inside the package may still lead out of it (README: such a link is refused).
  if (leavesPackage(dir, file))
    return at(`configPath ${entry.configPath} is a symlink that resolves outside the package`, 'configPath');
  const read = readConfigFile(join(dir, file));
  if (!read.ok) return failure(read.problems.map((p) => withWhere(p, where, file)));
  if (read.value.length !== 1)
    return at(
      `configPath ${file} holds ${read.value.length} documents; a step's config is one resource`,
      'configPath',
    );
  return success({ resource: read.value[0], file });
}

function withWhere(problem: Result, where: string, file: string): Result {
  return { ...problem, message: `${where}: ${problem.message}`, file: { path: file } };
}
