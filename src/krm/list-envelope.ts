/**
 * The ResourceList's own fields (apiVersion, kind, items, results), checked the same way whichever reader cut the
 * input: a list the function misreads would be written back wrong with exit 0, so every doubt is an error.
 */
import { asObject } from './item.js';
import { failure, type Outcome, success } from './outcome.js';
import { error, type Result } from './results.js';

/** The apiVersion this package writes, and the one kpt emits. */
export const resourceListApiVersion = 'config.kubernetes.io/v1';
// kustomize's kyaml reads the older version too; kpt and kustomize both take v1 back.
const acceptedApiVersions = [resourceListApiVersion, 'config.kubernetes.io/v1alpha1'];

/** The error for a top-level key given twice: a last-key-wins reader would drop the first one's content. */
export const duplicateKeyProblem = (key: string): Result =>
  error(`the ResourceList has the key ${key} twice; each top-level key may appear once`, { path: key });

/** The first top-level key that appears twice in `keys`, if any. */
export function repeatedKey(keys: readonly unknown[]): string | undefined {
  const seen = new Set<unknown>();
  for (const key of keys) {
    if (seen.has(key)) return String(key);
    seen.add(key);
  }
  return undefined;
}

/** Problems with the top-level fields other than items' contents: kind, apiVersion, that items is there. */
export function checkHead(head: Record<string, unknown>, hasItems: boolean): Result[] {
  if (head.kind !== 'ResourceList') {
    const kind = typeof head.kind === 'string' ? `kind ${head.kind}` : 'no kind';
    return [error(`input is not a ResourceList (${kind}); expected apiVersion ${resourceListApiVersion}`)];
  }
  if (head.apiVersion === undefined || head.apiVersion === null) {
    return [
      error(`the ResourceList has no apiVersion; expected ${resourceListApiVersion}`, { path: 'apiVersion' }),
    ];
  }
  if (!acceptedApiVersions.includes(head.apiVersion as string)) {
    const message = `ResourceList apiVersion ${String(head.apiVersion)} is not ${resourceListApiVersion} (nor ${acceptedApiVersions[1]})`;
    return [error(message, { path: 'apiVersion' })];
  }
  if (!hasItems) return [error('the ResourceList has no items field', { path: 'items' })];
  return [];
}

/** Results a previous function wrote: a list of mappings, or absent; anything else is an error naming it. */
export function readResults(value: unknown): Outcome<Result[]> {
  if (value === undefined || value === null) return success([]);
  if (!Array.isArray(value)) {
    const problem = `results must be a list of result mappings, not ${JSON.stringify(value)}`;
    return failure([error(problem, { path: 'results' })]);
  }
  const index = value.findIndex((entry) => !asObject(entry));
  if (index >= 0) {
    const path = `results[${index}]`;
    const problem = `${path} must be a result mapping (message, severity), not ${JSON.stringify(value[index])}`;
    return failure([error(problem, { path })]);
  }
  return success(value as Result[]);
}
