/**
 * Hands the items one function wrote to the next function of a pipeline. An item's reads (`data`, `read`, its
 * header) give its input state by design, so an item edited by one step would still read as it came in to the
 * steps after it. Between steps each changed or generated item is rebased on its written text, as kpt and
 * kustomize hand a step's output to the next one as text.
 */
import { Item } from './item.js';

/** The items as the next step must see them: what this step wrote is their input state. */
export function handOff(items: readonly Item[]): Item[] {
  return items.map(settled);
}

function settled(item: Item): Item {
  // Unedited items already read as they are; the rest (edits can only come through `node`) are few.
  if (!item.generated && !item.changed) return item;
  // Read through the parser only: the rendered text was not vetted by the line splitter.
  const next = Item.fromParsedText(item.toDocument(), 0);
  next.leading = item.leading;
  return next;
}
