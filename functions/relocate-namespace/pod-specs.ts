/** The containers and volumes of a workload's pod template, as paths into the resource and plain data. */
import { podTemplatePaths } from '../../src/domain/kinds.js';
import { asObject, type Item, type Json } from '../../src/krm/index.js';
import type { Path } from './edits.js';
import { dig } from './follow.js';

/** One container (or init container) of a pod template. */
export interface Container {
  path: Path;
  data: { [key: string]: Json };
}

/** The pod spec path of a workload kind, or undefined for other kinds. */
export function podSpecPath(item: Item): Path | undefined {
  const template = podTemplatePaths[item.kind];
  if (!template || !['apps', 'batch', ''].includes(item.group)) return undefined;
  return [...template, 'spec'];
}

/** Containers and init containers of a workload. */
export function containersOf(item: Item): Container[] {
  const spec = podSpecPath(item);
  if (!spec) return [];
  return ['initContainers', 'containers'].flatMap((key) => {
    const list = dig(item.data, [...spec, key]);
    if (!Array.isArray(list)) return [];
    return list.flatMap((value, index) => {
      const data = asObject(value);
      return data ? [{ path: [...spec, key, index], data }] : [];
    });
  });
}

/** A Secret or ConfigMap a pod spec names, where, and whether the kubelet resolves it in the pod's namespace. */
export interface ObjectUse {
  kind: 'Secret' | 'ConfigMap';
  name: string;
  path: Path;
  /** `volume`, `envFrom` and `env valueFrom` are read by the kubelet, in the pod's own namespace only. */
  how: 'volume' | 'envFrom' | 'env valueFrom';
}

function volumeUses(volume: { [key: string]: Json }, path: Path): ObjectUse[] {
  const uses: ObjectUse[] = [];
  const secret = asObject(volume.secret)?.secretName;
  if (typeof secret === 'string')
    uses.push({ kind: 'Secret', name: secret, path: [...path, 'secret', 'secretName'], how: 'volume' });
  const configMap = asObject(volume.configMap)?.name;
  if (typeof configMap === 'string')
    uses.push({ kind: 'ConfigMap', name: configMap, path: [...path, 'configMap', 'name'], how: 'volume' });
  const sources = asObject(volume.projected)?.sources;
  if (Array.isArray(sources))
    for (const [s, source] of sources.entries()) {
      for (const [key, kind] of [
        ['secret', 'Secret'],
        ['configMap', 'ConfigMap'],
      ] as const) {
        const name = asObject(asObject(source)?.[key])?.name;
        if (typeof name === 'string')
          uses.push({ kind, name, path: [...path, 'projected', 'sources', s, key, 'name'], how: 'volume' });
      }
    }
  return uses;
}

/** Every Secret and ConfigMap the kubelet reads for a workload's pods. */
export function objectUses(item: Item): ObjectUse[] {
  const spec = podSpecPath(item);
  if (!spec) return [];
  const uses: ObjectUse[] = [];
  const volumes = dig(item.data, [...spec, 'volumes']);
  if (Array.isArray(volumes))
    for (const [v, volume] of volumes.entries()) {
      const data = asObject(volume);
      if (data) uses.push(...volumeUses(data, [...spec, 'volumes', v]));
    }
  for (const container of containersOf(item)) {
    const envFrom = container.data.envFrom;
    if (Array.isArray(envFrom))
      for (const [e, entry] of envFrom.entries())
        for (const [key, kind] of [
          ['secretRef', 'Secret'],
          ['configMapRef', 'ConfigMap'],
        ] as const) {
          const name = asObject(asObject(entry)?.[key])?.name;
          if (typeof name === 'string')
            uses.push({ kind, name, path: [...container.path, 'envFrom', e, key, 'name'], how: 'envFrom' });
        }
    const env = container.data.env;
    if (Array.isArray(env))
      for (const [e, entry] of env.entries())
        for (const [key, kind] of [
          ['secretKeyRef', 'Secret'],
          ['configMapKeyRef', 'ConfigMap'],
        ] as const) {
          const name = asObject(asObject(asObject(entry)?.valueFrom)?.[key])?.name;
          if (typeof name === 'string')
            uses.push({
              kind,
              name,
              path: [...container.path, 'env', e, 'valueFrom', key, 'name'],
              how: 'env valueFrom',
            });
        }
  }
  return uses;
}
