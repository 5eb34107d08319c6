/**
 * Step 2, Kubernetes' own references to a namespace: RoleBinding / ClusterRoleBinding subjects, the Service of
 * admission webhooks, APIServices and CRD conversion webhooks, and kpt's `config.kubernetes.io/depends-on`.
 */
import { asObject, type Item, seqAt, toNode } from '../../src/krm/index.js';
import type { Edits, Path } from './edits.js';
import { dig } from './follow.js';

const rbacGroup = 'rbac.authorization.k8s.io';
const dependsOn = 'config.kubernetes.io/depends-on';

/** ServiceAccount subjects in `from` follow the accounts that move (`subjects` config). */
export function followSubjects(edits: Edits, item: Item): void {
  if (item.group !== rbacGroup || (item.kind !== 'RoleBinding' && item.kind !== 'ClusterRoleBinding')) return;
  const { plan } = edits;
  const subjects = Array.isArray(item.data.subjects) ? item.data.subjects : [];
  const hasSubject = (name: string, namespace: string) =>
    subjects.some((s) => {
      const o = asObject(s);
      return o?.kind === 'ServiceAccount' && o.name === name && o.namespace === namespace;
    });
  for (const [index, value] of subjects.entries()) {
    const subject = asObject(value);
    if (subject?.kind !== 'ServiceAccount' || subject.namespace !== plan.from) continue;
    const name = typeof subject.name === 'string' ? subject.name : '';
    const path: Path = ['subjects', index, 'namespace'];
    const mode = plan.config.subjects;
    if (mode === 'none') {
      edits.info(item, path, `left: ServiceAccount ${plan.from}/${name} (subjects: none)`);
      continue;
    }
    if (mode === 'moved' && !plan.movedAccounts.has(name)) {
      edits.info(item, path, `left: ServiceAccount ${plan.from}/${name} does not move`);
      continue;
    }
    const why = mode === 'all' ? 'subjects: all' : `ServiceAccount ${name} moves to ${plan.to}`;
    if (!plan.stayingAccounts.has(name)) {
      edits.set(item, path, plan.to, why);
      continue;
    }
    // Pods that stay in `from` still run as this account: both identities need the binding.
    edits.info(
      item,
      path,
      `left: pods that stay in ${plan.from} still run as ${plan.from}/${name}, so it stays bound beside ${plan.to}/${name}`,
    );
    if (hasSubject(name, plan.to)) continue;
    const seq = seqAt(item.node, ['subjects']);
    if (!seq) continue;
    seq.items.push(toNode({ kind: 'ServiceAccount', name, namespace: plan.to }));
    edits.changed.add(item);
    edits.info(
      item,
      ['subjects', seq.items.length - 1],
      `added ServiceAccount ${plan.to}/${name}: ${why}, and pods that stay in ${plan.from} still run as ${plan.from}/${name}`,
    );
  }
}

/** A moved RoleBinding grants a Role of its new namespace: that Role must move too, or be there. */
export function checkRoleRef(edits: Edits, item: Item): void {
  const { plan } = edits;
  if (item.group !== rbacGroup || item.kind !== 'RoleBinding' || !plan.moved.has(item)) return;
  const roleRef = asObject(item.data.roleRef);
  if (roleRef?.kind !== 'Role' || typeof roleRef.name !== 'string') return;
  const role = plan
    .named('Role', roleRef.name)
    .find((i) => i.group === rbacGroup && i.namespace === plan.from);
  if (role && plan.moved.has(role)) return;
  edits.warn(
    item,
    ['roleRef', 'name'],
    role
      ? `the Role ${roleRef.name} stays in ${plan.from}, but a RoleBinding can only grant a Role of its own namespace (${plan.to}): move the Role too, or keep the RoleBinding`
      : `a RoleBinding grants a Role of its own namespace: Role ${plan.to}/${roleRef.name} must exist (the list holds no Role ${roleRef.name} in ${plan.from} to move)`,
  );
}

/** Where a kind names a Service by namespace and name. */
function servicePaths(item: Item): Path[] {
  const data = item.data;
  if (item.group === 'admissionregistration.k8s.io' && item.kind.endsWith('WebhookConfiguration')) {
    const hooks = Array.isArray(data.webhooks) ? data.webhooks : [];
    return hooks.map((_, index) => ['webhooks', index, 'clientConfig', 'service']);
  }
  if (item.group === 'apiregistration.k8s.io' && item.kind === 'APIService') return [['spec', 'service']];
  if (item.group === 'apiextensions.k8s.io' && item.kind === 'CustomResourceDefinition')
    return [
      ['spec', 'conversion', 'webhook', 'clientConfig', 'service'],
      ['spec', 'conversion', 'webhookClientConfig', 'service'],
    ];
  return [];
}

/** Webhook, APIService and CRD conversion Services in `from` follow the Service when it moves. */
export function followServiceReferences(edits: Edits, item: Item): void {
  const { plan } = edits;
  for (const path of servicePaths(item)) {
    const service = asObject(dig(item.data, path));
    if (service?.namespace !== plan.from) continue;
    const name = String(service.name ?? '');
    const at = [...path, 'namespace'];
    if (plan.movedServices.has(name)) edits.set(item, at, plan.to, `Service ${name} moves to ${plan.to}`);
    else if (plan.stayingServices.has(name))
      edits.info(item, at, `left: Service ${plan.from}/${name} stays in ${plan.from}`);
    else
      edits.info(
        item,
        at,
        `left: the list holds no Service ${plan.from}/${name}, so nothing says it moves (add it to the list to move it)`,
      );
  }
}

/** `config.kubernetes.io/depends-on` entries follow a resource of the list that moves (kpt set-namespace). */
export function followDependsOn(edits: Edits, item: Item): void {
  const value = item.read(['metadata', 'annotations', dependsOn]);
  if (typeof value !== 'string') return;
  const { plan } = edits;
  const path: Path = ['metadata', 'annotations', dependsOn];
  let changed = false;
  const refs = value.split(',').map((ref) => {
    const [group, marker, namespace, kind, name] = ref.trim().split('/');
    if (marker !== 'namespaces' || namespace !== plan.from) return ref;
    const target =
      kind === undefined || name === undefined
        ? undefined
        : plan.named(kind, name).find((i) => i.group === group && i.namespace === plan.from);
    if (!target) {
      edits.info(item, path, `left ${ref.trim()}: not in the list, so nothing says it moves`);
      return ref;
    }
    if (!plan.moved.has(target)) {
      edits.info(item, path, `left ${ref.trim()}: ${target.describe()} stays in ${plan.from}`);
      return ref;
    }
    changed = true;
    return ref.replace(`/namespaces/${plan.from}/`, `/namespaces/${plan.to}/`);
  });
  if (changed) edits.set(item, path, refs.join(','), `the resources it depends on move to ${plan.to}`);
}
