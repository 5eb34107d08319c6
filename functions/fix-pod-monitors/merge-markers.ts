/**
 * merge-metrics edits workloads, not only generated resources, so a later run with another strategy must be able
 * to undo exactly that edit. The workload's own metadata (not its pod template: no rollout for bookkeeping) records
 * the PodMonitor it was merged for, the pod annotations the merge added (ones the user had already are not
 * removed later), and, when no generated scraper keeps it, the replaced PodMonitor itself.
 */
import { originalAnnotation } from '../../src/domain/generated.js';
import { podTemplatePaths } from '../../src/domain/kinds.js';
import { type Item, mapAt, mergedForAnnotation } from '../../src/krm/index.js';

export { mergedForAnnotation } from '../../src/krm/index.js';

/** The PodMonitor (`PodMonitor/namespace/name`) a workload's pods were annotated for. */

/** The pod annotations that merge added, comma-separated. */
export const mergedAnnotationsAnnotation = 'meshscrape.dev/merged-annotations';

const markerKeys = [mergedForAnnotation, mergedAnnotationsAnnotation, originalAnnotation];

/** The monitor a workload was merged for, if a merge marked it. */
export function mergedFor(item: Item): string | undefined {
  const value = item.read(['metadata', 'annotations', mergedForAnnotation]);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The pod annotation keys a merge recorded on the workload. */
export function mergedKeys(item: Item): string[] {
  const value = item.read(['metadata', 'annotations', mergedAnnotationsAnnotation]);
  return typeof value === 'string' && value !== '' ? value.split(',') : [];
}

/** The marker annotations for a merge of `monitorRef` that added `added` (and keeps `original`, if given). */
export function mergeMarkers(
  monitorRef: string,
  added: readonly string[],
  original?: string,
): Record<string, string> {
  return {
    [mergedForAnnotation]: monitorRef,
    [mergedAnnotationsAnnotation]: [...added].sort().join(','),
    ...(original === undefined ? {} : { [originalAnnotation]: original }),
  };
}

/** Removes the pod annotations a merge added and the markers; empty annotation maps go too. */
export function undoMerge(item: Item): void {
  const keys = mergedKeys(item);
  const template = podTemplatePaths[item.kind] ?? [];
  const podMetadata = mapAt(item.node, [...template, 'metadata']);
  const podAnnotations = podMetadata && mapAt(podMetadata, ['annotations']);
  if (podMetadata && podAnnotations) {
    for (const key of keys) podAnnotations.delete(key);
    if (podAnnotations.items.length === 0) podMetadata.delete('annotations');
  }
  const metadata = mapAt(item.node, ['metadata']);
  const annotations = metadata && mapAt(metadata, ['annotations']);
  if (metadata && annotations) {
    for (const key of markerKeys) annotations.delete(key);
    if (annotations.items.length === 0) metadata.delete('annotations');
  }
}
