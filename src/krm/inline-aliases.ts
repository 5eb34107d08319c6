/** Aliases replaced by copies of what they point at, so a document can be edited (or cut apart) safely. */
import { type Document, isAlias, type Node, visit } from 'yaml';

/** Replaces aliases by copies of what they point at, so each item can stand alone as its own document. */
export function inlineAliases(document: Document): void {
  visit(document, {
    Alias(_, alias) {
      const target = alias.resolve(document);
      // Returning a node replaces this one and visits it again: an unresolved alias returned as itself looped
      // until the stack ran out. Left in place, it is refused where the item is read.
      return target ? (target.clone() as Node) : undefined;
    },
  });
  visit(document, {
    Node(_, node) {
      if ('anchor' in node && !isAlias(node)) delete (node as { anchor?: string }).anchor;
    },
  });
}
