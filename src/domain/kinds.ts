/** The kinds meshscrape reads or edits, by API group. */
import type { Item } from '../krm/index.js';

/** prometheus-operator's group and the Azure Monitor add-on's copy of its CRDs. */
export const monitoringGroups: readonly string[] = ['monitoring.coreos.com', 'azmonitoring.coreos.com'];

const isMonitoring = (item: Item, kind: string): boolean =>
  item.kind === kind && monitoringGroups.includes(item.group);

/** A ServiceMonitor of either monitoring group. */
export const isServiceMonitor = (item: Item): boolean => isMonitoring(item, 'ServiceMonitor');

/** A Prometheus or PrometheusAgent custom resource (prometheus-operator). */
export const isPrometheusServer = (item: Item): boolean =>
  item.group === 'monitoring.coreos.com' && (item.kind === 'Prometheus' || item.kind === 'PrometheusAgent');

/** An Alertmanager custom resource. */
export const isAlertmanager = (item: Item): boolean =>
  item.group === 'monitoring.coreos.com' && item.kind === 'Alertmanager';

/** Workload kinds with a pod template, and where the template sits. */
export const podTemplatePaths: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  Pod: [],
};

const workloadGroups: Readonly<Record<string, string>> = {
  Deployment: 'apps',
  StatefulSet: 'apps',
  DaemonSet: 'apps',
  ReplicaSet: 'apps',
  Job: 'batch',
  CronJob: 'batch',
  Pod: '',
};

/** A built-in workload that carries a pod template (or is a Pod). */
export const isWorkload = (item: Item): boolean => workloadGroups[item.kind] === item.group;

/** A core Service. */
export const isService = (item: Item): boolean => item.kind === 'Service' && item.group === '';

/** A core Namespace. */
export const isNamespace = (item: Item): boolean => item.kind === 'Namespace' && item.group === '';
