/** `select` / `exclude`: the resource selection every function shares. */
import * as z from 'zod';
import type { Item } from '../krm/index.js';
import { stringMap } from './label-selector.js';

/** One selection: all given criteria must hold; within a list any entry may match. */
export const selectorSchema = z
  .strictObject({
    kinds: z.array(z.string()).optional().describe('resource kinds, e.g. ServiceMonitor'),
    namespaces: z.array(z.string()).optional().describe('metadata.namespace values'),
    names: z.array(z.string()).optional().describe('metadata.name values'),
    labels: z.record(z.string(), z.string()).optional().describe('labels that must all be present'),
  })
  .describe('{kinds, namespaces, names, labels}');

/** A resource selection. */
export type Selector = z.infer<typeof selectorSchema>;

/** The `select` and `exclude` config fields. */
export const selectionFields = {
  select: selectorSchema
    .optional()
    .describe('only resources matching this are changed (default: all targets)'),
  exclude: selectorSchema.optional().describe('resources matching this are never changed'),
};

function matchesOne(item: Item, selector: Selector): boolean {
  if (selector.kinds && !selector.kinds.includes(item.kind)) return false;
  if (selector.namespaces && !selector.namespaces.includes(item.namespace ?? '')) return false;
  if (selector.names && !selector.names.includes(item.name)) return false;
  if (selector.labels) {
    const labels = stringMap(item.read(['metadata', 'labels']));
    for (const [key, value] of Object.entries(selector.labels)) if (labels[key] !== value) return false;
  }
  return true;
}

/** True when the item passes `select` (if given) and is not caught by `exclude`. */
export function isSelected(
  item: Item,
  selection: { select?: Selector | undefined; exclude?: Selector | undefined },
): boolean {
  if (selection.select && !matchesOne(item, selection.select)) return false;
  if (selection.exclude && matchesOne(item, selection.exclude)) return false;
  return true;
}
