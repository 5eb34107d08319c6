/**
 * What a moved workload still needs from `from`. The kubelet resolves volumes, envFrom and env valueFrom in the
 * pod's own namespace, so a kept Secret / ConfigMap named there is an error (no permission can fix it). An app
 * that reads one through the API (`--secret-namespace=<from> --secret-name=<name>`) needs its service account
 * allowed: a Role in `from` with get/watch on exactly those names and a RoleBinding to the moved account, unless
 * a ClusterRole bound to that account already grants it. A workload that stays while its account moves keeps an
 * account of that name in `from` (generated).
 */
import { generatedBy } from '../../src/domain/generated.js';
import { asObject, type Item, Item as KrmItem } from '../../src/krm/index.js';
import type { Edits, Path } from './edits.js';
import { accountOf, labelsOf } from './plan.js';
import { type Container, containersOf, objectUses } from './pod-specs.js';
import { functionName, metadataFor, type Wanted } from './reconcile.js';

const rbac = 'rbac.authorization.k8s.io';
const plural = { Secret: 'secrets', ConfigMap: 'configmaps' } as const;
type ObjectKind = keyof typeof plural;

/** An API read of a kept object by a moved account, found in args or env. */
interface ApiRead {
  kind: ObjectKind;
  name: string;
  path: Path;
}

const flag = /^--([\w.-]*?)namespace=(.*)$/;
const envName = /^(\w*?)NAMESPACE$/i;

const kindOf = (prefix: string): ObjectKind | undefined =>
  /secret/i.test(prefix) ? 'Secret' : /config_?-?map/i.test(prefix) ? 'ConfigMap' : undefined;

/** `<P>NAMESPACE: <from>` with `<P>NAME: <n>` among the same container's env values (SECRET_NAMESPACE / SECRET_NAME). */
function envReads(container: Container, from: string): ApiRead[] {
  const env = (Array.isArray(container.data.env) ? container.data.env : []).map((e) => asObject(e));
  const envValue = (name: string) => {
    const value = env.find((e) => e?.name === name)?.value;
    return typeof value === 'string' ? value : undefined;
  };
  const reads: ApiRead[] = [];
  for (const [e, entry] of env.entries()) {
    const match = typeof entry?.name === 'string' ? envName.exec(entry.name) : null;
    if (!match || entry?.value !== from) continue;
    const prefix = match[1] ?? '';
    const kind = kindOf(prefix);
    // The name variable is spelt as the namespace one: SECRET_NAMESPACE / SECRET_NAME, secretNamespace / secretName.
    const suffix = (match[0] as string).slice(prefix.length, -'space'.length);
    const name = envValue(`${prefix}${suffix}`);
    if (!kind || name === undefined) continue;
    reads.push({ kind, name, path: [...container.path, 'env', e, 'value'] });
  }
  return reads;
}

/**
 * `--<p>namespace=<from>` with `--<p>name=<n>` in the same container, for a Secret or ConfigMap prefix, and the
 * same pair as env values.
 */
function apiReads(item: Item, from: string): ApiRead[] {
  const reads: ApiRead[] = [];
  for (const container of containersOf(item)) {
    const words = [
      ...(Array.isArray(container.data.command) ? container.data.command : []),
      ...(Array.isArray(container.data.args) ? container.data.args : []),
    ];
    const args = Array.isArray(container.data.args) ? container.data.args : [];
    for (const [a, word] of args.entries()) {
      const match = typeof word === 'string' ? flag.exec(word) : null;
      if (!match || match[2] !== from) continue;
      const prefix = match[1] ?? '';
      const kind = kindOf(prefix);
      const named = words.find((w) => typeof w === 'string' && w.startsWith(`--${prefix}name=`));
      if (!kind || typeof named !== 'string') continue;
      reads.push({
        kind,
        name: named.slice(`--${prefix}name=`.length),
        path: [...container.path, 'args', a],
      });
    }
    reads.push(...envReads(container, from));
  }
  return reads;
}

/** True when a ClusterRole's rules allow get and watch on the object. */
function grants(role: Item, kind: ObjectKind, name: string): boolean {
  const rules = Array.isArray(role.data.rules) ? role.data.rules : [];
  return rules.some((value) => {
    const rule = asObject(value);
    const has = (key: string, wanted: string) =>
      Array.isArray(rule?.[key]) &&
      ((rule?.[key] as unknown[]).includes(wanted) || (rule?.[key] as unknown[]).includes('*'));
    const names = Array.isArray(rule?.resourceNames) ? rule.resourceNames : [];
    return (
      has('apiGroups', '') &&
      has('resources', plural[kind]) &&
      has('verbs', 'get') &&
      has('verbs', 'watch') &&
      (names.length === 0 || names.includes(name))
    );
  });
}

/** The ClusterRole (and its binding) that already lets `<to>/<account>` read the object, if one does. */
function grantedBy(edits: Edits, account: string, kind: ObjectKind, name: string): string | undefined {
  const { plan } = edits;
  const follows = (subjectName: string) =>
    plan.config.subjects === 'all' ||
    (plan.config.subjects === 'moved' && plan.movedAccounts.has(subjectName));
  for (const binding of plan.items) {
    const cluster = binding.kind === 'ClusterRoleBinding';
    if (
      binding.group !== rbac ||
      (!cluster && !(binding.kind === 'RoleBinding' && binding.namespace === plan.from))
    )
      continue;
    const roleRef = asObject(binding.data.roleRef);
    if (roleRef?.kind !== 'ClusterRole') continue;
    const subjects = Array.isArray(binding.data.subjects) ? binding.data.subjects : [];
    const bound = subjects.some((value) => {
      const s = asObject(value);
      if (s?.kind !== 'ServiceAccount' || s.name !== account) return false;
      return s.namespace === plan.to || (s.namespace === plan.from && follows(account));
    });
    if (!bound) continue;
    const role =
      typeof roleRef.name === 'string'
        ? plan.named('ClusterRole', roleRef.name).find((i) => i.group === rbac)
        : undefined;
    if (role && grants(role, kind, name))
      return `ClusterRole ${role.name}, bound by ${binding.kind} ${binding.namespace ? `${binding.namespace}/` : ''}${binding.name},`;
  }
  return undefined;
}

function roleFor(edits: Edits, account: string, reads: Map<ObjectKind, Set<string>>): Wanted[] {
  const { plan } = edits;
  const name = `${plan.to}-${account}-reads`;
  const forWhat = [`ServiceAccount/${plan.to}/${account}`];
  const rules = [...reads.entries()].map(([kind, names]) => ({
    apiGroups: [''],
    resources: [plural[kind]],
    resourceNames: [...names].sort(),
    verbs: ['get', 'watch'],
  }));
  const what = [...reads.entries()].map(([kind, names]) => `${kind} ${[...names].join(', ')}`).join('; ');
  const role = KrmItem.create({
    apiVersion: `${rbac}/v1`,
    kind: 'Role',
    metadata: metadataFor(name, plan.from, plan.from, forWhat),
    rules,
  });
  const binding = KrmItem.create({
    apiVersion: `${rbac}/v1`,
    kind: 'RoleBinding',
    metadata: metadataFor(name, plan.from, plan.from, forWhat),
    roleRef: { apiGroup: rbac, kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name: account, namespace: plan.to }],
  });
  const reason = `ServiceAccount ${plan.to}/${account} reads ${what} kept in ${plan.from} through the API: get/watch on exactly those names`;
  return [
    { item: role, reason, path: 'rules' },
    { item: binding, reason, path: 'subjects' },
  ];
}

/** Errors for kubelet-resolved uses of kept objects, Roles for API reads; the arg paths left for the strings step. */
export function keepBehind(edits: Edits): { wanted: Wanted[]; apiReadPaths: Map<Item, Set<string>> } {
  const { plan } = edits;
  const apiReadPaths = new Map<Item, Set<string>>();
  const byAccount = new Map<string, Map<ObjectKind, Set<string>>>();
  for (const item of plan.items) {
    if (plan.namespaceAfter(item) !== plan.to) continue;
    for (const use of objectUses(item)) {
      const kept = plan.staying(use.kind, use.name);
      if (!kept || plan.named(use.kind, use.name).some((i) => plan.namespaceAfter(i) === plan.to)) continue;
      edits.fail(
        item,
        use.path,
        `${use.kind} ${use.name} stays in ${plan.from}, but the kubelet resolves a ${use.how} reference in the pod's own namespace (${plan.to}) only: keep this workload too, or move (or copy) the ${use.kind}`,
      );
    }
    const account = accountOf(item);
    for (const read of apiReads(item, plan.from)) {
      if (!plan.keptObject(read.kind, read.name)) continue;
      apiReadPaths.set(item, (apiReadPaths.get(item) ?? new Set()).add(JSON.stringify(read.path)));
      const granted = grantedBy(edits, account, read.kind, read.name);
      if (granted) {
        edits.info(
          item,
          read.path,
          `reads ${read.kind} ${plan.from}/${read.name}, kept there; ${granted} already lets ${plan.to}/${account} get/watch it: no Role generated`,
        );
        continue;
      }
      edits.info(
        item,
        read.path,
        `reads ${read.kind} ${plan.from}/${read.name}, kept there: a Role and RoleBinding in ${plan.from} let ${plan.to}/${account} get/watch it`,
      );
      const reads = byAccount.get(account) ?? new Map<ObjectKind, Set<string>>();
      reads.set(read.kind, (reads.get(read.kind) ?? new Set()).add(read.name));
      byAccount.set(account, reads);
    }
  }
  const wanted = [...byAccount.entries()].flatMap(([account, reads]) => roleFor(edits, account, reads));
  return { wanted: [...wanted, ...accountCopies(edits)], apiReadPaths };
}

/** A workload that stays while its account moves keeps an account of that name in `from`. */
function accountCopies(edits: Edits): Wanted[] {
  const { plan } = edits;
  const wanted = new Map<string, Wanted>();
  for (const pods of plan.pods) {
    if (pods.moved || wanted.has(pods.account)) continue;
    const accounts = plan.named('ServiceAccount', pods.account).filter((i) => i.group === '');
    const own = accounts.find(
      (i) => i.namespace === plan.from && !plan.moved.has(i) && generatedBy(i) !== functionName,
    );
    if (own) continue;
    const moved = accounts.find((i) => plan.namespaceAfter(i) === plan.to);
    if (!moved) continue;
    const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = moved.data;
    const item = KrmItem.create({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: metadataFor(
        pods.account,
        plan.from,
        plan.from,
        [`${pods.source.item.kind}/${plan.from}/${pods.source.item.name}`],
        labelsOf(moved),
      ),
      ...rest,
    });
    edits.info(
      pods.source.item,
      undefined,
      `stays in ${plan.from}, but its ServiceAccount ${pods.account} moves to ${plan.to}: a ServiceAccount ${pods.account} is kept in ${plan.from} for it (generated)`,
    );
    wanted.set(pods.account, {
      item,
      reason: `ServiceAccount ${pods.account} for ${pods.source.item.describe()}, which stays in ${plan.from} while the account moves`,
    });
  }
  return [...wanted.values()];
}
