/**
 * The one rule every line reader uses for a scalar written on one line (after `key:`, or as a key): what the full
 * parser makes of it, with the options src/krm/yaml-options.ts sets (YAML 1.1, the `yaml` package's 1.1 schema).
 * Under 1.1 `yes`, `on`, `~`, `0x1F`, `1_000`, `12:30`, `.inf` and `2001-12-14` are not strings: a reader that
 * took them as written would make an item's checks depend on which path read it. The rule answers a string, a
 * number for plain decimal integers, or undefined when only the parser may say (other types, escapes, forms it
 * does not follow); undefined never guesses.
 */
import type { Json } from './json.js';

/** Plain scalars the 1.1 schema resolves to something other than a string (the `yaml` package's own tests). */
const notString = [
  /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON|N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/, // bool
  /^(?:~|[Nn]ull|NULL)$/, // null
  /^[-+]?(?:0b[0-1_]+|0[0-7_]+|[0-9][0-9_]*|0x[0-9a-fA-F_]+)$/, // int: binary, octal, decimal, hex
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, // float: infinity, not a number
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/, // float: exponent
  /^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)$/, // float, with a digit (a bare `.` is a string: src/krm/yaml-options.ts)
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/, // sexagesimal int and float
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:t|T|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:[ \t]*(?:Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/, // timestamp
  /^<<$/, // merge key
];

/** Decimal integers a number represents exactly, as the parser gives them. */
const decimal = /^(?:0|[1-9][0-9]{0,14})$/;

/** Whether a plain scalar starting with this character code may resolve to something other than a string. */
function mayResolve(first: number): boolean {
  // Digits, e E (an exponent alone is a float), + - . ~ < and the first letters of the bool and null words.
  if (
    (first >= 48 && first <= 57) ||
    (first | 32) === 101 ||
    first === 43 ||
    first === 45 ||
    first === 46 ||
    first === 126
  )
    return true;
  if (first === 60) return true;
  const lower = first | 32;
  return lower === 121 || lower === 110 || lower === 116 || lower === 102 || lower === 111;
}

/** What a plain scalar (already cut to its text) resolves to: a string, a decimal number, or undefined. */
function resolvePlain(text: string): string | number | undefined {
  if (!mayResolve(text.charCodeAt(0))) return text;
  for (const pattern of notString) {
    if (pattern.test(text)) return decimal.test(text) ? Number(text) : undefined;
  }
  return text;
}

/** The 1.1 schema's booleans and nulls, as the `yaml` package resolves them. */
const trueWords = /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const falseWords = /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
const nullWords = /^(?:~|[Nn]ull|NULL)$/;
/** Numbers whose value `Number` gives exactly as the parser does: no sign but `-`, no `_`, no exponent, no `-0`. */
const signedDecimal = /^(?:0|-?[1-9][0-9]{0,14})$/;
const simpleFloat = /^-?[0-9]+\.[0-9]+$/;

/** What a plain scalar resolves to when any type is welcome: booleans, null and plain numbers too. */
function resolveTyped(text: string): Json | undefined {
  if (!mayResolve(text.charCodeAt(0))) return text;
  if (trueWords.test(text)) return true;
  if (falseWords.test(text)) return false;
  if (nullWords.test(text)) return null;
  if (signedDecimal.test(text) || simpleFloat.test(text)) return Number(text);
  for (const pattern of notString) if (pattern.test(text)) return undefined;
  return text;
}

/** Characters that may not start a plain scalar; `-`, `?` and `:` may when a non-space follows. */
const indicators = '-?:,[]{}#&*!|>\'"%@`';

/** A quoted scalar without escapes, doubled quotes or line breaks: its body, or undefined. */
function quoted(text: string): string | undefined {
  const quote = text[0] as string;
  const close = text.indexOf(quote, 1);
  if (close < 0) return undefined;
  const body = text.slice(1, close);
  if (quote === '"' && body.includes('\\')) return undefined;
  // After the closing quote: nothing, or a comment after a space (a doubled quote continues the scalar).
  const after = text.slice(close + 1).trimEnd();
  if (after !== '' && !/^ +#/.test(after)) return undefined;
  return body;
}

/** A one-line scalar cut to its text: quoted (its body, final) or plain (to be resolved); undefined when unsure. */
function scalarText(text: string): { quoted: boolean; text: string } | undefined {
  let from = 0;
  while (text.charCodeAt(from) === 32) from++;
  if (from === text.length || text.includes('\t')) return undefined;
  const value = from === 0 ? text : text.slice(from);
  const first = value.charCodeAt(0);
  if (first === 34 || first === 39) {
    const body = quoted(value);
    return body === undefined ? undefined : { quoted: true, text: body };
  }
  if (indicators.includes(value[0] as string)) {
    const next = value.charCodeAt(1);
    if (!(first === 45 || first === 63 || first === 58) || Number.isNaN(next) || next === 32)
      return undefined;
  }
  const comment = value.indexOf(' #');
  const plain = (comment < 0 ? value : value.slice(0, comment)).trimEnd();
  // `a: b` would be a mapping, an error after `key:`.
  if (plain.includes(': ') || plain.endsWith(':')) return undefined;
  return { quoted: false, text: plain };
}

/**
 * The value of a scalar written on one line, `text` being what follows `key:` (or a key alone): a string or a
 * decimal number. Trailing spaces and a comment are dropped. Whether the next lines continue the scalar is the
 * caller's to check.
 */
export function readScalar(text: string): string | number | undefined {
  const cut = scalarText(text);
  if (cut === undefined) return undefined;
  return cut.quoted ? cut.text : resolvePlain(cut.text);
}

/** `readScalar` for readers that take any type: booleans, null and plain numbers as the parser gives them too. */
export function readValue(text: string): Json | undefined {
  const cut = scalarText(text);
  if (cut === undefined) return undefined;
  return cut.quoted ? cut.text : resolveTyped(cut.text);
}

/** How a one-line scalar was written: its style and its text (a quoted one's body). */
export interface Written {
  style: 'plain' | 'single' | 'double';
  text: string;
}

/** `readValue` with how the scalar was written, for readers that rebuild the parser's nodes. */
export function readWritten(text: string): { value: Json; written: Written } | undefined {
  const cut = scalarText(text);
  if (cut === undefined) return undefined;
  if (cut.quoted) {
    const style = text.trimStart().startsWith('"') ? 'double' : 'single';
    return { value: cut.text, written: { style, text: cut.text } };
  }
  const value = resolveTyped(cut.text);
  return value === undefined ? undefined : { value, written: { style: 'plain', text: cut.text } };
}

/** `readScalar` when it gives a string; undefined for any other value. */
export function readString(text: string): string | undefined {
  const value = readScalar(text);
  return typeof value === 'string' ? value : undefined;
}
