/**
 * A Kptfile package as `kpt fn render` reads it: the Kptfile and every `.yaml` / `.yml` file of the package
 * (kpt reads no `.json`), all of them handed to the pipeline, the Kptfile and the steps' config files included.
 * Its pipeline (mutators, then validators) is recognised step by step (kptfile-steps.ts) before anything runs, so
 * a step render cannot run fails the render before any function does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asObject, error, failure, type Item, type Outcome, type Result, success } from '../krm/index.js';
import { readAppFiles } from './app-files.js';
import { pipelineFile } from './app-manifests.js';
import { readConfigFile } from './config-files.js';
import { inputLimits } from './input-limits.js';
import { type KptStep, type KptStepEntry, recogniseStep } from './kptfile-steps.js';
import { manifestItems } from './manifest-file.js';

/** The Kptfile's name in a package. */
export const kptfileName = 'Kptfile';

/** A package read and its pipeline recognised. */
export interface KptPackage {
  items: Item[];
  mutators: KptStep[];
  validators: KptStep[];
  /** Identities (resourceKey) of the config files' resources: render leaves them out of its output. */
  configResources: Set<string>;
}

/** A resource's identity, to recognise it after the pipeline (functions may replace the Item objects). */
export const resourceKey = (item: Item): string =>
  `${item.apiVersion}|${item.kind}|${item.namespace ?? ''}|${item.name}`;

/** Subfolders holding a Kptfile of their own: kpt renders those subpackages first, which render does not do. */
function subpackages(dir: string): string[] {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  return files.filter((f) => f !== kptfileName && f.split('/').pop() === kptfileName && !f.startsWith('.'));
}

/** The steps of `pipeline.<phase>`, or the problems with them (every step is looked at). */
function phaseSteps(pipeline: Record<string, unknown>, phase: string, dir: string): Outcome<KptStep[]> {
  const entries = pipeline[phase];
  if (entries === undefined || entries === null) return success([]);
  if (!Array.isArray(entries))
    return failure([error(`Kptfile pipeline.${phase} must be a list`, { file: { path: kptfileName } })]);
  const steps: KptStep[] = [];
  const problems: Result[] = [];
  for (const [index, entry] of entries.entries()) {
    const where = `Kptfile pipeline.${phase}[${index}]`;
    const object = asObject(entry);
    if (!object) {
      problems.push(error(`${where} is not a mapping`, { file: { path: kptfileName } }));
      continue;
    }
    const step = recogniseStep(object as KptStepEntry, where, dir);
    if (step.ok) steps.push(step.value);
    else problems.push(...step.problems);
  }
  return problems.length > 0 ? failure(problems) : success(steps);
}

/** The package in `dir`: its resources and its pipeline, or every problem found. */
export function readKptPackage(dir: string): Outcome<KptPackage> {
  const kptfile = readConfigFile(join(dir, kptfileName));
  if (!kptfile.ok) return kptfile;
  const [document] = kptfile.value;
  if (kptfile.value.length !== 1 || document?.kind !== 'Kptfile')
    return failure([
      error('Kptfile must hold one resource of kind Kptfile', { file: { path: kptfileName } }),
    ]);
  const nested = subpackages(dir);
  if (nested.length > 0)
    return failure([
      error(
        `the package has subpackages (${nested.join(', ')}); meshscrape render renders one package: run kpt fn render`,
        { file: { path: nested[0] as string } },
      ),
    ]);
  const pipeline = asObject(document.pipeline) ?? {};
  const mutators = phaseSteps(pipeline, 'mutators', dir);
  const validators = phaseSteps(pipeline, 'validators', dir);
  const problems = [...mutators.problems, ...validators.problems];
  if (!mutators.ok || !validators.ok) return failure(problems);
  const files = readAppFiles(dir, inputLimits(), (path) => path === pipelineFile || path.endsWith('.json'));
  if (!files.ok) return files;
  const configFiles = new Set(
    [...mutators.value, ...validators.value].flatMap((s) =>
      s.configFile === undefined ? [] : [s.configFile],
    ),
  );
  const items: Item[] = [];
  const configResources = new Set<string>();
  const kptfileText = readFileSync(join(dir, kptfileName), 'utf8');
  for (const file of [{ path: kptfileName, text: kptfileText }, ...files.value]) {
    const read = manifestItems(file);
    if (!read.ok) {
      problems.push(...read.problems);
      continue;
    }
    items.push(...read.value);
    if (configFiles.has(file.path)) for (const item of read.value) configResources.add(resourceKey(item));
  }
  if (problems.length > 0) return failure(problems);
  return success({ items, mutators: mutators.value, validators: validators.value, configResources });
}
