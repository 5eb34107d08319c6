/**
 * Literal namespace strings: env values and args of a moved workload that are exactly `from` (or a flag
 * `--x=<from>`), and, in any workload or ConfigMap, host names `<svc>.<from>.svc[.<clusterDomain>]` of moved
 * Services. `rewriteStrings: on` rewrites them, `warn` (default) reports each with the proposed value, `off`
 * leaves them with an info result. Args and env values naming a kept object the app reads through the API are
 * left: the object stays in `from`.
 */
import type { Item } from '../../src/krm/index.js';
import type { Edits, Path } from './edits.js';
import { rewriteHosts } from './hosts.js';
import { containersOf } from './pod-specs.js';

/** The rewritten value of one string, and why; undefined when it names nothing that moved. */
function proposal(edits: Edits, value: string, exact: boolean): { next: string; why: string } | undefined {
  const { plan } = edits;
  if (exact && value === plan.from) return { next: plan.to, why: `names the namespace ${plan.from}` };
  const flag = /^(-{1,2}[\w.-]+=)(.*)$/.exec(value);
  if (exact && flag && flag[2] === plan.from)
    return { next: `${flag[1]}${plan.to}`, why: `names the namespace ${plan.from}` };
  const hosts = rewriteHosts(plan, value, true);
  if (hosts.moved.length > 0)
    return { next: hosts.text, why: `names Service ${hosts.moved.join(', ')}, which moved` };
  return undefined;
}

function handle(edits: Edits, item: Item, path: Path, value: string, exact: boolean): void {
  const found = proposal(edits, value, exact);
  if (!found) return;
  const mode = edits.plan.config.rewriteStrings;
  if (mode === 'on') edits.set(item, path, found.next, `${found.why} (rewriteStrings: on)`);
  else if (mode === 'warn')
    edits.warn(
      item,
      path,
      `${found.why}: proposed ${JSON.stringify(found.next)} (rewriteStrings: on rewrites it, off leaves it)`,
    );
  else edits.info(item, path, `left: ${found.why} (rewriteStrings: off)`);
}

/** Reports or rewrites the namespace strings of workloads and ConfigMaps. */
export function followStrings(edits: Edits, apiReadPaths: ReadonlyMap<Item, ReadonlySet<string>>): void {
  const { plan } = edits;
  for (const item of plan.items) {
    if (item.kind === 'ConfigMap' && item.group === '') {
      const data = item.data.data;
      if (data && typeof data === 'object' && !Array.isArray(data))
        for (const [key, value] of Object.entries(data))
          if (typeof value === 'string') handle(edits, item, ['data', key], value, false);
      continue;
    }
    const exact = plan.namespaceAfter(item) === plan.to;
    const left = apiReadPaths.get(item);
    for (const container of containersOf(item)) {
      for (const key of ['command', 'args']) {
        const words = container.data[key];
        if (!Array.isArray(words)) continue;
        for (const [w, word] of words.entries()) {
          const path = [...container.path, key, w];
          if (typeof word !== 'string' || left?.has(JSON.stringify(path))) continue;
          handle(edits, item, path, word, exact);
        }
      }
      const env = container.data.env;
      if (!Array.isArray(env)) continue;
      for (const [e, entry] of env.entries()) {
        const value = entry && typeof entry === 'object' && !Array.isArray(entry) ? entry.value : undefined;
        const path = [...container.path, 'env', e, 'value'];
        if (typeof value === 'string' && !left?.has(JSON.stringify(path)))
          handle(edits, item, path, value, exact);
      }
    }
  }
}
