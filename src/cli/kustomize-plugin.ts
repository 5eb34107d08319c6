/**
 * Legacy kustomize exec plugin mode. `kubectl kustomize` silently skips `exec:` KRM functions, but runs an
 * executable at `$KUSTOMIZE_PLUGIN_HOME/<group>/<version>/<lowercase kind>/<Kind>` with the config file path as
 * argv[1] and a plain YAML stream on stdin. There is no results channel: results go to stderr.
 */
import { chmodSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  asDecoded,
  configApiVersion,
  type DecodedInput,
  hasError,
  runFunction,
  startsWithMarker,
} from '../krm/index.js';
import { readConfigFile } from './config-files.js';
import { readResourceStream } from './flatten-lists.js';
import type { ModeOutput } from './krm-mode.js';
import { byName, functions } from './registry.js';
import { streamFailure, streamSuccess } from './stream-output.js';

/** Runs one function as a legacy plugin on a YAML stream with the config read from `configPath`. */
export function runKustomizePlugin(
  functionName: string,
  configPath: string | undefined,
  input: string | DecodedInput,
): ModeOutput {
  const fn = byName(functionName);
  if (!fn) return { stdout: '', stderr: `meshscrape: unknown function ${functionName}\n`, code: 1 };
  if (!configPath)
    return { stdout: '', stderr: 'meshscrape: kustomize-plugin needs the config file path\n', code: 1 };
  const config = readConfigFile(configPath);
  if (!config.ok) return streamFailure(config.problems);
  const read = readResourceStream(input);
  if (!read.ok) return streamFailure(read.problems);
  const output = runFunction(fn, read.value, config.value[0], false);
  // On failure kustomize discards stdout; printing nothing keeps a half-done stream from looking like success.
  if (hasError(output.results)) return streamFailure(output.results);
  return streamSuccess(output.items, output.results, {
    marker: startsWithMarker(asDecoded(input).text),
  });
}

/** Writes a wrapper script per function kind where kustomize looks for legacy exec plugins. */
export function installKustomizePlugins(dir: string | undefined, executable: string): ModeOutput {
  if (!dir)
    return { stdout: '', stderr: 'meshscrape: install-kustomize-plugins needs a directory\n', code: 1 };
  const target = realpathSync(executable);
  const written: string[] = [];
  for (const fn of functions) {
    const folder = join(dir, configApiVersion, fn.kind.toLowerCase());
    mkdirSync(folder, { recursive: true });
    const file = join(folder, fn.kind);
    const script = `#!/bin/sh\n# Written by meshscrape install-kustomize-plugins: the legacy kustomize exec plugin for ${fn.kind}.\nexec '${target.replaceAll("'", "'\\''")}' kustomize-plugin ${fn.name} "$@"\n`;
    writeFileSync(file, script);
    chmodSync(file, 0o755);
    written.push(file);
  }
  return { stdout: `${written.join('\n')}\n`, stderr: '', code: 0 };
}
