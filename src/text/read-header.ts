/** A resource's identity (apiVersion, kind, metadata.name and namespace) read from its lines, without a parser. */
import { indentOf } from './lines.js';

const plainValue = /^([^\s'"#&*!|>{[%@`][^#]*?)\s*(?:\s#.*)?$/;
const quotedValue = /^(['"])(.*)\1\s*(?:#.*)?$/;

/** True when every character is a letter, a digit, `.`, `_`, `/` or `-`: what `plainValue` takes as it stands. */
function isPlainWord(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
    if (!(letter || (c >= 48 && c <= 57) || c === 46 || c === 95 || c === 47 || c === 45)) return false;
  }
  return true;
}

/** Reads a simple scalar value written after `key:` on the same line; undefined when it is not simple. */
function simpleScalar(rest: string): string | undefined {
  const text = rest.trim();
  if (text === '') return undefined;
  // Most names and kinds: no need for the expressions below (every item's header is read).
  if (isPlainWord(text)) return text;
  const quoted = quotedValue.exec(text);
  if (quoted) {
    const body = quoted[2] as string;
    // Escapes and doubled quotes are left to the real parser.
    if (body.includes('\\') || body.includes("'") || body.includes('"')) return undefined;
    return body;
  }
  const plain = plainValue.exec(text);
  return plain ? (plain[1] as string) : undefined;
}

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
    if (i === 0) col = indentOf(' '.repeat(indent) + line.slice(indent));
    if (col < 0 || line.charCodeAt(col) === 35) continue;
    if (col === indent) {
      if (inMetadata) metadataDone = true;
      inMetadata = false;
      // Identity is complete once metadata is read: the rest (spec, data) is the bulk of the resource.
      if (metadataDone && header.kind !== undefined && header.apiVersion !== undefined) break;
      const top = (key: 'apiVersion' | 'kind'): void => {
        const rest = keyAt(line, col, key);
        if (rest === undefined) return;
        const value = simpleScalar(rest);
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
      const value = simpleScalar(rest);
      if (value === undefined) header.simple = false;
      else header[key] = value;
    }
  }
  return header;
}
