/**
 * Step 1: `metadata.namespace` of every moved resource, a result for every resource of `from` that stays and why,
 * and the checks on the moved resources themselves (compiled Service names, platform-managed add-ons).
 */
import { isNamespace } from '../../src/domain/kinds.js';
import { warning } from '../../src/krm/index.js';
import type { Edits } from './edits.js';
import { labelsOf } from './plan.js';
import { compiledServiceNames } from './presets.js';

const managedByLabel = 'kubernetes.azure.com/managedby';

/** Moves the planned resources and reports every resource of `from`. */
export function moveResources(edits: Edits): void {
  const { plan } = edits;
  const { from, to } = plan;
  const compiled = compiledServiceNames(plan.config);
  for (const item of plan.items) {
    if (isNamespace(item) && item.name === from)
      edits.info(
        item,
        undefined,
        `the Namespace ${from} is left as it is, never renamed: what stays, and what this list does not show, still lives in it`,
      );
    if (plan.moved.has(item)) {
      edits.set(item, ['metadata', 'namespace'], to, 'moved');
      if (item.kind === 'Service' && item.group === '' && compiled.has(item.name))
        edits.fail(
          item,
          ['metadata', 'namespace'],
          `clients reach ${item.name}.${from}.svc at an address compiled into their image: moved to ${to}, they cannot reach it; keep it in ${from} (keep: [{kind: Service, name: ${item.name}}])`,
        );
      if (labelsOf(item)[managedByLabel] === 'aks')
        edits.warn(
          item,
          ['metadata', 'labels', managedByLabel],
          `labelled ${managedByLabel}: aks: AKS deploys and reconciles this add-on in ${from}; moving it from Git means self-hosting the chart (disable the managed add-on first, or AKS recreates it in ${from})`,
        );
      continue;
    }
    const reason = plan.stays.get(item);
    if (!reason) continue;
    const where = `stays in ${from}`;
    switch (reason) {
      case 'kept': {
        const index = plan.keptBy.get(item) ?? 0;
        const source =
          index < plan.config.keep.length ? `keep[${index}]` : `preset ${plan.config.preset ?? ''}`;
        edits.info(item, ['metadata', 'namespace'], `${where}: kept (${source})`);
        break;
      }
      case 'not-selected':
        edits.info(item, ['metadata', 'namespace'], `${where}: not selected (select / exclude)`);
        break;
      case 'cluster-scoped':
        edits.info(
          item,
          ['metadata', 'namespace'],
          `${where}: ${item.kind} is cluster-scoped (${plan.scopes.scopeOf(item).source}); the API server ignores its metadata.namespace, left as it is`,
        );
        break;
      case 'unknown-scope':
        edits.warn(
          item,
          ['metadata', 'namespace'],
          `${where}: the scope of ${item.kind}.${item.group} is unknown (no CRD in the list, not a built-in kind); not moved. Add it to namespacedKinds or clusterScopedKinds`,
        );
        break;
      case 'local-config':
        edits.info(
          item,
          undefined,
          `${where}: local config (config.kubernetes.io/local-config), never applied`,
        );
        break;
    }
  }
  for (const [index, entry] of plan.config.keep.entries()) {
    const found = plan.items.some(
      (item) => item.namespace === from && item.kind === entry.kind && item.name === entry.name,
    );
    if (!found)
      edits.results.push(
        warning(`no ${entry.kind} ${from}/${entry.name} in the list: nothing to keep`, {
          path: `keep[${index}]`,
        }),
      );
  }
}
