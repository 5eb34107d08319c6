/**
 * NetworkPolicy peers whose `namespaceSelector` names `from` by `kubernetes.io/metadata.name` (the label the API
 * server sets on every namespace). The peer follows when every pod of `from` it selects moved; when only some did,
 * a rewrite would cut off the rest, so a warning gives the peer to add instead. A policy of `from` whose own pods
 * or podSelector-only peers part from it gets a warning with the change (`followOwnNamespace`).
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

/** The pods of `from` a pod selector picks, split by whether they move. */
function podsPicked(edits: Edits, selector: Json | undefined): { moved: string[]; staying: string[] } {
  const podSelector = toLabelSelector(selector ?? {});
  const picked = edits.plan.pods.filter(
    (pods) => podSelector && matchesSelector(podSelector, pods.source.labels),
  );
  const name = (p: (typeof picked)[number]) => `${p.source.item.kind}/${p.source.item.name}`;
  return {
    moved: picked.filter((p) => p.moved).map(name),
    staying: picked.filter((p) => !p.moved).map(name),
  };
}

/**
 * A NetworkPolicy of `from` means its own namespace twice: `spec.podSelector` (the pods it applies to) and every
 * peer without a `namespaceSelector` (a `podSelector` alone selects pods in the policy's namespace, NetworkPolicy
 * API `NetworkPolicyPeer`). When the policy and the pods it names part (one moves, the other stays), each gets a
 * warning with the exact change.
 */
function followOwnNamespace(edits: Edits, item: Item): void {
  const { plan } = edits;
  if (item.namespace !== plan.from) return;
  const policyMoves = plan.moved.has(item);
  const [here, there] = policyMoves ? [plan.to, plan.from] : [plan.from, plan.to];
  const spec = asObject(item.data.spec);
  const applies = podsPicked(edits, spec?.podSelector);
  const parted = policyMoves ? applies.staying : applies.moved;
  if (parted.length > 0)
    edits.warn(
      item,
      ['spec', 'podSelector'],
      `spec.podSelector picks pods of the policy's own namespace, which is ${here} after the run; the pods of ${parted.join(', ')} ${policyMoves ? `stay in ${plan.from}` : `moved to ${plan.to}`}, so it no longer applies to them: ${
        applies.moved.length > 0 && applies.staying.length > 0
          ? `give ${there} a copy of this policy`
          : policyMoves
            ? `keep it in ${plan.from} (keep: [{kind: NetworkPolicy, name: ${item.name}}])`
            : 'move it with them'
      }`,
    );
  for (const [direction, peersKey] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    const rules = dig(item.data, ['spec', direction]);
    for (const [r, rule] of Array.isArray(rules) ? rules.entries() : []) {
      const peers = asObject(rule)?.[peersKey];
      for (const [p, value] of Array.isArray(peers) ? peers.entries() : []) {
        const peer = asObject(value);
        if (!peer || peer.namespaceSelector !== undefined || peer.podSelector === undefined) continue;
        const picked = podsPicked(edits, peer.podSelector);
        const lost = policyMoves ? picked.staying : picked.moved;
        if (lost.length === 0) continue;
        const path: Path = ['spec', direction, r, peersKey, p];
        const namespaceSelector = { matchLabels: { [nameLabel]: there } };
        const kept = policyMoves ? picked.moved : picked.staying;
        edits.warn(
          item,
          path,
          `a podSelector-only peer selects pods of the policy's own namespace, which is ${here} after the run; the pods of ${lost.join(', ')}, which it selected, ${policyMoves ? `stay in ${plan.from}` : `moved to ${plan.to}`}: ${
            kept.length === 0
              ? `add namespaceSelector ${JSON.stringify(namespaceSelector)} to spec.${direction}[${r}].${peersKey}[${p}]`
              : `add the peer ${JSON.stringify({ namespaceSelector, podSelector: peer.podSelector })} to spec.${direction}[${r}].${peersKey} (this one still selects ${kept.join(', ')})`
          }`,
        );
      }
    }
  }
}

/** Follows the peers of a NetworkPolicy's ingress `from` and egress `to` terms. */
export function followNetworkPolicy(edits: Edits, item: Item): void {
  if (item.kind !== 'NetworkPolicy' || item.group !== 'networking.k8s.io') return;
  const { plan } = edits;
  followOwnNamespace(edits, item);
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
