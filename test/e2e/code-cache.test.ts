/**
 * bin/meshscrape compiles the bundle from the V8 code cache `npm run build` writes beside it (scripts/bundle.mjs,
 * issue 11's cold start): the cache is used, a cache that does not belong to the bundle is not, and the output is
 * the same with the cache, without it and with a stale one.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meshscrape, repoRoot, tempDir } from '../support/orchestrators.js';
import { asEntry } from '../support/resource-list.js';

const stream = readFileSync(
  join(repoRoot, 'functions', 'set-monitor-tls', 'testdata', 'in-mesh-service', 'resources.yaml'),
  'utf8',
);
const list = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${stream
  .split(/^---\n/m)
  .map((d) => asEntry(d.trimEnd()))
  .join('\n')}\n`;

/** A copy of the executable, its package.json and its bundle, with the cache given (or none). */
function install(cache: Buffer | undefined): string {
  const dir = tempDir('code-cache');
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist'));
  copyFileSync(meshscrape, join(dir, 'bin', 'meshscrape'));
  copyFileSync(join(repoRoot, 'package.json'), join(dir, 'package.json'));
  copyFileSync(join(repoRoot, 'dist', 'meshscrape.cjs'), join(dir, 'dist', 'meshscrape.cjs'));
  if (cache) writeFileSync(join(dir, 'dist', 'meshscrape.cjs.cache'), cache);
  return join(dir, 'bin', 'meshscrape');
}

const runWith = (executable: string, args: string[]) =>
  spawnSync(process.execPath, [executable, ...args], {
    input: list,
    encoding: 'utf8',
    env: { ...process.env, MESHSCRAPE_CODE_CACHE: 'report', NODE_OPTIONS: '' },
  });

describe('the code cache', () => {
  const cache = readFileSync(join(repoRoot, 'dist', 'meshscrape.cjs.cache'));
  const bundle = readFileSync(join(repoRoot, 'dist', 'meshscrape.cjs'));

  it('starts with the bundle first line, which names the SHA-256 of the rest', async () => {
    const firstLine = bundle.subarray(0, bundle.indexOf('\n') + 1);
    expect(cache.subarray(0, firstLine.length).equals(firstLine)).toBe(true);
    const { createHash } = await import('node:crypto');
    const digest = createHash('sha256').update(bundle.subarray(firstLine.length)).digest('hex');
    expect(firstLine.toString()).toBe(`// meshscrape bundle sha256:${digest}\n`);
  });

  it('is used by the built executable, and the output is the same without it or with a stale one', () => {
    const used = runWith(meshscrape, ['set-monitor-tls']);
    expect(used.status).toBe(0);
    expect(used.stderr).toBe('meshscrape: code cache used\n');
    expect(used.stdout).toContain('scheme: https');

    const absent = runWith(install(undefined), ['set-monitor-tls']);
    expect(absent.stderr).toBe('meshscrape: code cache absent\n');
    expect([absent.status, absent.stdout]).toEqual([0, used.stdout]);

    // Another bundle's cache (its first line differs): not handed to V8 at all.
    const stale = Buffer.from(cache);
    // One hex digit of the bundle's hash changed (to another digit: the hash may start with 0).
    const digit = stale.indexOf('sha256:') + 7;
    stale.write(stale[digit] === 0x30 ? '1' : '0', digit);
    const other = runWith(install(stale), ['set-monitor-tls']);
    expect(other.stderr).toBe('meshscrape: code cache absent\n');
    expect([other.status, other.stdout]).toEqual([0, used.stdout]);

    // A cache V8 refuses (its payload damaged): compiled as without one.
    const damaged = Buffer.from(cache);
    damaged.fill(7, 200, 400);
    const refused = runWith(install(damaged), ['set-monitor-tls']);
    expect(refused.stderr).toBe('meshscrape: code cache rejected\n');
    expect([refused.status, refused.stdout]).toEqual([0, used.stdout]);
  });

  it('keeps --help and --version working from the cache', () => {
    const help = runWith(meshscrape, ['--help']);
    expect([help.status, help.stderr]).toEqual([0, 'meshscrape: code cache used\n']);
    expect(help.stdout).toContain('set-monitor-tls');
    const version = runWith(meshscrape, ['--version']);
    expect(version.stdout).toBe(
      `${JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version}\n`,
    );
  });
});

describe('the bundle', () => {
  it("imports zod as a namespace everywhere: `import { z }` makes esbuild keep all of zod's locales (+530 KB)", () => {
    const named = ['src', 'functions']
      .flatMap((dir) =>
        readdirSync(join(repoRoot, dir), { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)),
      )
      .filter(
        (f) =>
          f.endsWith('.ts') &&
          /import (type )?\{[^}]*\} from 'zod'/.test(readFileSync(join(repoRoot, f), 'utf8')),
      );
    expect(named).toEqual([]);
  });
});
