/** The `meshscrape` entry: picks the mode from the arguments; the only module that touches process I/O. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runArgoGenerate } from './argocd.js';
import { configJsonSchema, functionHelp, usage } from './help.js';
import { type ModeOutput, runKrm } from './krm-mode.js';
import { installKustomizePlugins, runKustomizePlugin } from './kustomize-plugin.js';
import { runPostRender } from './post-render.js';
import { byName } from './registry.js';
import { readStdin } from './stdin.js';

const isHelp = (arg: string | undefined): boolean => arg === '--help' || arg === '-h' || arg === 'help';

/** The package version, from the nearest package.json above this module (dist/ bundle or compiled tree). */
function version(): string {
  for (const up of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const file = fileURLToPath(new URL(up, import.meta.url));
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'meshscrape' && manifest.version) return manifest.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}

function dispatch(args: readonly string[], executable: string): ModeOutput {
  const [first, second, third] = args;
  const text = (stdout: string): ModeOutput => ({ stdout, stderr: '', code: 0 });
  if (first === undefined) {
    if (process.stdin.isTTY) return { stdout: '', stderr: usage(), code: 2 };
    return runKrm(readStdin(), undefined);
  }
  if (isHelp(first)) {
    const fn = second ? byName(second) : undefined;
    return text(fn ? functionHelp(fn) : usage());
  }
  if (first === '--version') return text(`${version()}\n`);
  if (first === 'kustomize-plugin') return runKustomizePlugin(second ?? '', third, readStdin());
  if (first === 'install-kustomize-plugins') return installKustomizePlugins(second, executable);
  if (first === 'post-render') return runPostRender(args.slice(1), readStdin());
  if (first === 'argocd-generate') return runArgoGenerate(process.cwd(), process.env);
  if (first === 'schema') {
    const fn = byName(second ?? '');
    if (!fn)
      return { stdout: '', stderr: `meshscrape: unknown function ${second ?? ''}\n${usage()}`, code: 2 };
    return text(`${JSON.stringify(configJsonSchema(fn), null, 2)}\n`);
  }
  const fn = byName(first);
  if (!fn)
    return { stdout: '', stderr: `meshscrape: unknown function or command ${first}\n\n${usage()}`, code: 2 };
  if (isHelp(second)) return text(functionHelp(fn));
  if (second !== undefined)
    return { stdout: '', stderr: `meshscrape: unexpected argument ${second}\n`, code: 2 };
  return runKrm(readStdin(), fn.name);
}

/** Runs the CLI with `args` (argv after the script) and exits with the mode's code. */
export function main(args: readonly string[], executable: string): void {
  let output: ModeOutput;
  try {
    output = dispatch(args, executable);
  } catch (e) {
    output = { stdout: '', stderr: `meshscrape: ${(e as Error).stack ?? String(e)}\n`, code: 1 };
  }
  if (output.stderr) process.stderr.write(output.stderr);
  // Exit only after stdout drained: a large ResourceList written to a pipe is flushed asynchronously.
  process.stdout.write(output.stdout, () => process.exit(output.code));
}
