/**
 * Built-in option sets for agents that need the same sidecar settings everywhere. Each preset applies only to
 * the pods it is for (`appliesTo`); on other selected pods it does nothing.
 */
import { isAlertmanager, podTemplatePaths } from '../../src/domain/kinds.js';
import { asObject, type Item } from '../../src/krm/index.js';

/** The preset names `preset:` accepts. */
export const presetNames = ['azure-imds', 'alertmanager-cluster', 'ama-metrics'] as const;
/** One preset name. */
export type PresetName = (typeof presetNames)[number];

/** What a preset asks for: the list options it adds, and on which pods. */
export interface Preset {
  name: PresetName;
  /** Which pods it is for, for messages. */
  scope: string;
  /** Why, for results. */
  reason: string;
  appliesTo(item: Item): boolean;
  excludeOutboundIPRanges?: readonly string[];
  excludeInboundPorts?: readonly number[];
  excludeOutboundPorts?: readonly number[];
}

function containerNames(item: Item): string[] {
  const template = podTemplatePaths[item.kind];
  if (!template) return [];
  const containers = item.read([...template, 'spec', 'containers']);
  return (Array.isArray(containers) ? containers : [])
    .map((c) => asObject(c)?.name)
    .filter((n): n is string => typeof n === 'string');
}

const presets: Readonly<Record<PresetName, Preset>> = {
  'azure-imds': {
    name: 'azure-imds',
    scope: 'every selected pod',
    reason:
      "Azure's instance metadata service (managed identity tokens) is a link-local address outside the mesh",
    appliesTo: () => true,
    excludeOutboundIPRanges: ['169.254.169.254/32'],
  },
  'alertmanager-cluster': {
    name: 'alertmanager-cluster',
    scope: 'Alertmanager pods (Alertmanager resources, workloads with an alertmanager container)',
    reason:
      'Alertmanager cluster gossip (9094, TCP and UDP) does not survive the sidecar (prometheus-community/helm-charts#190, #145)',
    appliesTo: (item) => isAlertmanager(item) || containerNames(item).includes('alertmanager'),
    excludeInboundPorts: [9094],
    excludeOutboundPorts: [9094],
  },
  'ama-metrics': {
    name: 'ama-metrics',
    scope: 'ama-metrics collector pods (workloads with a prometheus-collector container)',
    reason:
      "the ama-metrics chart's health ports: prometheus-collector's liveness /health on 8080, addon-token-adapter's /healthz on 9999 (Azure/prometheus-collector addon-chart, commit 39583fd5)",
    appliesTo: (item) => containerNames(item).includes('prometheus-collector'),
    excludeInboundPorts: [8080, 9999],
  },
};

/** The presets a config names, in its order. */
export const presetsNamed = (names: readonly PresetName[]): Preset[] => names.map((n) => presets[n]);
