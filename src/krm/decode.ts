/**
 * Input bytes to text. Invalid UTF-8 is never replaced silently (a ConfigMap's binary-looking value would come out
 * with U+FFFD in it, exit 0): its first byte offset is reported. A byte order mark is recognised, taken off for
 * the readers and given back to the writer.
 */

/** Decoded input: the text (U+FFFD in place of invalid bytes, for naming where they are), and what was found. */
export interface DecodedInput {
  text: string;
  bom: boolean;
  /** True when every line of the input ended in CR LF: `text` has LF only, and the writer puts the CRs back. */
  crlf?: boolean;
  /** Where the first invalid UTF-8 sequence starts: byte offset in the input, and character offset in `text`. */
  invalid?: { byte: number; char: number };
}

/** The modes take decoded stdin, or plain text (tests, and callers that read a file): both as DecodedInput. */
export function asDecoded(input: string | DecodedInput): DecodedInput {
  return typeof input === 'string' ? { text: input, bom: false } : input;
}

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Decodes input bytes as UTF-8. */
export function decodeInput(bytes: Uint8Array): DecodedInput {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return withLineEnds(strict.decode(body), bom);
  } catch {
    const byte = firstInvalid(body);
    const text = lenient.decode(body);
    const char = lenient.decode(body.subarray(0, byte)).length;
    return { text, bom, invalid: { byte: byte + (bom ? 3 : 0), char } };
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalid(bytes: Uint8Array): number {
  for (let at = 0; at < bytes.length; ) {
    const length = sequenceLength(bytes, at);
    if (length === 0) return at;
    at += length;
  }
  return bytes.length;
}

const isContinuation = (b: number | undefined): boolean => b !== undefined && (b & 0xc0) === 0x80;

/** Length of the valid sequence at `at`, 0 when there is none (overlong forms and surrogates included). */
function sequenceLength(bytes: Uint8Array, at: number): number {
  const b = bytes[at] as number;
  if (b < 0x80) return 1;
  const next = bytes[at + 1];
  if (b >= 0xc2 && b <= 0xdf) return isContinuation(next) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    if (!isContinuation(next) || !isContinuation(bytes[at + 2])) return 0;
    if (b === 0xe0 && (next as number) < 0xa0) return 0;
    if (b === 0xed && (next as number) >= 0xa0) return 0;
    return 3;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    if (!isContinuation(next) || !isContinuation(bytes[at + 2]) || !isContinuation(bytes[at + 3])) return 0;
    if (b === 0xf0 && (next as number) < 0x90) return 0;
    if (b === 0xf4 && (next as number) >= 0x90) return 0;
    return 4;
  }
  return 0;
}

/**
 * Text whose every line ends in CR LF (written on Windows, or by a tool that keeps them) is read as LF text and
 * written back with CR LF: the line readers stay on their fast path and untouched resources keep their bytes.
 * Mixed or lone CRs are left as they are (the full parser reads them).
 */
function withLineEnds(text: string, bom: boolean): DecodedInput {
  if (!text.includes('\r')) return { text, bom };
  const lf = text.replaceAll('\r\n', '\n');
  const crlfCount = text.length - lf.length;
  if (lf.includes('\r') || crlfCount !== countLineFeeds(lf)) return { text, bom };
  return { text: lf, bom, crlf: true };
}

function countLineFeeds(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
