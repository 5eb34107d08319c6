/** The `meshscrape` entry: picks the mode from the arguments; the only module that touches process I/O. */
import { isatty } from 'node:tty';
import { currentLimits, type DecodedInput, decodeInput, limitsFrom, setLimits } from '../krm/index.js';
import { runArgoGenerate } from './argocd.js';
import { explainHelp, runExplain } from './explain.js';
import { configJsonSchema, functionHelp, usage } from './help.js';
import { type ModeOutput, runKrm } from './krm-mode.js';
import { installKustomizePlugins, runKustomizePlugin } from './kustomize-plugin.js';
import { packageManifest } from './package-manifest.js';
import { runPostRender } from './post-render.js';
import { byName } from './registry.js';
import { renderHelp, runRender } from './render.js';
import { appendResults } from './results-file.js';
import { readStdinBytes, writeAll } from './stdio.js';
import { runValidate, validateHelp } from './validate.js';

/** Thrown when stdin is over the input cap: nothing of it is parsed. */
class InputTooLarge extends Error {}

/** Whether stdin started with a byte order mark, and ended its lines in CR LF (the output then does too). */
let inputHadBom = false;
let inputHadCrlf = false;

/** All of stdin, decoded; refuses input over the cap before parsing any of it. */
function readStdinInput(): DecodedInput {
  const max = currentLimits().maxInputBytes;
  const read = readStdinBytes(max);
  if ('tooLarge' in read) {
    throw new InputTooLarge(
      `the input is over ${max} bytes (MESHSCRAPE_MAX_INPUT_BYTES); nothing was read as YAML. Raise the limit if the input is meant to be this large`,
    );
  }
  return decodeInput(read.bytes);
}

/** stdin for the modes that write resources back: they keep its byte order mark and line ends. */
function readStdin(): DecodedInput {
  const input = readStdinInput();
  inputHadBom = input.bom;
  inputHadCrlf = input.crlf === true;
  return input;
}

const isHelp = (arg: string | undefined): boolean => arg === '--help' || arg === '-h' || arg === 'help';

function dispatch(args: readonly string[], executable: string): ModeOutput {
  const [first, second, third] = args;
  const text = (stdout: string): ModeOutput => ({ stdout, stderr: '', code: 0 });
  if (first === undefined) {
    // Never process.stdin: opening it makes fd 0 non-blocking (see stdio.ts).
    if (isatty(0)) return { stdout: '', stderr: usage(), code: 2 };
    return runKrm(readStdin(), undefined);
  }
  if (isHelp(first)) {
    if (second === 'explain') return text(explainHelp());
    if (second === 'validate') return text(validateHelp());
    if (second === 'render') return text(renderHelp());
    const fn = second ? byName(second) : undefined;
    return text(fn ? functionHelp(fn) : usage());
  }
  if (first === '--version') return text(`${packageManifest().version}\n`);
  if (first === 'kustomize-plugin')
    return appendResults(
      runKustomizePlugin(second ?? '', third, readStdin()),
      `kustomize-plugin ${second ?? ''}`,
      process.env,
    );
  if (first === 'install-kustomize-plugins') return installKustomizePlugins(second, executable);
  if (first === 'post-render')
    return appendResults(
      runPostRender(args.slice(1), readStdin()),
      `post-render ${args.slice(1).join(' ')}`,
      process.env,
    );
  if (first === 'argocd-generate') return runArgoGenerate(process.cwd(), process.env);
  if (first === 'render') {
    if (isHelp(second)) return text(renderHelp());
    return runRender(args.slice(1), process.env);
  }
  // A report, not resources: no byte order mark or CR LF carried over from the input.
  if (first === 'explain')
    return runExplain(args.slice(1), () => (isatty(0) ? 'tty' : readStdinInput()), process.env);
  if (first === 'validate')
    return runValidate(
      args.slice(1),
      () => (isatty(0) ? 'tty' : readStdinInput()),
      process.env,
      packageManifest().version,
    );
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
  let bom = false;
  try {
    const { limits, problems } = limitsFrom(process.env);
    if (problems.length > 0) throw new InputTooLarge(problems.join('; '));
    setLimits(limits);
    output = dispatch(args, executable);
    bom = inputHadBom;
  } catch (e) {
    // A refusal is a sentence; anything else is a bug, and its stack says where (after a sentence saying so).
    const message =
      e instanceof InputTooLarge
        ? e.message
        : `internal error, please report it: ${(e as Error).stack ?? String(e)}`;
    output = { stdout: '', stderr: `meshscrape: ${message}\n`, code: 1 };
  }
  // The output keeps the input's byte order mark: a tool that wrote one may expect it back.
  const ended = inputHadCrlf ? output.stdout.replaceAll('\n', '\r\n') : output.stdout;
  const stdout = bom && ended !== '' ? `\uFEFF${ended}` : ended;
  const failed = writeAll(1, stdout);
  if (failed !== undefined) {
    writeAll(2, `${output.stderr}meshscrape: could not write the output: ${failed}\n`);
    process.exit(output.code === 0 ? 1 : output.code);
  }
  if (output.stderr) writeAll(2, output.stderr);
  process.exit(output.code);
}
