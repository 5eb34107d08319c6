/**
 * validate-mesh-metrics through the orchestrators: a kpt `validators:` entry in a Kptfile pipeline run by the real
 * `kpt fn render` (after the bundled mutators, and on the recipe's own resources), and `kubectl kustomize` with the
 * legacy exec plugins, as the last transformer and under `validators:`.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  installPlugins,
  makePackage,
  normalize,
  packageResources,
  repoRoot,
  run,
  streamResources,
  tempDir,
} from '../support/orchestrators.js';

const testdata = join(repoRoot, 'functions', 'validate-mesh-metrics', 'testdata');
const config =
  'apiVersion: meshscrape.dev/v1alpha1\nkind: ValidateMeshMetrics\nmetadata:\n  name: validate\n  annotations:\n    config.kubernetes.io/local-config: "true"\n';

const kptfile = (mutators: readonly string[]): string =>
  [
    'apiVersion: kpt.dev/v1',
    'kind: Kptfile',
    'metadata:',
    '  name: validated',
    '  annotations:',
    '    config.kubernetes.io/local-config: "true"',
    'pipeline:',
    ...(mutators.length > 0
      ? [
          '  mutators:',
          ...mutators.flatMap((m) => ['    - exec: ./bin/meshscrape', `      configPath: ${m}`]),
        ]
      : []),
    '  validators:',
    '    - exec: ./bin/meshscrape',
    '      configPath: validate-mesh-metrics.yaml',
    '',
  ].join('\n');

/** The config files of the bundled kpt pipeline's mutators, in its order. */
const bundledMutators = (): string[] =>
  (
    parse(readFileSync(join(repoRoot, 'pipelines', 'kpt', 'Kptfile'), 'utf8')) as {
      pipeline: { mutators: { configPath: string }[] };
    }
  ).pipeline.mutators.map((m) => m.configPath);

/** A kpt package of some resources and the validator, with mutators before it. */
function kptPackage(
  sources: readonly string[],
  files: readonly string[],
  mutators: readonly string[] = [],
): string {
  const dir = makePackage('validate-kpt', ...sources);
  for (const file of files) cpSync(file, join(dir, file.split('/').slice(-2).join('-')));
  writeFileSync(join(dir, 'validate-mesh-metrics.yaml'), config);
  writeFileSync(join(dir, 'Kptfile'), kptfile(mutators));
  return dir;
}

describe('as a kpt validator (kpt fn render)', () => {
  it('passes the bundled pipeline: after its mutators nothing is broken', () => {
    const dir = kptPackage(
      [join(repoRoot, 'pipelines', 'example'), join(repoRoot, 'pipelines', 'kpt')],
      [],
      bundledMutators(),
    );
    const result = run('kpt', ['fn', 'render', dir, '--allow-exec', '--truncate-output=false']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /summary: 0 error\(s\), 0 warning\(s\), 0 info; 6 monitor endpoint target\(s\) followed, 0 broken/,
    );
  });

  it("fails the render on the recipe's own resources, naming each finding, and leaves the package as it was", () => {
    const resources = join(testdata, 'recipe-resources', 'resources.yaml');
    const dir = kptPackage([], [resources]);
    const before = normalize(packageResources(dir));
    const result = run('kpt', ['fn', 'render', dir, '--allow-exec', '--truncate-output=false']);
    expect(result.code).not.toBe(0);
    for (const code of ['IST0106', 'MS0015', 'MS0016', 'MS0017', 'MS0014'])
      expect(result.stderr, code).toContain(`${code}: `);
    expect(normalize(packageResources(dir))).toEqual(before);
  });

  it('passes the corrected recipe', () => {
    const dir = kptPackage([], [join(testdata, 'recipe-corrected', 'resources.yaml')]);
    const result = run('kpt', ['fn', 'render', dir, '--allow-exec']);
    expect(result.code, result.stderr).toBe(0);
  });
});

/** A kustomization of one resources file and the validator config under `field`. */
function kustomization(resources: string, field: 'transformers' | 'validators'): string {
  const dir = tempDir('validate-kustomize');
  cpSync(resources, join(dir, 'resources.yaml'));
  writeFileSync(join(dir, 'validate.yaml'), config);
  writeFileSync(
    join(dir, 'kustomization.yaml'),
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - resources.yaml\n${field}:\n  - validate.yaml\n`,
  );
  return dir;
}

const kustomize = (dir: string) =>
  run('kubectl', ['kustomize', '--enable-alpha-plugins', dir], {
    env: { KUSTOMIZE_PLUGIN_HOME: installPlugins() },
  });

describe('in kubectl kustomize (legacy exec plugins)', () => {
  it('as the last transformer: passes a clean list unchanged', () => {
    const resources = join(testdata, 'recipe-corrected', 'resources.yaml');
    const result = kustomize(kustomization(resources, 'transformers'));
    expect(result.code, result.stderr).toBe(0);
    expect(normalize(streamResources(result.stdout))).toEqual(
      normalize(streamResources(readFileSync(resources, 'utf8'))),
    );
  });

  it.each(['transformers', 'validators'] as const)('under %s: fails the build with the findings', (field) => {
    const result = kustomize(kustomization(join(testdata, 'recipe-resources', 'resources.yaml'), field));
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('IST0106: Schema validation error: hosts must be FQDN');
  });

  it('under validators: a clean list still fails, on kustomize v5.5 own check (kubernetes-sigs/kustomize#5036)', () => {
    // kustomize compares a validator's output with reflect.DeepEqual on the parsed YAML nodes, line numbers included,
    // so any exec validator's unchanged output is "modified"; the README says to list it under transformers.
    const result = kustomize(
      kustomization(join(testdata, 'recipe-corrected', 'resources.yaml'), 'validators'),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("validator shouldn't modify the resource map: nodes unequal");
  });
});
