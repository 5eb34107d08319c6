/**
 * Whether a kind is namespaced or cluster-scoped: a CRD in the same list says so for its kind (`spec.scope`),
 * else the built-in table of Kubernetes' own kinds and the ecosystem kinds this project meets, else the caller's
 * config lists. A kind none of them knows has an unknown scope, which callers report rather than guess.
 */
import { asObject, type Item } from '../krm/index.js';

/** The scope of a kind, or `unknown`. */
export type Scope = 'Namespaced' | 'Cluster' | 'unknown';

const cluster: Readonly<Record<string, readonly string[]>> = {
  '': ['Namespace', 'Node', 'PersistentVolume', 'ComponentStatus'],
  'rbac.authorization.k8s.io': ['ClusterRole', 'ClusterRoleBinding'],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  'admissionregistration.k8s.io': [
    'MutatingWebhookConfiguration',
    'ValidatingWebhookConfiguration',
    'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding',
    'MutatingAdmissionPolicy',
    'MutatingAdmissionPolicyBinding',
  ],
  'apiregistration.k8s.io': ['APIService'],
  'scheduling.k8s.io': ['PriorityClass'],
  'storage.k8s.io': ['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'VolumeAttributesClass'],
  'networking.k8s.io': ['IngressClass', 'IPAddress', 'ServiceCIDR'],
  'node.k8s.io': ['RuntimeClass'],
  'certificates.k8s.io': ['CertificateSigningRequest', 'ClusterTrustBundle'],
  'flowcontrol.apiserver.k8s.io': ['FlowSchema', 'PriorityLevelConfiguration'],
  policy: ['PodSecurityPolicy'],
  'gateway.networking.k8s.io': ['GatewayClass'],
  'cert-manager.io': ['ClusterIssuer'],
};

const namespaced: Readonly<Record<string, readonly string[]>> = {
  '': [
    'Pod',
    'Service',
    'ServiceAccount',
    'ConfigMap',
    'Secret',
    'Endpoints',
    'PersistentVolumeClaim',
    'ReplicationController',
    'LimitRange',
    'ResourceQuota',
    'PodTemplate',
    'Event',
  ],
  apps: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ControllerRevision'],
  batch: ['Job', 'CronJob'],
  autoscaling: ['HorizontalPodAutoscaler'],
  policy: ['PodDisruptionBudget'],
  'rbac.authorization.k8s.io': ['Role', 'RoleBinding'],
  'networking.k8s.io': ['NetworkPolicy', 'Ingress'],
  'discovery.k8s.io': ['EndpointSlice'],
  'coordination.k8s.io': ['Lease'],
  'events.k8s.io': ['Event'],
  'storage.k8s.io': ['CSIStorageCapacity'],
  'monitoring.coreos.com': [
    'Prometheus',
    'PrometheusAgent',
    'Alertmanager',
    'AlertmanagerConfig',
    'ServiceMonitor',
    'PodMonitor',
    'Probe',
    'PrometheusRule',
    'ScrapeConfig',
    'ThanosRuler',
  ],
  'azmonitoring.coreos.com': ['ServiceMonitor', 'PodMonitor'],
  'networking.istio.io': [
    'DestinationRule',
    'VirtualService',
    'ServiceEntry',
    'Sidecar',
    'Gateway',
    'EnvoyFilter',
    'WorkloadEntry',
    'WorkloadGroup',
    'ProxyConfig',
  ],
  'security.istio.io': ['PeerAuthentication', 'AuthorizationPolicy', 'RequestAuthentication'],
  'telemetry.istio.io': ['Telemetry'],
  'extensions.istio.io': ['WasmPlugin'],
  'gateway.networking.k8s.io': [
    'Gateway',
    'HTTPRoute',
    'GRPCRoute',
    'TCPRoute',
    'TLSRoute',
    'ReferenceGrant',
  ],
  'cert-manager.io': ['Certificate', 'Issuer', 'CertificateRequest'],
  'keda.sh': ['ScaledObject', 'ScaledJob', 'TriggerAuthentication'],
};

const inTable = (table: Readonly<Record<string, readonly string[]>>, group: string, kind: string): boolean =>
  table[group]?.includes(kind) === true;

/** `Kind` or `Kind.group` as config lists name kinds. */
const listed = (names: readonly string[], group: string, kind: string): boolean =>
  names.includes(kind) || names.includes(`${kind}.${group}`);

/** The kinds' scopes as a list and a config see them. */
export class ScopeTable {
  private readonly declared = new Map<string, Scope>();

  constructor(
    items: readonly Item[],
    private readonly config: { clusterScopedKinds: readonly string[]; namespacedKinds: readonly string[] },
  ) {
    for (const item of items) {
      if (item.kind !== 'CustomResourceDefinition' || item.group !== 'apiextensions.k8s.io') continue;
      const spec = asObject(item.data.spec);
      const kind = asObject(spec?.names)?.kind;
      if (typeof spec?.group !== 'string' || typeof kind !== 'string') continue;
      if (spec.scope === 'Namespaced' || spec.scope === 'Cluster')
        this.declared.set(`${kind}.${spec.group}`, spec.scope);
    }
  }

  /** The scope of an item's kind, and who said so. */
  scopeOf(item: Item): { scope: Scope; source: 'crd' | 'built-in' | 'config' | 'none' } {
    const declared = this.declared.get(`${item.kind}.${item.group}`);
    if (declared) return { scope: declared, source: 'crd' };
    if (inTable(cluster, item.group, item.kind)) return { scope: 'Cluster', source: 'built-in' };
    if (inTable(namespaced, item.group, item.kind)) return { scope: 'Namespaced', source: 'built-in' };
    if (listed(this.config.clusterScopedKinds, item.group, item.kind))
      return { scope: 'Cluster', source: 'config' };
    if (listed(this.config.namespacedKinds, item.group, item.kind))
      return { scope: 'Namespaced', source: 'config' };
    return { scope: 'unknown', source: 'none' };
  }
}
