/**
 * What every item must have to be a Kubernetes resource: a mapping with apiVersion, kind and metadata.name (or
 * metadata.generateName). An item without them is kept in the output as it came, with an error result: functions
 * cannot tell what it is, and an orchestrator would reject it later with a less precise message.
 */
import type { Item } from './item.js';
import { error, info, type Result } from './results.js';

/** Error results for items that are not complete resources; the items themselves are left alone. */
export function itemProblems(items: readonly Item[]): Result[] {
  const problems: Result[] = [];
  for (const [index, item] of items.entries()) {
    if (item.generated) continue;
    const refused = refusalProblem(item, index);
    if (refused) {
      problems.push(refused);
      continue;
    }
    // apiVersion, kind and name come from the header lines; the item is parsed only when one is missing.
    if (item.apiVersion !== '' && item.kind !== '' && item.name !== '') continue;
    const at = `items[${index}]`;
    const parseErrors = item.parseErrors;
    // Parsing it just now may have refused it (nested deeper than the bound): say so, not "not a resource".
    const late = refusalProblem(item, index);
    if (late) {
      problems.push(late);
      continue;
    }
    if (parseErrors.length > 0) {
      problems.push(error(`${at} has malformed YAML: ${parseErrors[0]}`, { path: at }));
      continue;
    }
    if (!item.isMapping) {
      problems.push(error(`${at} is not a resource (a YAML mapping)`, { path: at }));
      continue;
    }
    if (isListDocument(item)) {
      problems.push(
        info(
          `${at} is a ${item.kind}: passed through unchanged; functions do not look inside List documents (kubectl kustomize flattens them, kpt keeps them)`,
          { ref: item.ref, file: item.file },
        ),
      );
      continue;
    }
    const metadata = item.data.metadata;
    const generateName =
      typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) && metadata.generateName;
    const missing = [
      item.apiVersion === '' ? 'apiVersion' : undefined,
      item.kind === '' ? 'kind' : undefined,
      item.name === '' && typeof generateName !== 'string' ? 'metadata.name' : undefined,
    ].filter((field): field is string => field !== undefined);
    for (const field of missing) {
      problems.push(
        error(`${at} (${item.describe()}) has no ${field}`, { ref: item.ref, file: item.file, path: field }),
      );
    }
  }
  return problems;
}

/**
 * The error for an item refused by a bound (README, "Limits"), naming it by `Kind/namespace/name` when its header
 * lines show that and by its index otherwise; undefined for an item that is not refused.
 */
export function refusalProblem(item: Item, index: number): Result | undefined {
  const reason = item.refusal;
  if (reason === undefined) return undefined;
  const at = `items[${index}]`;
  const label = item.describe();
  return error(
    `${label === '' ? at : `${at} (${label})`} is refused and passed through unchanged: ${reason}`,
    {
      path: at,
      file: item.file,
    },
  );
}

/** A `kind: List` or `*List` document (kube-prometheus ships ConfigMapList, RoleList): kubectl takes its items. */
export function isListDocument(item: Item): boolean {
  return item.kind.endsWith('List') && item.apiVersion !== '' && Array.isArray(item.data.items);
}
