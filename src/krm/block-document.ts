/**
 * The Document an item's text parses to, built from the block reader's lines instead of the `yaml` parser, for
 * items a function edits. Parsing is most of an edited item's cost (0.4 ms for a ServiceMonitor), and the reader
 * already knows the text. Built only for text whose comment lines stand at the column of the node after them (the
 * builder puts them where the parser does), with no blank lines or trailing comments, and no floats (their written
 * precision is kept by the parser); anything else gets undefined and the parser runs. test/unit/block-document.test.ts holds it to the parser:
 * the same data and the same text written back, before and after edits.
 */
import { Document, Pair, type ParsedNode, Scalar, type Schema, YAMLMap, YAMLSeq } from 'yaml';
import type { ItemLines } from '../text/item-lines.js';
import { type BlockBuilder, buildBlockMapping } from '../text/read-block.js';
import { parseOptions } from './yaml-options.js';

type Node = Scalar | YAMLMap | YAMLSeq;

/** A scalar as the parser composes it: the written text as its source, its quoting style as its type. */
function scalarNode(value: unknown, source: string, type: Scalar.Type): Scalar {
  const node = new Scalar(value);
  node.source = source;
  node.type = type;
  return node;
}

const styles = { plain: Scalar.PLAIN, single: Scalar.QUOTE_SINGLE, double: Scalar.QUOTE_DOUBLE } as const;

/** Thrown when a value has no exact node form here; caught below. */
const unsupported = Symbol('unsupported');

/** Collections carry the document's schema, as parsed ones do (`setIn` creates missing maps through it). */
const nodeBuilder = (schema: Schema): BlockBuilder<Node> => ({
  keepsTrivia: false,
  map(keys, values, comments) {
    const map = new YAMLMap(schema);
    for (let i = 0; i < keys.length; i++) {
      const key = scalarNode(keys[i] as string, keys[i] as string, Scalar.PLAIN);
      const comment = comments[i];
      if (comment !== undefined && i > 0) key.commentBefore = comment;
      map.items.push(new Pair(key, values[i]));
    }
    if (comments[0] !== undefined) map.commentBefore = comments[0];
    return map;
  },
  seq(values, comments) {
    const seq = new YAMLSeq(schema);
    seq.items = values;
    for (let i = 1; i < values.length; i++) {
      const comment = comments[i];
      if (comment !== undefined) (values[i] as Node).commentBefore = comment;
    }
    if (comments[0] !== undefined) seq.commentBefore = comments[0];
    return seq;
  },
  scalar(value, written) {
    if (typeof value === 'number' && !Number.isInteger(value)) throw unsupported;
    return scalarNode(value, written.text, styles[written.style]);
  },
  emptyFlow(map) {
    const node = map ? new YAMLMap(schema) : new YAMLSeq(schema);
    node.flow = true;
    return node;
  },
  none: () => scalarNode(null, '', Scalar.PLAIN),
});

/** The Document of an item's lines (keys at column `col`), or undefined when the parser must build it. */
export function blockDocument(lines: ItemLines, col: number): Document | undefined {
  const document = new Document(null, parseOptions);
  let contents: Node | undefined;
  try {
    contents = buildBlockMapping(lines, 0, lines.length, col, nodeBuilder(document.schema));
  } catch (e) {
    if (e === unsupported) return undefined;
    throw e;
  }
  // A comment above the first key is the document's to the parser: left to it.
  if (contents === undefined || contents.commentBefore) return undefined;
  document.contents = contents as unknown as ParsedNode;
  return document;
}
