/**
 * Builds the container images once, before any test file runs: the container e2e tests and the README's container
 * examples both use them, and two concurrent podman builds of the same tags would race. Skipped without podman
 * (the container tests then skip too) or when dist/ has not been built (`npm test` builds it first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hasPodman, repoRoot } from './orchestrators.js';

export default function setup(): void {
  if (!hasPodman) return;
  if (!existsSync(join(repoRoot, 'dist', 'meshscrape.cjs'))) return;
  const build = spawnSync('bash', [join(repoRoot, 'container', 'build-image.sh')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`container/build-image.sh failed:\n${build.stderr}`);
}
