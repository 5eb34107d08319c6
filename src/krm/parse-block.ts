/** The parser the text layer's path reader hands a block to when it cannot read the block's lines as they stand. */
import { parseDocument } from 'yaml';
import { type BlockParser, fallback } from '../text/read-path.js';
import { boundsProblem } from './bounded-parse.js';
import { parseOptions } from './yaml-options.js';

/** Parses one block as the whole item would be parsed; `fallback` on an error or out of bounds. */
export const parseBlock: BlockParser = (text) => {
  const document = parseDocument(text, parseOptions);
  // Out of bounds: the whole item is read instead, and refused there.
  if (document.errors.length > 0 || boundsProblem(document, text.length)) return fallback;
  return document.toJS({ maxAliasCount: -1 }) as unknown;
};
