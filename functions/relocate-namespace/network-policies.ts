/**
 * NetworkPolicy peers whose `namespaceSelector` names `from` by `kubernetes.io/metadata.name` (the label the API
 * server sets on every namespace). The peer follows when every pod of `from` it selects moved; when only some did,
 * a rewrite would cut off the rest, so a warning gives the peer to add instead.
 */
import { matchesSelector, toLabelSelector } from '../../src/domain/label-selector.js';
import { asObject, type Item, type Json } from '../../src/krm/index.js';
import type { Edits, Path } from './edits.js';
import { decide, dig } from './follow.js';

const nameLabel = 'kubernetes.io/metadata.name';

/** Paths of the scalars in a label selector of namespaces that name `from` by `kubernetes.io/metadata.name`. */
export function namingPaths(selector: { [key: string]: Json }, from: string): Path[] {
  const paths: Path[] = [];
  if (asObject(selector.matchLabels)?.[nameLabel] === from) paths.push(['matchLabels', nameLabel]);
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const [e, value] of expressions.entries()) {
    const expression = asObject(value);
    if (expression?.key !== nameLabel || expression.operator !== 'In' || !Array.isArray(expression.values))
      continue;
    for (const [v, name] of expression.values.entries())
      if (name === from) paths.push(['matchExpressions', e, 'values', v]);
  }
  return paths;
}

/** Follows the peers of a NetworkPolicy's ingress `from` and egress `to` terms. */
export function followNetworkPolicy(edits: Edits, item: Item): void {
  if (item.kind !== 'NetworkPolicy' || item.group !== 'networking.k8s.io') return;
  const { plan } = edits;
  for (const [direction, peersKey] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    const rules = dig(item.data, ['spec', direction]);
    if (!Array.isArray(rules)) continue;
    for (const [r, rule] of rules.entries()) {
      const peers = asObject(rule)?.[peersKey];
      if (!Array.isArray(peers)) continue;
      for (const [p, value] of peers.entries()) {
        const peer = asObject(value);
        const selector = asObject(peer?.namespaceSelector);
        if (!peer || !selector) continue;
        const paths = namingPaths(selector, plan.from);
        if (paths.length === 0) continue;
        const podSelector = toLabelSelector(peer.podSelector ?? {});
        const selected = plan.pods.filter(
          (pods) => podSelector && matchesSelector(podSelector, pods.source.labels),
        );
        const follow = decide(
          selected.filter((s) => s.moved).map((s) => s.source.item.name),
          selected.filter((s) => !s.moved).map((s) => s.source.item.name),
          `pods in ${plan.from} this peer selects`,
        );
        const peerPath: Path = ['spec', direction, r, peersKey, p];
        for (const path of paths) {
          const at = [...peerPath, 'namespaceSelector', ...path];
          if (follow.action === 'replace') edits.set(item, at, plan.to, follow.reason);
          else if (follow.action === 'leave') edits.info(item, at, `left: ${follow.reason}`);
        }
        if (follow.action === 'add') {
          const added = {
            namespaceSelector: { matchLabels: { [nameLabel]: plan.to } },
            ...(peer.podSelector === undefined ? {} : { podSelector: peer.podSelector }),
          };
          edits.warn(
            item,
            peerPath,
            `${follow.reason}: rewriting the peer would cut off what stays; add the peer ${JSON.stringify(added)} to spec.${direction}[${r}].${peersKey}`,
          );
        }
      }
    }
  }
}
