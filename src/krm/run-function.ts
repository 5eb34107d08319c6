/** Runs one function on a list of items: config first, then the core, with every failure turned into a result. */
import { readConfig } from './config.js';
import type { Item, Resource } from './item.js';
import { itemProblems, refusalProblem } from './item-checks.js';
import type { FunctionOutput, KrmFunction } from './krm-function.js';
import { error, type Result } from './results.js';

/** Config + core; on a config problem or a crash the items come back as they came in, with error results. */
export function runFunction(
  fn: KrmFunction,
  items: Item[],
  functionConfig: Resource | undefined,
  allowConfigMap: boolean,
): FunctionOutput {
  const { config, problems } = readConfig(fn, functionConfig, allowConfigMap);
  if (!config) return { items, results: problems };
  const incomplete = itemProblems(items);
  const refusedBefore = new Set(items.filter((item) => item.refusal !== undefined));
  // Items are parsed as the function reads them: one refused on the way is reported too.
  const refusedLater = (): Result[] =>
    items.flatMap((item, index) => (refusedBefore.has(item) ? [] : (refusalProblem(item, index) ?? [])));
  try {
    const output = fn.run(items, config);
    const before = [...incomplete, ...refusedLater()];
    return before.length === 0 ? output : { ...output, results: [...before, ...output.results] };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // A crash may leave edits half done: every item goes back to its input text.
    for (const item of items) item.revert();
    return {
      items: items.filter((item) => !item.generated),
      results: [...incomplete, ...refusedLater(), error(`${fn.name} failed: ${message}`)],
    };
  }
}
