/** Runs one function on a list of items: config first, then the core, with every failure turned into a result. */
import { readConfig } from './config.js';
import { conservationProblems } from './conservation.js';
import type { Item, Resource } from './item.js';
import { itemProblems } from './item-checks.js';
import type { FunctionOutput, KrmFunction } from './krm-function.js';
import { error, hasError } from './results.js';

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
  try {
    const output = fn.run(items, config);
    const conservation = conservationProblems(fn.name, fn.generates ?? [], items, output.items);
    if (hasError(conservation)) {
      // A run that lost or invented a resource is not written at all: the input goes back as it came.
      for (const item of items) item.revert();
      return { items, results: [...incomplete, ...conservation] };
    }
    return { ...output, results: [...incomplete, ...output.results, ...conservation] };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // A crash may leave edits half done: every item goes back to its input text.
    for (const item of items) item.revert();
    return {
      items: items.filter((item) => !item.generated),
      results: [...incomplete, error(`${fn.name} failed: ${message}`)],
    };
  }
}
