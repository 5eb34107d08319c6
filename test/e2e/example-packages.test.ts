/**
 * Each function's example packages (functions/<fn>/examples/<case>/: a Kptfile naming the function's image, its
 * resources and fn-config.yaml), laid out as kpt's function catalog lays out its examples, rendered by the real
 * `kpt fn render` as .expected/ says (test/support/kpt-expected.ts). Regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run test/e2e/example-packages.test.ts`, then read the diff.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functions } from '../../src/cli/registry.js';
import { renderKptPackage } from '../support/kpt-expected.js';
import { repoRoot, version } from '../support/orchestrators.js';

const examples = functions.flatMap((fn) => {
  const dir = join(repoRoot, 'functions', fn.name, 'examples');
  return existsSync(dir) ? readdirSync(dir).map((name) => ({ fn: fn.name, name, dir: join(dir, name) })) : [];
});

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
    const render = renderKptPackage(dir);
    expect(render.code, render.stderr).toBe(0);
    // 1: the packages differ; a validator's package stays as it was (0, an empty patch).
    expect(render.diff.code).toBe(kptfile.includes('validators:') ? 0 : 1);
    expect(render.diff.actual).toBe(render.diff.expected);
    expect(render.results.actual).toBe(render.results.expected);
  });
});
