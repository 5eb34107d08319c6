/**
 * What the config asks of one pod: the labels and annotations to merge, each with the config fields and presets
 * that asked for it (for the results' reasons).
 */
import { stringify } from 'yaml';
import { isCommaList, splitList } from '../../src/domain/pod-annotations.js';
import { error, fieldPath, type Item, type Result } from '../../src/krm/index.js';
import type { SetSidecarOptionsConfig } from './config.js';
import type { Preset } from './presets.js';

/** One label or annotation to merge, and who asked for it. */
export interface WantedValue {
  value: string;
  sources: string[];
}

/** The labels and annotations one pod should get. */
export interface Wanted {
  labels: Map<string, WantedValue>;
  annotations: Map<string, WantedValue>;
}

/** The annotation (or label) each named option writes. */
export const optionKeys = {
  inject: 'sidecar.istio.io/inject',
  excludeOutboundIPRanges: 'traffic.sidecar.istio.io/excludeOutboundIPRanges',
  includeOutboundIPRanges: 'traffic.sidecar.istio.io/includeOutboundIPRanges',
  excludeInboundPorts: 'traffic.sidecar.istio.io/excludeInboundPorts',
  excludeOutboundPorts: 'traffic.sidecar.istio.io/excludeOutboundPorts',
  proxyCPU: 'sidecar.istio.io/proxyCPU',
  proxyMemory: 'sidecar.istio.io/proxyMemory',
  proxyCPULimit: 'sidecar.istio.io/proxyCPULimit',
  proxyMemoryLimit: 'sidecar.istio.io/proxyMemoryLimit',
  proxyConfig: 'proxy.istio.io/config',
} as const;

type ListOption =
  | 'excludeOutboundIPRanges'
  | 'includeOutboundIPRanges'
  | 'excludeInboundPorts'
  | 'excludeOutboundPorts';
const listOptions: readonly ListOption[] = [
  'excludeOutboundIPRanges',
  'includeOutboundIPRanges',
  'excludeInboundPorts',
  'excludeOutboundPorts',
];
const quantityOptions = ['proxyCPU', 'proxyMemory', 'proxyCPULimit', 'proxyMemoryLimit'] as const;

function add(map: Map<string, WantedValue>, key: string, value: string, source: string): void {
  const had = map.get(key);
  if (!had) {
    map.set(key, { value, sources: [source] });
    return;
  }
  // Only comma lists reach here twice (checkConfig refuses other overlaps): their entries unite.
  had.value = [...new Set([...splitList(had.value), ...splitList(value)])].join(',');
  if (!had.sources.includes(source)) had.sources.push(source);
}

/** Where the inject option goes. */
export const injectTarget = (config: SetSidecarOptionsConfig): 'labels' | 'annotations' =>
  config.injectAs === 'annotation' ? 'annotations' : 'labels';

/** The labels and annotations the config and the presets that apply to `item` ask for. */
export function wantedFor(item: Item, config: SetSidecarOptionsConfig, presets: readonly Preset[]): Wanted {
  const wanted: Wanted = { labels: new Map(), annotations: new Map() };
  for (const [key, value] of Object.entries(config.labels ?? {}))
    add(wanted.labels, key, value, 'config labels');
  for (const [key, value] of Object.entries(config.annotations ?? {}))
    add(wanted.annotations, key, value, 'config annotations');
  if (config.inject !== undefined)
    add(wanted[injectTarget(config)], optionKeys.inject, String(config.inject), 'config inject');
  for (const option of listOptions) {
    const list = config[option];
    if (list && list.length > 0)
      add(wanted.annotations, optionKeys[option], list.join(','), `config ${option}`);
  }
  for (const option of quantityOptions) {
    const value = config[option];
    if (value !== undefined) add(wanted.annotations, optionKeys[option], value, `config ${option}`);
  }
  if (config.proxyConfig && Object.keys(config.proxyConfig).length > 0)
    add(wanted.annotations, optionKeys.proxyConfig, stringify(config.proxyConfig), 'config proxyConfig');
  for (const preset of presets) {
    if (!preset.appliesTo(item)) continue;
    for (const option of [
      'excludeOutboundIPRanges',
      'excludeInboundPorts',
      'excludeOutboundPorts',
    ] as const) {
      const list = preset[option];
      if (list)
        add(
          wanted.annotations,
          optionKeys[option],
          list.join(','),
          `preset ${preset.name}: ${preset.reason}`,
        );
    }
  }
  return wanted;
}

/**
 * Overlaps inside the config itself: a key of `labels` / `annotations` that a named option also writes is an
 * error unless both are comma lists (which unite), so no value silently wins over another.
 */
export function checkConfig(config: SetSidecarOptionsConfig): Result[] {
  const results: Result[] = [];
  const named = new Map<string, string>();
  if (config.inject !== undefined) named.set(`${injectTarget(config)}:${optionKeys.inject}`, 'inject');
  for (const [option, key] of Object.entries(optionKeys)) {
    if (option === 'inject') continue;
    if (config[option as keyof typeof optionKeys] !== undefined) named.set(`annotations:${key}`, option);
  }
  for (const field of ['labels', 'annotations'] as const) {
    for (const key of Object.keys(config[field] ?? {})) {
      const option = named.get(`${field}:${key}`);
      if (option === undefined || isCommaList(key)) continue;
      const path = fieldPath([field, key]);
      results.push(
        error(`config field ${path} sets what ${option} sets; give one of them (nothing was changed)`, {
          path,
        }),
      );
    }
  }
  return results;
}
