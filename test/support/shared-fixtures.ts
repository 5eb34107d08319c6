/**
 * Fixtures of ../shared (public manifests the repository does not carry: kube-prometheus, Istio's samples), present
 * beside every clone on this project's machines and in CI. In a clone without them the tests that read them skip
 * and say so on the console, naming the folder, rather than passing silently on less input.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './orchestrators.js';

const warned = new Set<string>();

/** ../shared/fixtures/real-world/PATH when it exists; otherwise undefined, with a notice naming what is skipped. */
export function sharedFixture(path: string, skipped: string): string | undefined {
  const dir = join(repoRoot, '..', 'shared', 'fixtures', 'real-world', path);
  if (existsSync(dir)) return dir;
  const notice = `${skipped} skipped: ${dir} is missing (../shared beside the clone holds the public fixtures)`;
  if (!warned.has(notice)) console.warn(notice);
  warned.add(notice);
  return undefined;
}
