/**
 * The resources `explain` and `validate` read: stdin (a ResourceList, a YAML stream or JSON), one manifest file, or
 * an application directory as argocd-generate renders it; Lists are read as their items.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import {
  type DecodedInput,
  failure,
  type Item,
  type Outcome,
  readResourceList,
  readStream,
  success,
} from '../krm/index.js';
import { renderAppDirectory } from './app-manifests.js';
import { flattenLists, readResourceStream } from './flatten-lists.js';
import { inputLimits } from './input-limits.js';
import { manifestItems } from './manifest-file.js';

/**
 * The resources of stdin. A ResourceList goes through the KRM reader, which splits its items by lines: read as a
 * List by the stream reader it would be parsed whole by the full YAML parser (20 s and 1.2 GB at 6,000 items).
 */
function streamItems(input: DecodedInput): Outcome<Item[]> {
  return resourceListItems(input) ?? readResourceStream(input);
}

/** The items of a text that is one ResourceList, Lists among them flattened; undefined for any other text. */
function resourceListItems(input: DecodedInput): Outcome<Item[]> | undefined {
  const stream = readStream(input.text).value;
  if (input.invalid || stream?.length !== 1 || stream[0]?.kind !== 'ResourceList') return undefined;
  const list = readResourceList(input.text);
  if (!list.ok) return failure(list.problems);
  const flat = flattenLists(list.value.items, (index) => ({ label: `items[${index}] of the ResourceList` }));
  return flat.problems.length > 0 ? failure(flat.problems) : success(flat.items);
}

/** One manifest file, under the per-file cap. */
function fileItems(path: string, lenient: boolean): Outcome<Item[]> {
  const read = strictFileItems(path);
  // Lenient (validate): the file's problems travel with an empty list, so the other inputs are still checked.
  return lenient && !read.ok ? success([], read.problems) : read;
}

function strictFileItems(path: string): Outcome<Item[]> {
  const limits = inputLimits();
  let fd: number | undefined;
  try {
    // Non-blocking: a FIFO named on the command line must not hang the open.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const stats = fstatSync(fd);
    if (!stats.isFile()) return failure([{ severity: 'error', message: `${path}: not a regular file` }]);
    if (stats.size > limits.perFile)
      return failure([
        {
          severity: 'error',
          message: `${path}: ${stats.size} bytes, over the cap of ${limits.perFile} bytes a file (MESHSCRAPE_MAX_FILE_BYTES)`,
        },
      ]);
    const text = readFileSync(fd).toString('utf8');
    const list = path.endsWith('.json') ? undefined : resourceListItems({ text, bom: false });
    return list ?? manifestItems({ path, text });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file or directory'
        : code === 'EACCES'
          ? 'permission denied'
          : (e as Error).message;
    return failure([{ severity: 'error', message: `cannot read ${path}: ${why}` }]);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The resources to analyse, from stdin ('tty' when that is a terminal), a file or a directory. `lenient` (validate)
 * returns what could be read with the problems of the files that could not (each with its file), instead of failing
 * the whole input for one bad file.
 */
export function readInput(
  path: string | undefined,
  readStdin: () => DecodedInput | 'tty',
  env: NodeJS.ProcessEnv,
  lenient = false,
): Outcome<Item[]> | 'tty' {
  if (path === undefined || path === '-') {
    const input = readStdin();
    return input === 'tty' ? 'tty' : streamItems(input);
  }
  let directory = false;
  try {
    directory = statSync(path).isDirectory();
  } catch {
    // fileItems says why it cannot be read
  }
  return directory ? renderAppDirectory(path, env, lenient) : fileItems(path, lenient);
}

/** The lines saying why the input cannot be read: the first ten distinct problems (a stream can repeat one). */
export function inputProblemLines(command: string, problems: readonly { message: string }[]): string {
  const shown = [...new Set(problems.map((p) => p.message))];
  const more = shown.length > 10 ? [`... and ${shown.length - 10} more problem(s)`] : [];
  return [...shown.slice(0, 10), ...more].map((line) => `meshscrape ${command}: ${line}`).join('\n');
}
