/**
 * MESHSCRAPE_RESULTS_FILE for the modes whose caller throws stderr away when they succeed: `kubectl kustomize`
 * discards a legacy plugin's stderr on success, and Helm 3 a post-renderer's. With the variable set, each run
 * appends a heading line and its results (the lines it prints on stderr) to that file, so a build of several
 * plugins leaves one readable log. A file that cannot be written fails the run: the user asked for the results.
 * The path must be absolute: kustomize runs each plugin in its kustomization's directory, so a relative path would
 * land beside each kustomization rather than where the user stood.
 */
import { appendFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { ModeOutput } from './krm-mode.js';

/** The environment variable naming the file. */
export const resultsFileVariable = 'MESHSCRAPE_RESULTS_FILE';

/** Appends the run's results under `heading` to the file the environment names, if it names one. */
export function appendResults(output: ModeOutput, heading: string, env: NodeJS.ProcessEnv): ModeOutput {
  const file = env[resultsFileVariable];
  if (file === undefined || file === '') return output;
  if (!isAbsolute(file))
    return failed(
      output,
      `${resultsFileVariable}=${file} must be an absolute path (kustomize runs each plugin in its kustomization's directory): use "$PWD/${file}"`,
    );
  const status = output.code === 0 ? 'ok' : `failed (exit ${output.code})`;
  const entry = `# meshscrape ${heading}: ${status}\n${output.stderr || '(no results)\n'}`;
  try {
    appendFileSync(file, entry);
    return output;
  } catch (e) {
    return failed(
      output,
      `could not append the results to ${file} (${resultsFileVariable}): ${(e as Error).message}`,
    );
  }
}

/** The run failed (nothing on stdout), its results kept on stderr, with the problem after them. */
const failed = (output: ModeOutput, problem: string): ModeOutput => ({
  stdout: '',
  stderr: `${output.stderr}meshscrape: ${problem}\n`,
  code: output.code === 0 ? 1 : output.code,
});
