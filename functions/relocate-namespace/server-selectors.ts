/**
 * A Prometheus' or PrometheusAgent's `*NamespaceSelector` naming `from` by `kubernetes.io/metadata.name` (a label
 * selector of namespaces, so the operator's only way to name one): it follows the monitors of that kind that
 * moved. When some stay in `from`, rewriting would drop them, so a warning gives the term to add instead.
 */
import { asObject, type Item } from '../../src/krm/index.js';
import type { Edits, Path } from './edits.js';
import { decide } from './follow.js';
import { namingPaths } from './network-policies.js';

/** The namespace selector fields of a server and the kind of resource each selects. */
const selectorKinds: readonly [string, string][] = [
  ['serviceMonitorNamespaceSelector', 'ServiceMonitor'],
  ['podMonitorNamespaceSelector', 'PodMonitor'],
  ['probeNamespaceSelector', 'Probe'],
  ['scrapeConfigNamespaceSelector', 'ScrapeConfig'],
  ['ruleNamespaceSelector', 'PrometheusRule'],
];

/** Follows the namespace selectors of a Prometheus or PrometheusAgent that name `from`. */
export function followServerSelectors(edits: Edits, item: Item): void {
  if (
    item.group !== 'monitoring.coreos.com' ||
    (item.kind !== 'Prometheus' && item.kind !== 'PrometheusAgent')
  )
    return;
  const { plan } = edits;
  const spec = asObject(item.data.spec) ?? {};
  for (const [field, kind] of selectorKinds) {
    const selector = asObject(spec[field]);
    if (!selector) continue;
    const paths = namingPaths(selector, plan.from);
    if (paths.length === 0) continue;
    const inFrom = plan.items.filter(
      (i) => i.kind === kind && i.group === 'monitoring.coreos.com' && i.namespace === plan.from,
    );
    const follow = decide(
      inFrom.filter((i) => plan.moved.has(i)).map((i) => i.name),
      inFrom.filter((i) => !plan.moved.has(i)).map((i) => i.name),
      `${kind}s in ${plan.from}`,
    );
    for (const path of paths) {
      const at: Path = ['spec', field, ...path];
      if (follow.action === 'replace') edits.set(item, at, plan.to, follow.reason);
      else if (follow.action === 'leave') edits.info(item, at, `left: ${follow.reason}`);
    }
    if (follow.action === 'add')
      edits.warn(
        item,
        ['spec', field],
        `${follow.reason}: rewriting it would drop what stays; select both namespaces, e.g. matchExpressions [{key: kubernetes.io/metadata.name, operator: In, values: [${plan.from}, ${plan.to}]}]`,
      );
  }
}
