/**
 * The documented install: `npm pack`, then `npm install -g meshscrape-VERSION.tgz` puts `meshscrape` on PATH, which
 * is what `--help`'s `kpt fn eval --exec "meshscrape ..."` needs. The tarball holds the launcher and the bundle, no
 * sources, and installs without the registry (the bundle inlines yaml and zod, so it has no dependencies).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  findResource,
  makePackage,
  packageResources,
  repoRoot,
  run,
  tempDir,
  version,
} from '../support/orchestrators.js';

let dir: string;
let prefix: string;
let files: string[];
let path: string;

beforeAll(() => {
  dir = tempDir('npm-pack');
  // --ignore-scripts: the suite already built dist/, and prepack's rebuild would rewrite it under running tests.
  const pack = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir]);
  expect(pack.code, pack.stderr).toBe(0);
  files = (JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];
  prefix = join(dir, 'prefix');
  const install = run('npm', [
    'install',
    '-g',
    '--offline',
    '--no-audit',
    '--no-fund',
    '--prefix',
    prefix,
    join(dir, `meshscrape-${version}.tgz`),
  ]);
  expect(install.code, install.stderr).toBe(0);
  path = `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`;
}, 120_000);

describe('npm pack + npm install -g', () => {
  it('packs the launcher, the bundle and the docs, not the sources or tests', () => {
    expect(files).toContain('bin/meshscrape');
    expect(files).toContain('dist/meshscrape.cjs');
    expect(files).toContain('functions/set-monitor-tls/README.md');
    expect(files).toContain('CHANGELOG.md');
    expect(files.filter((f) => /^(src|test|node_modules)\//.test(f) || f.startsWith('dist/src/'))).toEqual(
      [],
    );
  });

  it('puts meshscrape on PATH: --help and --version answer', () => {
    expect(existsSync(join(prefix, 'bin', 'meshscrape'))).toBe(true);
    const help = run('meshscrape', ['--help'], { env: { PATH: path }, cwd: dir });
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('set-monitor-tls');
    const shown = run('meshscrape', ['--version'], { env: { PATH: path }, cwd: dir });
    expect(shown.stdout.trim()).toBe(version);
    // Nothing but the package itself was installed.
    expect(readdirSync(join(prefix, 'lib', 'node_modules'))).toEqual(['meshscrape']);
  });

  it('runs a function through kpt fn eval --exec "meshscrape FUNCTION", as --help suggests', () => {
    const pkg = makePackage('npm-installed', join(repoRoot, 'pipelines', 'example'));
    const mount = run('kpt', ['fn', 'eval', pkg, '--exec', 'meshscrape mount-istio-certs'], {
      env: { PATH: path },
      cwd: dir,
    });
    expect(mount.code, mount.stderr).toBe(0);
    const tls = run(
      'kpt',
      ['fn', 'eval', pkg, '--exec', 'meshscrape set-monitor-tls', '--', 'unknownTargets=skip'],
      {
        env: { PATH: path },
        cwd: dir,
      },
    );
    expect(tls.code, tls.stderr).toBe(0);
    const monitor = findResource(packageResources(pkg), 'ServiceMonitor', 'checkout');
    expect(monitor).toMatchObject({ spec: { endpoints: [{ scheme: 'https' }] } });
  });
});
