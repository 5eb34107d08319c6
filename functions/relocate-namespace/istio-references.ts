/**
 * Istio's references to a namespace: AuthorizationPolicy principals (`<trustDomain>/ns/<from>/sa/<sa>`, the
 * identity of a moved account changes with its namespace) and namespaces, in sources and `when` conditions, `exportTo`, Sidecar egress hosts
 * (`<from>/*`, `<from>/<host>`), and DestinationRule / VirtualService / ServiceEntry hosts of moved Services.
 */
import { asObject, type Item } from '../../src/krm/index.js';
import type { Edits, Path } from './edits.js';
import { applyFollow, decide, dig, podsDecision, stringsAt } from './follow.js';
import { rewriteHosts } from './hosts.js';

const isIstio = (item: Item, group: string, kinds: readonly string[]): boolean =>
  item.group === group && kinds.includes(item.kind);

/** Follows the principals `<trustDomain>/ns/<from>/sa/<account>` of the string list at `path`. */
function followPrincipals(edits: Edits, item: Item, path: Path): void {
  const { plan } = edits;
  const prefix = `/ns/${plan.from}/sa/`;
  for (const { value, index } of stringsAt(item.data, path)) {
    const at = value.indexOf(prefix);
    if (at < 0) continue;
    const domain = value.slice(0, at).replace(/^spiffe:\/\//, '');
    if (domain !== plan.config.trustDomain && domain !== '*') continue;
    const account = value.slice(at + prefix.length);
    const next = `${value.slice(0, at)}/ns/${plan.to}/sa/${account}`;
    // `.../sa/*` names every account of `from`: it follows the ones that move, as a namespace would.
    const every = account === '*';
    const movedAccount = every ? [...plan.movedAccounts] : plan.movedAccounts.has(account) ? [account] : [];
    const stays = every ? [...plan.stayingAccounts] : plan.stayingAccounts.has(account) ? [account] : [];
    const follow = decide(movedAccount, stays, `workload running as ${plan.from}/${account}`);
    if (every)
      follow.reason = `${follow.action === 'leave' ? 'no' : 'the'} ServiceAccounts of ${plan.from} it names ${follow.action === 'leave' ? 'move' : `that move (${movedAccount.join(', ')}) get identities in ${plan.to}${follow.action === 'add' ? `; ${stays.join(', ')} ${stays.length === 1 ? 'stays' : 'stay'}` : ''}`}`;
    else if (follow.action === 'leave')
      follow.reason = `ServiceAccount ${plan.from}/${account} does not move`;
    else
      follow.reason = `the identity of ServiceAccount ${account} becomes ${plan.config.trustDomain}/ns/${plan.to}/sa/${account}${follow.action === 'add' ? `; pods that stay in ${plan.from} still run as it` : ''}`;
    applyFollow(edits, item, path, index, next, follow);
  }
}

/** Follows the entries naming `from` of the namespace list at `path` (their consumers are its pods). */
function followNamespaces(edits: Edits, item: Item, path: Path): void {
  const { plan } = edits;
  for (const { value, index } of stringsAt(item.data, path)) {
    if (value !== plan.from) continue;
    applyFollow(edits, item, path, index, plan.to, podsDecision(plan, `pods in ${plan.from}`));
  }
}

/**
 * Principals and namespaces of AuthorizationPolicy sources (`principals`, `notPrincipals`, `namespaces`,
 * `notNamespaces`) and of `when` conditions on `source.principal` / `source.namespace` (`values`, `notValues`),
 * which istio/api authorization_policy.proto defines as the same attributes.
 */
export function followAuthorization(edits: Edits, item: Item): void {
  if (!isIstio(item, 'security.istio.io', ['AuthorizationPolicy'])) return;
  const rules = dig(item.data, ['spec', 'rules']);
  if (!Array.isArray(rules)) return;
  for (const [r, rule] of rules.entries()) {
    const froms = asObject(rule)?.from;
    for (const f of Array.isArray(froms) ? froms.keys() : []) {
      const source: Path = ['spec', 'rules', r, 'from', f, 'source'];
      for (const key of ['principals', 'notPrincipals']) followPrincipals(edits, item, [...source, key]);
      for (const key of ['namespaces', 'notNamespaces']) followNamespaces(edits, item, [...source, key]);
    }
    const when = asObject(rule)?.when;
    for (const [w, value] of Array.isArray(when) ? when.entries() : []) {
      const key = asObject(value)?.key;
      const follow =
        key === 'source.principal'
          ? followPrincipals
          : key === 'source.namespace'
            ? followNamespaces
            : undefined;
      if (!follow) continue;
      for (const list of ['values', 'notValues']) follow(edits, item, ['spec', 'rules', r, 'when', w, list]);
    }
  }
}

/** `spec.exportTo` entries naming `from`: the consumers there are its pods. */
export function followExportTo(edits: Edits, item: Item): void {
  if (!isIstio(item, 'networking.istio.io', ['VirtualService', 'DestinationRule', 'ServiceEntry'])) return;
  const { plan } = edits;
  for (const { value, index } of stringsAt(item.data, ['spec', 'exportTo'])) {
    if (value !== plan.from) continue;
    applyFollow(
      edits,
      item,
      ['spec', 'exportTo'],
      index,
      plan.to,
      podsDecision(plan, `pods in ${plan.from}`),
    );
  }
}

/** Sidecar egress hosts `<from>/*` (all Services there) and `<from>/<host of a moved Service>`. */
export function followSidecar(edits: Edits, item: Item): void {
  if (!isIstio(item, 'networking.istio.io', ['Sidecar'])) return;
  const { plan } = edits;
  const egress = dig(item.data, ['spec', 'egress']);
  if (!Array.isArray(egress)) return;
  for (const e of egress.keys()) {
    const path: Path = ['spec', 'egress', e, 'hosts'];
    for (const { value, index } of stringsAt(item.data, path)) {
      const [namespace, host] = value.split('/');
      if (namespace !== plan.from || host === undefined) continue;
      if (host === '*') {
        const follow = decide([...plan.movedServices], [...plan.stayingServices], `Services in ${plan.from}`);
        applyFollow(edits, item, path, index, `${plan.to}/*`, follow);
        continue;
      }
      const rewritten = rewriteHosts(plan, host);
      const follow = decide(rewritten.moved, rewritten.staying, `Service of ${plan.from} by that host`);
      applyFollow(edits, item, path, index, `${plan.to}/${rewritten.text}`, follow);
    }
  }
}

/** Where Istio's networking kinds name a host. */
function hostPaths(item: Item): Path[] {
  if (isIstio(item, 'networking.istio.io', ['DestinationRule'])) return [['spec', 'host']];
  if (isIstio(item, 'networking.istio.io', ['ServiceEntry']))
    return stringsAt(item.data, ['spec', 'hosts']).map(({ index }) => ['spec', 'hosts', index]);
  if (!isIstio(item, 'networking.istio.io', ['VirtualService'])) return [];
  const paths: Path[] = stringsAt(item.data, ['spec', 'hosts']).map(({ index }) => ['spec', 'hosts', index]);
  for (const protocol of ['http', 'tcp', 'tls']) {
    const routes = dig(item.data, ['spec', protocol]);
    if (!Array.isArray(routes)) continue;
    for (const [r, route] of routes.entries()) {
      const destinations = asObject(route)?.route;
      if (Array.isArray(destinations))
        for (const d of destinations.keys())
          paths.push(['spec', protocol, r, 'route', d, 'destination', 'host']);
      if (asObject(asObject(route)?.mirror)) paths.push(['spec', protocol, r, 'mirror', 'host']);
    }
  }
  return paths;
}

/**
 * A short host (no dot) in a DestinationRule or VirtualService of `from`: Istio completes it with the rule's own
 * namespace (pilot/pkg/model/config.go `ResolveShortnameToFQDN`, applied to DestinationRule hosts in
 * push_context.go and VirtualService hosts and destinations in virtualservice.go), so it follows the move only
 * when rule and Service move together; otherwise it is written out in full for the Service where it ends up.
 */
function followShortHost(edits: Edits, item: Item, path: Path, host: string): void {
  const { plan } = edits;
  if (item.namespace !== plan.from || item.kind === 'ServiceEntry') return;
  if (host === '*' || host.includes('.') || host.includes(':') || host === '') return;
  const ruleMoves = plan.moved.has(item);
  const full = (namespace: string) => `${host}.${namespace}.svc.${plan.config.clusterDomain}`;
  const resolves = `a short host resolves in the rule's own namespace (Istio's ResolveShortnameToFQDN)`;
  if (plan.movedServices.has(host)) {
    if (ruleMoves) edits.info(item, path, `left: ${resolves}, and Service ${host} moved with the rule`);
    else
      edits.set(
        item,
        path,
        full(plan.to),
        `${resolves}; Service ${host} moved to ${plan.to}, the rule stays in ${plan.from}`,
      );
  } else if (plan.stayingServices.has(host)) {
    if (ruleMoves)
      edits.set(
        item,
        path,
        full(plan.from),
        `${resolves}; Service ${host} stays in ${plan.from}, the rule moves to ${plan.to}`,
      );
  } else if (ruleMoves)
    edits.warn(
      item,
      path,
      `${resolves}: it named ${full(plan.from)} and, moved, names ${full(plan.to)}; the list has no Service ${host} in ${plan.from}: if one stays there, write ${full(plan.from)}`,
    );
}

/**
 * Hosts `<svc>.<from>.svc[.<clusterDomain>]` of moved Services, in DestinationRules, VirtualServices,
 * ServiceEntries; short hosts of DestinationRules and VirtualServices of `from` (`followShortHost`).
 */
export function followHosts(edits: Edits, item: Item): void {
  const { plan } = edits;
  for (const path of hostPaths(item)) {
    const value = dig(item.data, path);
    if (typeof value !== 'string') continue;
    followShortHost(edits, item, path, value);
    const rewritten = rewriteHosts(plan, value);
    if (rewritten.moved.length > 0)
      edits.set(item, path, rewritten.text, `Service ${rewritten.moved.join(', ')} moved`);
    else if (rewritten.staying.length > 0)
      edits.info(
        item,
        path,
        `left: Service ${rewritten.staying.join(', ')} stays in ${plan.from} or is not in the list`,
      );
  }
}
