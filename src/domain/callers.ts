/**
 * Callers without a mesh identity (domain.md section 0, step 8): the kube-apiserver calls admission webhooks and
 * APIService backends without Istio mTLS, so under STRICT their target port needs a port-level PERMISSIVE exception
 * or to be excluded from inbound capture. This finds, for each such caller in the list, the Service it names and
 * the pods and container port behind it.
 */
import { asObject, type Item, type Json } from '../krm/index.js';
import { declaresHttp } from './endpoint-targets.js';
import type { PodSource } from './pod-sources.js';
import type { ScrapeModel, TargetPort } from './scrape-path.js';

/** One call the API server makes into the mesh. */
export interface IdentityLessCall {
  /** The webhook configuration or APIService. */
  caller: Item;
  /** Field path of the service reference, for results. */
  path: string;
  service: { namespace: string; name: string; port: number };
  /** The Service when the list has it. */
  serviceItem: Item | undefined;
  targets: (TargetPort & { declaredHttp: boolean })[];
}

const webhookKinds = new Set(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']);

function serviceRefs(item: Item): { path: string; ref: { [key: string]: Json } }[] {
  if (item.group === 'admissionregistration.k8s.io' && webhookKinds.has(item.kind)) {
    const hooks = item.read(['webhooks']);
    if (!Array.isArray(hooks)) return [];
    return hooks.flatMap((hook, index) => {
      const service = asObject(asObject(asObject(hook)?.clientConfig)?.service);
      return service ? [{ path: `webhooks[${index}].clientConfig.service`, ref: service }] : [];
    });
  }
  if (item.group === 'apiregistration.k8s.io' && item.kind === 'APIService') {
    const service = asObject(asObject(item.data.spec)?.service);
    return service ? [{ path: 'spec.service', ref: service }] : [];
  }
  return [];
}

/** The Service port of a port number. */
function servicePort(service: Item, port: number): { [key: string]: Json } | undefined {
  const ports = service.read(['spec', 'ports']);
  if (!Array.isArray(ports)) return undefined;
  return ports.map((p) => asObject(p)).find((p) => p?.port === port);
}

/** The container port a Service port reaches in some pods. */
function containerPort(match: { [key: string]: Json } | undefined, pods: PodSource): number | undefined {
  const target = match?.targetPort ?? match?.port;
  if (typeof target === 'number') return target;
  if (typeof target === 'string')
    return /^\d+$/.test(target) ? Number(target) : pods.ports.byName.get(target);
  return undefined;
}

/** Every webhook and APIService of the list that calls a Service, with what stands behind it. */
export function identityLessCalls(model: ScrapeModel, items: readonly Item[]): IdentityLessCall[] {
  const calls: IdentityLessCall[] = [];
  for (const caller of items) {
    for (const { path, ref } of serviceRefs(caller)) {
      if (typeof ref.name !== 'string' || typeof ref.namespace !== 'string') continue;
      const port = typeof ref.port === 'number' ? ref.port : 443;
      const serviceItem = model.inventory.service(ref.namespace, ref.name);
      const match = serviceItem ? servicePort(serviceItem, port) : undefined;
      const declaredHttp = match ? declaresHttp(match) : false;
      const targets = serviceItem
        ? model.inventory
            .podsOfService(serviceItem)
            .map((pods) => ({ ...model.targetPort(pods, containerPort(match, pods), []), declaredHttp }))
        : [];
      calls.push({
        caller,
        path,
        service: { namespace: ref.namespace, name: ref.name, port },
        serviceItem,
        targets,
      });
    }
  }
  return calls;
}
