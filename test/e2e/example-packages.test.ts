/**
 * Each function's example packages (functions/<fn>/examples/<case>/: a Kptfile naming the function's image, its
 * resources and fn-config.yaml), laid out as kpt's function catalog lays out its examples, rendered by the real
 * `kpt fn render` with the image step turned into the exec of bin/meshscrape (the same executable the image runs;
 * argocd-cmp-kpt rewrites image to exec the same way). `.expected/diff.patch` is what the render changes (a
 * `git diff` of the package before and after) and `.expected/results.yaml` what kpt reports. Regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run test/e2e/example-packages.test.ts`, then read the diff.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functions } from '../../src/cli/registry.js';
import { meshscrape, repoRoot, run, tempDir, version } from '../support/orchestrators.js';

const update = process.env.UPDATE_GOLDEN === '1';

const examples = functions.flatMap((fn) => {
  const dir = join(repoRoot, 'functions', fn.name, 'examples');
  return existsSync(dir) ? readdirSync(dir).map((name) => ({ fn: fn.name, name, dir: join(dir, name) })) : [];
});

/** The example's files without .expected/: the package as a user copies it. */
function copyPackage(from: string, to: string): void {
  cpSync(from, to, { recursive: true, filter: (source) => !source.includes('/.expected') });
}

it('every function has at least one example package', () => {
  expect(new Set(examples.map((e) => e.fn))).toEqual(new Set(functions.map((f) => f.name)));
});

describe.each(examples)('$fn / $name', ({ fn, dir }) => {
  const kptfile = readFileSync(join(dir, 'Kptfile'), 'utf8');

  it('names the function image in its Kptfile and holds its config as local config', () => {
    expect(kptfile).toContain(`- image: localhost/meshscrape-${fn}:v${version}\n`);
    expect(readFileSync(join(dir, 'fn-config.yaml'), 'utf8')).toContain(
      'config.kubernetes.io/local-config: "true"',
    );
  });

  it('renders with kpt fn render as .expected/ says', () => {
    const work = tempDir(`example-${fn}`);
    const before = join(work, 'a');
    const after = join(work, 'b');
    copyPackage(dir, before);
    copyPackage(dir, after);
    const exec = `exec: ${meshscrape} ${fn}`;
    writeFileSync(
      join(after, 'Kptfile'),
      kptfile.replace(/image: localhost\/meshscrape-[a-z-]+:v[0-9.]+/g, exec),
    );
    const resultsDir = join(work, 'results');
    const render = run('kpt', ['fn', 'render', after, '--allow-exec', '--results-dir', resultsDir]);
    expect(render.code, render.stderr).toBe(0);
    // The patch is of the resources only: the Kptfile's rewrite to exec is this test's, not the example's.
    cpSync(join(before, 'Kptfile'), join(after, 'Kptfile'));
    const diff = run('git', ['diff', '--no-index', '--no-prefix', 'a', 'b'], { cwd: work });
    // 1: the packages differ; a validator's package stays as it was (0, an empty patch).
    expect(diff.code, diff.stderr).toBe(kptfile.includes('validators:') ? 0 : 1);
    // As run with meshscrape on PATH: no checkout path in the reviewed file.
    const results = readFileSync(join(resultsDir, 'results.yaml'), 'utf8').replaceAll(
      meshscrape,
      'meshscrape',
    );
    const expected = join(dir, '.expected');
    if (update) {
      rmSync(expected, { recursive: true, force: true });
      mkdirSync(expected);
      writeFileSync(join(expected, 'diff.patch'), diff.stdout);
      writeFileSync(join(expected, 'results.yaml'), results);
    }
    expect(diff.stdout).toBe(readFileSync(join(expected, 'diff.patch'), 'utf8'));
    expect(results).toBe(readFileSync(join(expected, 'results.yaml'), 'utf8'));
  });
});
