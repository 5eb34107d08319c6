/** KRM function mode: a ResourceList on stdin, the same list with results on stdout. */
import {
  asDecoded,
  type DecodedInput,
  error,
  formatResult,
  hasError,
  invalidUtf8Problem,
  type Result,
  readResourceList,
  runFunction,
  writeFailure,
  writeResourceList,
} from '../krm/index.js';
import { byKind, byName, functions } from './registry.js';

/** What a mode hands back to the entry: text for stdout, lines for stderr, the exit code. */
export interface ModeOutput {
  stdout: string;
  stderr: string;
  code: number;
}

function errorsToStderr(results: readonly Result[]): string {
  const lines = results.filter((r) => r.severity === 'error').map(formatResult);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** Runs a ResourceList through the named function, or the one its functionConfig kind names. */
export function runKrm(input: string | DecodedInput, functionName: string | undefined): ModeOutput {
  const decoded = asDecoded(input);
  const read = readResourceList(decoded.text);
  const list = read.value;
  const problems = decoded.invalid
    ? [invalidUtf8Problem(decoded.text, decoded.invalid, list?.items ?? [])]
    : read.problems;
  if (!list || decoded.invalid) {
    return { stdout: writeFailure(problems), stderr: errorsToStderr(problems), code: 1 };
  }
  const kind = list.functionConfig?.kind;
  const fn = functionName ? byName(functionName) : typeof kind === 'string' ? byKind(kind) : undefined;
  if (!fn) {
    const known = functions.map((f) => f.kind).join(', ');
    const results = [
      error(`unknown functionConfig kind ${JSON.stringify(kind ?? null)}; known kinds: ${known}`, {
        path: 'functionConfig.kind',
      }),
    ];
    return { stdout: writeResourceList(list, results), stderr: errorsToStderr(results), code: 1 };
  }
  const output = runFunction(fn, list.items, list.functionConfig, functionName !== undefined);
  list.items = output.items;
  return {
    stdout: writeResourceList(list, output.results),
    stderr: errorsToStderr(output.results),
    code: hasError(output.results) ? 1 : 0,
  };
}
