/**
 * The resources of an application directory, as Argo CD's repo server would render it: a kustomization through
 * `kustomize build` (or `kubectl kustomize` where no kustomize is on PATH), with the user's build options, else its
 * manifest files one by one (app-files.ts, manifest-file.ts). render, argocd-generate and explain read directories
 * through this (render runs a Kptfile package's pipeline first: kpt-package.ts).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { error, failure, type Item, type Outcome, type Result, success } from '../krm/index.js';
import { readAppFiles } from './app-files.js';
import { readResourceStream } from './flatten-lists.js';
import { inputLimits } from './input-limits.js';
import { manifestItems } from './manifest-file.js';

/** The pipeline file an application directory may hold (and the Argo CD plugin's discovery file). */
export const pipelineFile = 'meshscrape.yaml';
const kustomizationFiles = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The resources of a plain application directory, file by file, or every problem found in them. */
function plainManifests(dir: string, lenient: boolean): Outcome<Item[]> {
  const read = readAppFiles(dir, inputLimits(), (path) => path === pipelineFile, lenient);
  if (!read.ok) return read;
  const items: Item[] = [];
  const problems: Result[] = [...read.problems];
  for (const file of read.value) {
    const manifests = manifestItems(file);
    if (manifests.ok) items.push(...manifests.value);
    else problems.push(...manifests.problems);
  }
  if (lenient) return success(items, problems);
  return problems.length > 0 ? failure(problems) : success(items);
}

/** True when the directory holds a kustomization (kustomize's own three file names). */
export const isKustomization = (dir: string): boolean =>
  kustomizationFiles.some((name) => existsSync(join(dir, name)));

/** True when `command` is an executable file in one of PATH's folders. */
function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((folder) => {
    try {
      accessSync(join(folder || '.', command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** How the kustomization is built: `kustomize build` where it is on PATH (it runs exec functions), else kubectl's. */
export function kustomizeCommand(env: NodeJS.ProcessEnv): { command: string; args: string[] } {
  return onPath('kustomize', env)
    ? { command: 'kustomize', args: ['build'] }
    : { command: 'kubectl', args: ['kustomize'] };
}

/**
 * The rendered resources of the directory, or why they could not be rendered; `buildOptions` are the user's
 * kustomize build options (Argo CD's `kustomize.buildOptions`, as words).
 */
export function renderAppDirectory(
  dir: string,
  env: NodeJS.ProcessEnv,
  lenient = false,
  buildOptions: readonly string[] = [],
): Outcome<Item[]> {
  if (!isKustomization(dir)) return plainManifests(dir, lenient);
  const { command, args } = kustomizeCommand(env);
  const build = spawnSync(command, [...args, dir, ...buildOptions], {
    encoding: 'utf8',
    env,
    maxBuffer: 1 << 30,
  });
  if (build.error || build.status !== 0) {
    const why = build.error ? build.error.message : build.stderr.trim();
    const shown = [command, ...args, dir, ...buildOptions].join(' ');
    // The bundled kustomize pipelines run meshscrape as a legacy exec plugin, which a plain build does not load.
    const hint = /external plugins disabled/.test(why)
      ? ` (this kustomization runs transformers as exec plugins: build it with kustomize build --enable-alpha-plugins --enable-exec, or list the function configs in ${pipelineFile} and let render run them)`
      : '';
    return failure([error(`${shown} failed: ${why}${hint}`)]);
  }
  return readResourceStream(build.stdout);
}
