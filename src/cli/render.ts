/**
 * `meshscrape render [DIR] [--preset NAME] [--results FILE] [--kustomize-build-options "..."]`: renders an
 * application directory as its kind of source renders (render-app.ts) and prints only the manifests on stdout, a
 * summary of the results on stderr (render-report.ts). Any error result, or nothing to print, exits 1 with nothing
 * on stdout: a deploy tool reading stdout (Argo CD prunes on an empty output) must never take a failure for an
 * empty application.
 */
import { writeFileSync } from 'node:fs';
import { writeStream } from '../krm/index.js';
import type { ModeOutput } from './krm-mode.js';
import { presetByName, presets } from './presets.js';
import { type Rendering, type RenderRequest, renderApp } from './render-app.js';
import { kptResults, renderSummary } from './render-report.js';

/** render's options, as parsed from its arguments. */
interface RenderArgs {
  dir: string;
  preset?: string;
  results?: string;
  buildOptions: string[];
  short: boolean;
}

const valueOptions = ['--preset', '--results', '--kustomize-build-options', '--summary'] as const;

/** kustomize build options as words (as Argo CD splits `kustomize.buildOptions`). */
export const buildOptionWords = (text: string): string[] => text.split(/\s+/).filter((w) => w !== '');

function parseArgs(args: readonly string[]): RenderArgs | string {
  const parsed: RenderArgs = { dir: '.', buildOptions: [], short: false };
  let dir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    if (valueOptions.includes(flag as (typeof valueOptions)[number])) {
      const value = inline ?? args[++i];
      if (value === undefined) return `${flag} needs a value`;
      if (flag === '--preset') {
        // A name that is no preset is a usage error, like an unknown option: nothing is rendered.
        if (!presetByName(value))
          return `--preset: unknown preset ${JSON.stringify(value)}; known presets: ${presets.map((p) => p.name).join(', ')}`;
        parsed.preset = value;
      } else if (flag === '--results') parsed.results = value;
      else if (flag === '--summary') {
        if (value !== 'short' && value !== 'full') return `--summary takes short or full, not ${value}`;
        parsed.short = value === 'short';
      } else parsed.buildOptions.push(...buildOptionWords(value));
    } else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else if (dir !== undefined) return `unexpected argument ${arg} (one directory at most)`;
    else dir = arg;
  }
  if (dir !== undefined) parsed.dir = dir;
  return parsed;
}

/** What a rendering prints: manifests on success, the summary always, the results file when asked. */
export function renderOutput(
  rendering: Rendering,
  dir: string,
  resultsFile?: string,
  short = false,
): ModeOutput {
  let stderr = renderSummary(rendering, dir, short);
  let ok = rendering.ok;
  if (resultsFile !== undefined) {
    try {
      writeFileSync(resultsFile, kptResults(rendering));
    } catch (e) {
      ok = false;
      stderr += `meshscrape: could not write the results to ${resultsFile}: ${(e as Error).message}\n`;
    }
  }
  if (!ok) return { stdout: '', stderr, code: 1 };
  return { stdout: writeStream(rendering.items), stderr, code: 0 };
}

/** Runs `render` with its arguments. */
export function runRender(args: readonly string[], env: NodeJS.ProcessEnv): ModeOutput {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string')
    return { stdout: '', stderr: `meshscrape render: ${parsed}\n\n${renderHelp()}`, code: 2 };
  const request: RenderRequest = { dir: parsed.dir, env, buildOptions: parsed.buildOptions };
  if (parsed.preset !== undefined) request.preset = { name: parsed.preset, where: '--preset' };
  return renderOutput(renderApp(request), parsed.dir, parsed.results, parsed.short);
}

/** `render --help`. */
export function renderHelp(): string {
  const list = presets.map((p) => `  ${p.name.padEnd(26)} ${p.summary}`).join('\n');
  return `Usage: meshscrape render [DIR] [--preset NAME] [--results FILE] [--kustomize-build-options "..."]
                         [--summary full|short]

Renders DIR (default .) as its kind of source renders, then meshscrape's pipeline:
  a Kptfile package       its pipeline, in process, as kpt fn render runs it: mutators then validators. Steps
                          must be meshscrape's: image meshscrape or meshscrape-FUNCTION (any registry and tag), or
                          exec "meshscrape [FUNCTION]", with configPath or configMap; any other step is an error
  a kustomization         kustomize build (kubectl kustomize where kustomize is not on PATH), with the options
  otherwise               its .yaml, .yml and .json files, subfolders included
then the steps of DIR/meshscrape.yaml (function configs, or a document "preset: NAME"), then --preset.

stdout: the manifests only (no Kptfile, no config files of the pipeline, no local-config objects).
stderr: the results, grouped by resource: errors and warnings first, then what changed (info); with
        --summary short, the infos as each function's summary and one line per resource.
--results FILE: the results in kpt's format (kpt.dev/v1 FunctionResultList, one entry per step).
Exit status: 0; 1 on any error result or when nothing would be printed (stdout then stays empty); 2 for usage.

Presets:
${list}
`;
}
