/**
 * The shell examples in the READMEs run as written. Each ```sh block runs in bash from the repository root with
 * `DIR` a fresh copy of pipelines/example, `OUT` a path to create, HOME and KUSTOMIZE_PLUGIN_HOME temporary.
 * `npm ...` lines are left out: `npm test` has built the executable already, and the quick-start commands are what
 * CI itself runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasPodman, makePackage, repoRoot, run, streamResources, tempDir } from '../support/orchestrators.js';

const readmes = [
  'README.md',
  ...readdirSync(join(repoRoot, 'functions')).map((fn) => join('functions', fn, 'README.md')),
];

/** The ```sh blocks of a Markdown file, without `npm` lines. */
function shellBlocks(file: string): string[] {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  return [...text.matchAll(/^```sh\n([\s\S]*?)^```/gm)]
    .map((m) => (m[1] as string).split('\n').filter((line) => !/^\s*npm /.test(line)))
    .map((lines) => lines.join('\n').trim())
    .filter((script) => script.replace(/^#.*$/gm, '').trim() !== '');
}

const examples = readmes.flatMap((file) => shellBlocks(file).map((script, i) => ({ file, i, script })));

describe.each(examples)('$file, example $i', ({ script }) => {
  // Container examples use the images test/support/global-setup.ts built; they need podman like the container e2e.
  it.skipIf(/podman|KPT_FN_RUNTIME|docker-shim/.test(script) && !hasPodman)(
    'runs and writes resources',
    () => {
      const home = tempDir('readme-home');
      const dir = makePackage('readme-dir', join(repoRoot, 'pipelines', 'example'));
      const out = join(tempDir('readme-out'), 'out');
      const body = script.replace(/\bDIR\b/g, '"$DIR"').replace(/\bOUT\b/g, '"$OUT"');
      const result = run('bash', ['-euo', 'pipefail', '-c', body], {
        env: { HOME: home, KUSTOMIZE_PLUGIN_HOME: join(home, 'plugins'), DIR: dir, OUT: out },
      });
      expect(result.code, `${body}\n${result.stderr}`).toBe(0);
      // kpt fn eval / render report on stderr and write files; explain and validate print a table; the others print
      // resources.
      if (/meshscrape explain/.test(body)) expect(result.stdout).toMatch(/^#\s+MONITOR\s.*VERDICT$/m);
      else if (/meshscrape validate /.test(body))
        expect(result.stdout).toMatch(/^\d+ error\(s\), \d+ warning\(s\), \d+ info$/m);
      else if (!/(^|\s)kpt fn (eval|render)|kpt fn sink/m.test(body))
        expect(streamResources(result.stdout).length).toBeGreaterThan(0);
    },
  );
});
