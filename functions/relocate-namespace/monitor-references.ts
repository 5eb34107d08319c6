/**
 * ServiceMonitor / PodMonitor `spec.namespaceSelector.matchNames` entries naming `from`: the monitor follows the
 * Services (pods) its selector picks there: replaced when all of them moved, `to` added when some stay (kustomize
 * #4762 asks for this; neither anchor does it).
 */
import { isServiceMonitor, monitoringGroups } from '../../src/domain/kinds.js';
import { type LabelSelector, monitorSelector } from '../../src/domain/label-selector.js';
import { asObject, type Item } from '../../src/krm/index.js';
import type { Edits, Path } from './edits.js';
import { applyFollow, decide, stringsAt } from './follow.js';
import type { Plan } from './plan.js';

const isPodMonitor = (item: Item): boolean =>
  item.kind === 'PodMonitor' && monitoringGroups.includes(item.group);

/** The targets in `from` a monitor's selector picks, split by whether they move. */
function targets(plan: Plan, item: Item, selector: LabelSelector): { moved: string[]; staying: string[] } {
  const moved: string[] = [];
  const staying: string[] = [];
  if (isServiceMonitor(item)) {
    for (const service of plan.inventory.servicesMatching(plan.from, selector))
      (plan.moved.has(service) ? moved : staying).push(service.name);
  } else {
    for (const source of plan.inventory.podSourcesMatching(plan.from, selector)) {
      const pods = plan.podsOf(source);
      if (pods) (pods.moved ? moved : staying).push(source.item.name);
    }
  }
  return { moved, staying };
}

/** Follows a monitor's `namespaceSelector.matchNames`, and warns when its own namespace loses its targets. */
export function followMonitor(edits: Edits, item: Item): void {
  if (!isServiceMonitor(item) && !isPodMonitor(item)) return;
  const { plan } = edits;
  const spec = asObject(item.data.spec);
  const selector = monitorSelector(spec);
  if (!selector) return;
  const what = isServiceMonitor(item) ? 'Services' : 'pods';
  const path: Path = ['spec', 'namespaceSelector', 'matchNames'];
  const names = stringsAt(item.data, path);
  const namespaceSelector = asObject(spec?.namespaceSelector);
  if (names.length === 0 && namespaceSelector?.any !== true && item.namespace === plan.from) {
    // No namespaceSelector: the monitor reads its own namespace, which changes when it moves.
    const split = targets(plan, item, selector);
    const movedHere = plan.moved.has(item);
    const lost = movedHere ? split.staying : split.moved;
    if (lost.length > 0)
      edits.warn(
        item,
        ['spec', 'namespaceSelector'],
        `it reads only its own namespace (${movedHere ? plan.to : plan.from}), but ${what} it selects are in ${movedHere ? plan.from : plan.to} now (${lost.join(', ')}): set namespaceSelector.matchNames: [${[plan.from, plan.to].join(', ')}]`,
      );
    return;
  }
  for (const { value, index } of names) {
    if (value !== plan.from) continue;
    const split = targets(plan, item, selector);
    applyFollow(
      edits,
      item,
      path,
      index,
      plan.to,
      decide(split.moved, split.staying, `${what} in ${plan.from}`),
    );
  }
}
