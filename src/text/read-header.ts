/** A resource's identity (apiVersion, kind, metadata.name and namespace) read from its lines, without a parser. */
import { entryLine, indentOf } from './lines.js';
import { readString } from './plain-scalar.js';

/** Identity of a resource as read from its top-level lines. */
export interface Header {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  /** False when some header key was written in a form the line reader does not handle. */
  simple: boolean;
}

function keyAt(line: string, col: number, key: string): string | undefined {
  if (!line.startsWith(key, col) || line.charCodeAt(col + key.length) !== 58 /* : */) return undefined;
  // `name:x` is one plain scalar, not the key `name`.
  const after = line.charCodeAt(col + key.length + 1);
  if (after !== 32 && !Number.isNaN(after)) return undefined;
  return line.slice(col + key.length + 1);
}

/**
 * Reads apiVersion, kind, metadata.name and metadata.namespace from the text of one resource whose keys sit at
 * column `indent` (the first line may start with a sequence marker inside those columns). Every item is read so:
 * the text is walked by offsets, and only the lines that can matter are cut out of it.
 */
export function readHeader(text: string, indent: number): Header {
  const header: Header = { simple: true };
  let inMetadata = false;
  let metadataDone = false;
  let metadataIndent = -1;
  let i = -1;
  // Lines as text.split('\n') gives them: a final newline ends in one more, empty line.
  for (let from = 0; from <= text.length; ) {
    i++;
    const newline = text.indexOf('\n', from);
    const to = newline < 0 ? text.length : newline;
    const lineStart = from;
    from = to + 1;
    // Outside metadata only top-level keys matter: skip deeper lines without measuring them.
    if (i > 0 && !inMetadata && (to - lineStart <= indent || text.charCodeAt(lineStart + indent) === 32)) {
      continue;
    }
    // Inside metadata, lines deeper than its keys (labels, annotations) are skipped the same way.
    if (
      inMetadata &&
      metadataIndent >= 0 &&
      text.charCodeAt(lineStart + indent) === 32 &&
      text.charCodeAt(lineStart + metadataIndent) === 32
    ) {
      continue;
    }
    const line = text.slice(lineStart, to);
    let col = indentOf(line);
    if (i === 0) col = indentOf(entryLine(line, indent));
    if (col < 0 || line.charCodeAt(col) === 35) continue;
    if (col === indent) {
      // A header key given again (the parser keeps one of them, the API server refuses both): leave it to the parser.
      const repeated =
        (metadataDone || inMetadata ? keyAt(line, col, 'metadata') !== undefined : false) ||
        (header.kind !== undefined && keyAt(line, col, 'kind') !== undefined) ||
        (header.apiVersion !== undefined && keyAt(line, col, 'apiVersion') !== undefined);
      if (repeated) {
        header.simple = false;
        break;
      }
      if (inMetadata) metadataDone = true;
      inMetadata = false;
      // Identity is complete once metadata is read: the rest (spec, data) is the bulk of the resource.
      if (metadataDone && header.kind !== undefined && header.apiVersion !== undefined) break;
      const top = (key: 'apiVersion' | 'kind'): void => {
        const rest = keyAt(line, col, key);
        if (rest === undefined) return;
        const value = continues(text, from, col) ? undefined : readString(rest);
        if (value === undefined) header.simple = false;
        else header[key] = value;
      };
      top('apiVersion');
      top('kind');
      const meta = keyAt(line, col, 'metadata');
      if (meta !== undefined) {
        if (meta.trim() !== '' && !meta.trim().startsWith('#')) header.simple = false;
        inMetadata = true;
        metadataIndent = -1;
      }
      continue;
    }
    if (!inMetadata || col < indent) continue;
    if (metadataIndent < 0) metadataIndent = col;
    if (col !== metadataIndent) continue;
    for (const key of ['name', 'namespace'] as const) {
      const rest = keyAt(line, col, key);
      if (rest === undefined) continue;
      const value = continues(text, from, col) ? undefined : readString(rest);
      if (value === undefined) header.simple = false;
      else header[key] = value;
    }
  }
  return header;
}

/**
 * Whether the lines from `from` may continue a scalar whose key sits at column `col`: the next line that is not
 * blank is deeper than the key and not a comment (a plain scalar goes on over such lines; the reader declines).
 */
function continues(text: string, from: number, col: number): boolean {
  for (let at = from; at < text.length; ) {
    let first = at;
    while (text.charCodeAt(first) === 32) first++;
    if (text.charCodeAt(first) === 10) {
      at = first + 1;
      continue;
    }
    return first < text.length && first - at > col && text.charCodeAt(first) !== 35;
  }
  return false;
}

/** `Kind/namespace/name` as a resource's header lines show it (keys at column `indent`); '' without kind and name. */
export function headerLabel(text: string, indent: number): string {
  const h = readHeader(text, indent);
  if (h.kind === undefined || h.name === undefined) return '';
  return `${h.kind}/${h.namespace ? `${h.namespace}/` : ''}${h.name}`;
}
