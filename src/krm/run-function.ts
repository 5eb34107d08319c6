/** Runs one function on a list of items: config first, then the core, with every failure turned into a result. */
import { readConfig } from './config.js';
import { conservationProblems } from './conservation.js';
import { type Item, MalformedItem, type Resource } from './item.js';
import { itemProblems, refusalProblem } from './item-checks.js';
import type { FunctionOutput, KrmFunction } from './krm-function.js';
import { error, hasError, type Result, warning } from './results.js';

/** How many malformed items one run sets aside before it gives up (each costs a run of the function). */
const maxSetAside = 20;

/** The result for an item set aside: a key given twice is a warning (the API server rejects it), else an error. */
function setAsideResult(e: MalformedItem): Result {
  const target = { ref: e.item.ref, file: e.item.file };
  if (e.code === 'DUPLICATE_KEY')
    return warning(
      `${e.reason}; passed through unchanged (the API server's strict field validation rejects it)`,
      target,
    );
  if (e.code === 'REFUSED') return error(`refused and passed through unchanged: ${e.reason}`, target);
  return error(`malformed YAML: ${e.reason}; passed through unchanged`, target);
}

/** Config + core; on a config problem or a crash the items come back as they came in, with error results. */
export function runFunction(
  fn: KrmFunction,
  items: Item[],
  functionConfig: Resource | undefined,
  allowConfigMap: boolean,
): FunctionOutput {
  const read = readConfig(fn, functionConfig, allowConfigMap);
  if (!read.ok) return { items, results: read.problems };
  const config = read.value;
  const incomplete = itemProblems(items);
  const setAside = new Set<Item>();
  const setAsideResults: Result[] = [];
  const refusedBefore = new Set(items.filter((item) => item.refusal !== undefined));
  // Items are parsed as the function reads them: one refused on the way (and not set aside) is reported too.
  const refusedLater = (): Result[] =>
    items.flatMap((item, index) =>
      refusedBefore.has(item) || setAside.has(item) ? [] : (refusalProblem(item, index) ?? []),
    );
  for (;;) {
    try {
      const output = runChecked(fn, items, setAside, config, [...incomplete, ...setAsideResults]);
      const later = refusedLater();
      return later.length === 0 ? output : { ...output, results: [...later, ...output.results] };
    } catch (e) {
      // One malformed resource must not stop the run: set it aside and run again on the rest.
      for (const item of items) item.revert();
      if (!(e instanceof MalformedItem) || setAside.has(e.item) || setAside.size >= maxSetAside)
        return crashed(fn, items, [...incomplete, ...setAsideResults], e);
      setAside.add(e.item);
      setAsideResults.push(setAsideResult(e));
    }
  }
}

/** One run on the items not set aside; those go back at their places. Crashes other than malformed items end it. */
function runChecked(
  fn: KrmFunction,
  items: Item[],
  setAside: ReadonlySet<Item>,
  config: Parameters<KrmFunction['run']>[1],
  incomplete: readonly Result[],
): FunctionOutput {
  try {
    const runnable = setAside.size === 0 ? items : items.filter((item) => !setAside.has(item));
    const ran = fn.run(runnable, config);
    const output = setAside.size === 0 ? ran : { ...ran, items: withSetAside(items, ran.items, setAside) };
    const conservation = conservationProblems(fn.name, fn.generates ?? [], items, output.items);
    if (hasError(conservation)) {
      // A run that lost or invented a resource is not written at all: the input goes back as it came.
      for (const item of items) item.revert();
      return { items, results: [...incomplete, ...conservation] };
    }
    return { ...output, results: [...incomplete, ...output.results, ...conservation] };
  } catch (e) {
    if (e instanceof MalformedItem) throw e;
    for (const item of items) item.revert();
    return crashed(fn, items, incomplete, e);
  }
}

/** A crash: edits may be half done, so every item goes back to its input text (the caller reverted them). */
function crashed(fn: KrmFunction, items: Item[], results: readonly Result[], e: unknown): FunctionOutput {
  const message = e instanceof Error ? e.message : String(e);
  return {
    items: items.filter((item) => !item.generated),
    results: [...results, error(`${fn.name} failed: ${message}`)],
  };
}

/** The output with the set-aside items back, each after the input item that stood before it. */
function withSetAside(input: readonly Item[], output: readonly Item[], setAside: ReadonlySet<Item>): Item[] {
  const result = [...output];
  for (const [index, item] of input.entries()) {
    if (!setAside.has(item)) continue;
    const before = input
      .slice(0, index)
      .reverse()
      .find((other) => result.includes(other));
    result.splice(before === undefined ? 0 : result.indexOf(before) + 1, 0, item);
  }
  return result;
}
