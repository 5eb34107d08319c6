/** The prometheus-operator version, from config or from the operator Deployment in the list. */
import { asObject, type Item } from '../krm/index.js';
import { stringMap } from './label-selector.js';

/** A version as [major, minor, patch]. */
export type Version = [number, number, number];

/** Parses `v0.75.1`, `0.75` or an image tag; undefined when it is not a version. */
export function parseVersion(text: string): Version | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** True when `a` is older than `b`. */
export function olderThan(a: Version, b: Version): boolean {
  for (let i = 0; i < 3; i++)
    if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) < (b[i] as number);
  return false;
}

const crdVersionAnnotation = 'operator.prometheus.io/version';

/**
 * The operator version the list shows: a monitoring.coreos.com CRD's `operator.prometheus.io/version` annotation,
 * or the operator Deployment's version label or image tag.
 */
export function operatorVersionInList(
  items: readonly Item[],
): { version: Version; from: Item; path: string } | undefined {
  for (const item of items) {
    if (item.kind !== 'CustomResourceDefinition' || !item.name.endsWith('.monitoring.coreos.com')) continue;
    const annotated = item.read(['metadata', 'annotations', crdVersionAnnotation]);
    const version = typeof annotated === 'string' ? parseVersion(annotated) : undefined;
    if (version) return { version, from: item, path: `metadata.annotations["${crdVersionAnnotation}"]` };
  }
  for (const item of items) {
    if (item.kind !== 'Deployment' || !item.name.includes('prometheus-operator')) continue;
    const labels = stringMap(asObject(item.data.metadata)?.labels);
    const fromLabel = labels['app.kubernetes.io/version'];
    const version = fromLabel ? parseVersion(fromLabel) : undefined;
    if (version) return { version, from: item, path: 'metadata.labels["app.kubernetes.io/version"]' };
    const containers = asObject(asObject(asObject(asObject(item.data.spec)?.template)?.spec))?.containers;
    if (!Array.isArray(containers)) continue;
    for (const container of containers) {
      const image = asObject(container)?.image;
      if (typeof image !== 'string' || !image.includes('prometheus-operator')) continue;
      const tag = image.split(':').pop() ?? '';
      const parsed = parseVersion(tag);
      if (parsed) return { version: parsed, from: item, path: 'spec.template.spec.containers' };
    }
  }
  return undefined;
}
