/**
 * The one way meshscrape writes pod annotations and labels: comma lists merge as sets (existing entries first, each
 * once, joined with a bare `,`: Istio does not trim spaces in CIDR lists), `proxy.istio.io/config` merges as a YAML
 * map, the userVolumeMount list merges by name, and a value that contradicts the desired one is an error result
 * (never a silent overwrite) unless the caller is the owner of the value and asks to replace it.
 */
import { isScalar, parse, stringify, type YAMLMap } from 'yaml';
import { ensureMapPath, error, fieldPath, type Item, type Result, setScalar, warning } from '../krm/index.js';
import { podTemplatePaths } from './kinds.js';

const commaLists = new Set([
  'traffic.sidecar.istio.io/includeInboundPorts',
  'traffic.sidecar.istio.io/excludeInboundPorts',
  'traffic.sidecar.istio.io/includeOutboundIPRanges',
  'traffic.sidecar.istio.io/excludeOutboundIPRanges',
  'traffic.sidecar.istio.io/includeOutboundPorts',
  'traffic.sidecar.istio.io/excludeOutboundPorts',
]);
const proxyConfig = 'proxy.istio.io/config';
const userVolumeMount = 'sidecar.istio.io/userVolumeMount';

type Merge = { value: string } | { conflict: string } | { value: string; note: string };

/** How a merge treats a value that contradicts the desired one. */
export interface MergePolicy {
  /** `error` (default): report it and leave it; `replace`: the desired value wins (a user's explicit option). */
  conflicts: 'error' | 'replace';
  /** Who wants the desired value, for messages (default `the cert recipe`). */
  wantedBy: string;
}

const recipePolicy: MergePolicy = { conflicts: 'error', wantedBy: 'the cert recipe' };

/** The entries of a comma list, trimmed, each once, in first-seen order. */
export function splitList(text: string): string[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return [...new Set(parts)];
}

/** Comma lists merge as sets; the recipe's empty list ("capture nothing") wins over a list, with a warning. */
function mergeCommaList(existing: string, desired: string, policy: MergePolicy): Merge {
  if (desired === '') {
    if (existing.trim() === '') return { value: existing };
    return { value: '', note: `replaced "${existing}" with "" as ${policy.wantedBy} requires` };
  }
  const merged = splitList(existing);
  for (const part of splitList(desired)) if (!merged.includes(part)) merged.push(part);
  return { value: merged.join(',') };
}

function mergeMaps(
  existing: Record<string, unknown>,
  desired: Record<string, unknown>,
  path: string,
  policy: MergePolicy,
): string | undefined {
  for (const [key, value] of Object.entries(desired)) {
    const here = existing[key];
    const where = path === '' ? key : `${path}.${key}`;
    if (here === undefined) existing[key] = value;
    else if (isRecord(here) && isRecord(value)) {
      const conflict = mergeMaps(here, value, where, policy);
      if (conflict) return conflict;
    } else if (JSON.stringify(here) !== JSON.stringify(value)) {
      if (policy.conflicts === 'replace') existing[key] = value;
      else return `${where} is ${JSON.stringify(here)}, ${policy.wantedBy} needs ${JSON.stringify(value)}`;
    }
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeProxyConfig(existing: string, desired: string, policy: MergePolicy): Merge {
  let current: unknown;
  try {
    current = parse(existing) ?? {};
  } catch {
    return { conflict: 'is not valid YAML' };
  }
  if (!isRecord(current)) return { conflict: 'is not a YAML map' };
  const conflict = mergeMaps(current, parse(desired) as Record<string, unknown>, '', policy);
  if (conflict) return { conflict };
  const merged = stringify(current);
  return JSON.stringify(parse(existing)) === JSON.stringify(current)
    ? { value: existing }
    : { value: merged };
}

function mergeVolumeMounts(existing: string, desired: string, policy: MergePolicy): Merge {
  let current: unknown;
  try {
    current = JSON.parse(existing);
  } catch {
    return { conflict: 'is not valid JSON' };
  }
  if (!Array.isArray(current)) return { conflict: 'is not a JSON list' };
  const mounts = current as unknown[];
  for (const wanted of JSON.parse(desired) as { name: string }[]) {
    const same = mounts.find((m) => isRecord(m) && m.name === wanted.name);
    if (!same) mounts.push(wanted);
    else if (JSON.stringify(same) !== JSON.stringify(wanted)) {
      return {
        conflict: `mounts ${wanted.name} as ${JSON.stringify(same)}, ${policy.wantedBy} needs ${JSON.stringify(wanted)}`,
      };
    }
  }
  return mounts.length === (JSON.parse(existing) as unknown[]).length
    ? { value: existing }
    : { value: JSON.stringify(mounts) };
}

function mergeValue(key: string, existing: string, desired: string, policy: MergePolicy): Merge {
  if (commaLists.has(key)) return mergeCommaList(existing, desired, policy);
  if (key === proxyConfig) return mergeProxyConfig(existing, desired, policy);
  if (key === userVolumeMount) return mergeVolumeMounts(existing, desired, policy);
  if (existing === desired || policy.conflicts === 'replace') return { value: desired };
  return { conflict: `is "${existing}", ${policy.wantedBy} needs "${desired}"` };
}

/** True for the annotations whose value is a comma-separated set. */
export const isCommaList = (key: string): boolean => commaLists.has(key);

/**
 * Merges `desired` into a labels or annotations map. `path` is the map's field path for results. Returns the
 * results; the map is changed only where the merge is clean.
 */
export function mergeStringMap(
  map: YAMLMap,
  desired: Readonly<Record<string, string>>,
  item: Item,
  path: readonly (string | number)[],
  policy: MergePolicy = recipePolicy,
): Result[] {
  const results: Result[] = [];
  for (const [key, value] of Object.entries(desired)) {
    const node = map.get(key, true) as unknown;
    const target = { ref: item.ref, path: fieldPath([...path, key]), file: item.file };
    if (node === undefined) {
      setScalar(map, key, value);
      continue;
    }
    const existing = isScalar(node) ? node.value : undefined;
    if (typeof existing !== 'string') {
      results.push(error(`${key} must be a string, found ${JSON.stringify(existing ?? null)}`, target));
      continue;
    }
    const merged = mergeValue(key, existing, value, policy);
    if ('conflict' in merged) {
      results.push(error(`${key} ${merged.conflict}; resolve it by hand, nothing was changed there`, target));
      continue;
    }
    if ('note' in merged) results.push(warning(`${key}: ${merged.note}`, target));
    if (merged.value !== existing) setScalar(map, key, merged.value);
  }
  return results;
}

/** Where the pod metadata of a pod source sits: the workload's template, or an operator CR's podMetadata. */
export function podMetadataPath(item: Item): string[] | undefined {
  if (
    item.group === 'monitoring.coreos.com' &&
    ['Prometheus', 'PrometheusAgent', 'Alertmanager'].includes(item.kind)
  )
    return ['spec', 'podMetadata'];
  const template = podTemplatePaths[item.kind];
  return template ? [...template, 'metadata'] : undefined;
}

/** Where the pod annotations of a pod source are written. */
export function podAnnotationsPath(item: Item): string[] | undefined {
  const metadata = podMetadataPath(item);
  return metadata ? [...metadata, 'annotations'] : undefined;
}

/** Adds container ports to the pods' `excludeInboundPorts` (merged as a set); results say what changed or why not. */
export function excludeInboundPorts(item: Item, ports: readonly number[]): Result[] {
  const path = podAnnotationsPath(item);
  const at = { ref: item.ref, file: item.file, path: path ? fieldPath(path) : undefined };
  if (!path) return [error(`${item.kind} has no pod template to annotate`, at)];
  const map = ensureMapPath(item.node, path);
  if (!map) return [error('the pod annotations are not a map; nothing was changed', at)];
  return mergeStringMap(map, { [excludeInbound]: ports.join(',') }, item, path);
}

const excludeInbound = 'traffic.sidecar.istio.io/excludeInboundPorts';
