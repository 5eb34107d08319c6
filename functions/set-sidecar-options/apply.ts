/**
 * Applies the wanted labels and annotations to one pod source, all or nothing: the merge is tried on copies
 * first, and a problem (a value that is not a string, a conflict with the cert recipe) leaves the resource as it
 * was. Each key that changes gets an info result naming its field path and who asked for it.
 */
import { isMap, isScalar, YAMLMap } from 'yaml';
import { recipeLosses } from '../../src/domain/cert-recipe-guard.js';
import { type MergePolicy, mergeStringMap, podMetadataPath } from '../../src/domain/pod-annotations.js';
import {
  ensureMapPath,
  error,
  fieldPath,
  type Item,
  info,
  type Result,
  warning,
} from '../../src/krm/index.js';
import type { Wanted } from './desired.js';
import { optionKeys } from './desired.js';

const policy: MergePolicy = { conflicts: 'replace', wantedBy: 'set-sidecar-options' };
type Where = 'labels' | 'annotations';

function stringsOf(map: YAMLMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if (typeof key === 'string' && isScalar(pair.value) && typeof pair.value.value === 'string')
      out[key] = pair.value.value;
  }
  return out;
}

/** Applies `wanted` to `item`; `changed` says whether the resource was edited. */
export function applyWanted(item: Item, wanted: Wanted): { results: Result[]; changed: boolean } {
  const metadata = podMetadataPath(item) ?? [];
  const at = (path: readonly (string | number)[]) => ({
    ref: item.ref,
    file: item.file,
    path: fieldPath(path),
  });
  const trials = {} as Record<
    Where,
    { before: Record<string, string>; after: YAMLMap; desired: Record<string, string> }
  >;
  const results: Result[] = [];
  for (const where of ['labels', 'annotations'] as const) {
    const path = [...metadata, where];
    const node = item.node.getIn(path, true) as unknown;
    if (node !== undefined && node !== null && !isMap(node))
      return {
        results: [error(`${fieldPath(path)} is not a map; nothing was changed`, at(path))],
        changed: false,
      };
    const current = isMap(node) ? (node as YAMLMap) : new YAMLMap();
    const desired = Object.fromEntries([...wanted[where]].map(([k, v]) => [k, v.value]));
    const after = current.clone() as YAMLMap;
    results.push(...mergeStringMap(after, desired, item, path, policy));
    trials[where] = { before: stringsOf(current), after, desired };
  }
  const losses = recipeLosses(
    { labels: trials.labels.before, annotations: trials.annotations.before },
    { labels: stringsOf(trials.labels.after), annotations: stringsOf(trials.annotations.after) },
  );
  for (const loss of losses)
    results.push(
      error(
        `${loss.key} ${loss.message}; this pod carries Istio's cert-mount recipe, which wins: nothing was changed on it`,
        at([...metadata, loss.where, loss.key]),
      ),
    );
  if (results.some((r) => r.severity === 'error')) return { results, changed: false };

  let changed = false;
  for (const where of ['labels', 'annotations'] as const) {
    const { before, desired } = trials[where];
    if (Object.keys(desired).length === 0) continue;
    const path = [...metadata, where];
    const map = ensureMapPath(item.node, path) as YAMLMap;
    mergeStringMap(map, desired, item, path, policy);
    const now = stringsOf(map);
    for (const [key, value] of wanted[where]) {
      if (now[key] === before[key]) continue;
      changed = true;
      const was = before[key] === undefined ? 'added' : `was ${JSON.stringify(before[key])}`;
      results.push(
        info(
          `set ${key}: ${JSON.stringify(now[key])} (${was}): ${value.sources.join('; ')}`,
          at([...path, key]),
        ),
      );
    }
  }
  results.push(...injectWarnings(item, metadata, trials.labels.before, trials.annotations.before, wanted));
  return { results, changed };
}

/** Istio's injector reads the label first (pkg/kube/inject/webhook.go): say so when the other form disagrees. */
function injectWarnings(
  item: Item,
  metadata: readonly string[],
  labels: Record<string, string>,
  annotations: Record<string, string>,
  wanted: Wanted,
): Result[] {
  const key = optionKeys.inject;
  const asLabel = wanted.labels.get(key)?.value;
  const asAnnotation = wanted.annotations.get(key)?.value;
  const target = (where: Where) => ({
    ref: item.ref,
    file: item.file,
    path: fieldPath([...metadata, where, key]),
  });
  if (asLabel !== undefined && annotations[key] !== undefined && annotations[key] !== asLabel)
    return [
      warning(
        `the deprecated annotation ${key}: ${JSON.stringify(annotations[key])} disagrees with the label ${JSON.stringify(asLabel)}; Istio follows the label, remove the annotation`,
        target('annotations'),
      ),
    ];
  if (asAnnotation !== undefined && labels[key] !== undefined && labels[key] !== asAnnotation)
    return [
      warning(
        `the label ${key}: ${JSON.stringify(labels[key])} overrides the annotation ${JSON.stringify(asAnnotation)} (Istio reads the label first); the annotation has no effect`,
        target('labels'),
      ),
    ];
  return [];
}
