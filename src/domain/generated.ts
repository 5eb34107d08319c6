/** Resources a function generates carry an annotation naming it, so a later run can update or remove them. */

import { asObject, generatedByAnnotation, type Item, type Resource } from '../krm/index.js';

export { generatedByAnnotation, originalAnnotation } from '../krm/index.js';

import { canonicalJson } from './canonical-json.js';
import { syncWaveOf } from './sync-wave.js';

/** The function that generated an item, if one did. */
export function generatedBy(item: Item): string | undefined {
  const value = item.read(['metadata', 'annotations', generatedByAnnotation]);
  return typeof value === 'string' ? value : undefined;
}

/** The annotation naming the resources a generated resource was made for (`Kind/namespace/name`, comma-separated). */
export const generatedForAnnotation = 'meshscrape.dev/generated-for';

/** Metadata for a generated resource. */
export function generatedMetadata(
  fn: string,
  name: string,
  namespace: string,
  generatedFor: readonly string[],
  extra: { labels?: Record<string, string>; annotations?: Record<string, string> } = {},
): Resource {
  return {
    name: name.slice(0, 63).replace(/-+$/, ''),
    namespace,
    ...(extra.labels && Object.keys(extra.labels).length > 0 ? { labels: extra.labels } : {}),
    annotations: {
      [generatedByAnnotation]: fn,
      [generatedForAnnotation]: generatedFor.join(','),
      ...extra.annotations,
    },
  };
}

/**
 * What decides whether a generated policy is current: its spec, what it was made for and its sync wave (so one from
 * a release that wrote no wave gains it).
 */
export const generatedSpecContent = (item: Item): string =>
  canonicalJson({ spec: asObject(item.data.spec) ?? null, for: generatedFor(item), wave: syncWaveOf(item) });

/** The resources a generated item was made for. */
export function generatedFor(item: Item): string[] {
  const value = item.read(['metadata', 'annotations', generatedForAnnotation]);
  return typeof value === 'string' && value !== '' ? value.split(',') : [];
}

const orchestratorAnnotation =
  /^(?:config\.kubernetes\.io|internal\.config\.kubernetes\.io|config\.k8s\.io|kustomize\.config\.k8s\.io)\//;

/**
 * A resource as JSON for the `original` annotation, without the annotations kpt and kustomize add (file paths,
 * ids): they describe where it was in one run, and would make the stored value differ between orchestrators.
 */
export function originalJson(resource: Resource): string {
  const copy = structuredClone(resource) as { metadata?: { annotations?: Record<string, unknown> } };
  const annotations = copy.metadata?.annotations;
  if (annotations) {
    for (const key of Object.keys(annotations)) if (orchestratorAnnotation.test(key)) delete annotations[key];
    if (Object.keys(annotations).length === 0) delete copy.metadata?.annotations;
  }
  return canonicalJson(copy);
}
