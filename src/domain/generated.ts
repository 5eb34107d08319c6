/** Resources a function generates carry an annotation naming it, so a later run can update or remove them. */
import { asObject, type Item } from '../krm/item.js';

/** The annotation naming the function that generated a resource. */
export const generatedByAnnotation = 'meshscrape.dev/generated-by';

/** The function that generated an item, if one did. */
export function generatedBy(item: Item): string | undefined {
  const value = asObject(asObject(item.data.metadata)?.annotations)?.[generatedByAnnotation];
  return typeof value === 'string' ? value : undefined;
}
