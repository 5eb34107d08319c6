/**
 * The resources of an application directory, as Argo CD's repo server would render it: `kubectl kustomize` when it
 * holds a kustomization, else its manifest files one by one (app-files.ts, manifest-file.ts). argocd-generate and
 * explain read directories through this.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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

/** The rendered resources of the directory, or why they could not be rendered. */
export function renderAppDirectory(dir: string, env: NodeJS.ProcessEnv, lenient = false): Outcome<Item[]> {
  if (!kustomizationFiles.some((name) => existsSync(join(dir, name)))) return plainManifests(dir, lenient);
  const build = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', env, maxBuffer: 1 << 30 });
  if (build.error || build.status !== 0) {
    const why = build.error ? build.error.message : build.stderr.trim();
    return failure([error(`kubectl kustomize ${dir} failed: ${why}`)]);
  }
  return readResourceStream(build.stdout);
}
