// Test-only reference: src/krm/item-text.ts as it was before the offset-based splitter (commit 1aac976). The
// differential test (test/unit/split-reference.test.ts) holds the new code to exactly this behaviour. Do not edit.
/** Line-level facts about the text of one resource, read without a YAML parser (the fast path). */

/** Column of the first non-space character, or -1 for a blank line. */
export function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) === 32) i++;
  return i === line.length ? -1 : i;
}

/** True for blank lines and lines holding only a comment. */
export function isTrivia(line: string): boolean {
  const col = indentOf(line);
  return col < 0 || line.charCodeAt(col) === 35; /* # */
}

/**
 * Removes `indent` columns from every line so one resource can be parsed on its own. The first line of a
 * sequence entry carries the `- ` marker in those columns. Comment lines may sit at any column; they lose only
 * the spaces they have.
 */
export function dedent(lines: readonly string[], indent: number): string {
  const out: string[] = new Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (i === 0) {
      out[i] = line.slice(Math.min(indent, line.length));
      continue;
    }
    const col = indentOf(line);
    out[i] = col < 0 ? '' : line.slice(Math.min(col, indent));
  }
  return out.join('\n');
}

/** Adds the sequence-entry marker and indentation back to a resource rendered at column 0. */
export function indentAsEntry(text: string, seqIndent: number): string {
  const pad = ' '.repeat(seqIndent);
  const lines = text.replace(/\n$/, '').split('\n');
  return lines
    .map((line, i) => {
      if (i === 0) return `${pad}- ${line}`;
      return line === '' ? '' : `${pad}  ${line}`;
    })
    .join('\n');
}

const plainValue = /^([^\s'"#&*!|>{[%@`][^#]*?)\s*(?:\s#.*)?$/;
const quotedValue = /^(['"])(.*)\1\s*(?:#.*)?$/;

/** Reads a simple scalar value written after `key:` on the same line; undefined when it is not simple. */
function simpleScalar(rest: string): string | undefined {
  const text = rest.trim();
  if (text === '') return undefined;
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
 * Reads apiVersion, kind, metadata.name and metadata.namespace from the lines of one resource whose keys sit at
 * column `indent` (the first line may start with a sequence marker inside those columns).
 */
export function readHeader(lines: readonly string[], indent: number): Header {
  const header: Header = { simple: true };
  let inMetadata = false;
  let metadataDone = false;
  let metadataIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    // Outside metadata only top-level keys matter: skip deeper lines without measuring them.
    if (i > 0 && !inMetadata && (line.length <= indent || line.charCodeAt(indent) === 32)) continue;
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
