/**
 * A kpt package checked as kpt's function catalog checks its examples: the real `kpt fn render` on a copy, with
 * every `image: localhost/meshscrape-FUNCTION:vX` step turned into the exec of bin/meshscrape (the executable the
 * image runs; argocd-cmp-kpt rewrites image to exec the same way). `.expected/diff.patch` is what the render changes
 * (a `git diff` of the package before and after) and `.expected/results.yaml` what kpt reports, with no checkout
 * path in it. UPDATE_GOLDEN=1 rewrites .expected/; then read the diff.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { meshscrape, run, tempDir } from './orchestrators.js';

/** A Kptfile's image steps as execs of the built executable. */
export const imageStepsAsExec = (kptfile: string): string =>
  kptfile.replace(/image: localhost\/meshscrape-([a-z-]+):v[0-9.]+/g, `exec: ${meshscrape} $1`);

/** The package's files without .expected/: the package as a user copies it. */
export function copyPackage(from: string, to: string): void {
  cpSync(from, to, { recursive: true, filter: (source) => !source.includes('/.expected') });
}

/** What rendering the package with kpt gives, next to what its .expected/ says (rewritten first when updating). */
export interface KptRender {
  code: number;
  stderr: string;
  /** The rendered copy of the package (the Kptfile as the package has it). */
  rendered: string;
  diff: { code: number; actual: string; expected: string };
  results: { actual: string; expected: string };
}

/** Renders a copy of the package with `kpt fn render --allow-exec` and reads its .expected/. */
export function renderKptPackage(dir: string): KptRender {
  const work = tempDir('kpt-expected');
  const before = join(work, 'a');
  const after = join(work, 'b');
  copyPackage(dir, before);
  copyPackage(dir, after);
  const kptfile = readFileSync(join(dir, 'Kptfile'), 'utf8');
  writeFileSync(join(after, 'Kptfile'), imageStepsAsExec(kptfile));
  const resultsDir = join(work, 'results');
  const render = run('kpt', ['fn', 'render', after, '--allow-exec', '--results-dir', resultsDir]);
  // The patch is of the resources only: the Kptfile's rewrite to exec is this check's, not the package's.
  cpSync(join(before, 'Kptfile'), join(after, 'Kptfile'));
  const diff = run('git', ['diff', '--no-index', '--no-prefix', 'a', 'b'], { cwd: work });
  let results = '';
  try {
    results = readFileSync(join(resultsDir, 'results.yaml'), 'utf8').replaceAll(meshscrape, 'meshscrape');
  } catch {
    // kpt wrote no results: the render failed, which the caller's check of `code` reports.
  }
  const expected = join(dir, '.expected');
  if (process.env.UPDATE_GOLDEN === '1' && render.code === 0) {
    rmSync(expected, { recursive: true, force: true });
    mkdirSync(expected);
    writeFileSync(join(expected, 'diff.patch'), diff.stdout);
    writeFileSync(join(expected, 'results.yaml'), results);
  }
  const reviewed = (file: string) => readFileSync(join(expected, file), 'utf8');
  return {
    code: render.code,
    stderr: render.stderr,
    rendered: after,
    diff: { code: diff.code, actual: diff.stdout, expected: reviewed('diff.patch') },
    results: { actual: results, expected: reviewed('results.yaml') },
  };
}
