/**
 * A reader for the plainest blocks only: a map of scalars (labels, selectors) or a list of such maps (container
 * ports), with scalars whose YAML 1.1 meaning is beyond doubt. Anything else gets undefined and goes to the real
 * parser. This exists because creating a `yaml` Document costs more than reading three labels.
 */
import { indentOf } from './lines.js';

type Scalar = string | number;
type SimpleValue = Record<string, Scalar> | Record<string, Scalar>[];

const simpleKey = /^[A-Za-z0-9_./-]+$/;
// Plain scalars YAML 1.1 could read as something other than a string, and characters that need the real parser.
const ambiguousPlain =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+.0-9].*|.*[:#{}[\],&*!|>'"%@`].*)$/;
const decimal = /^(?:0|[1-9][0-9]{0,14})$/;

/** A scalar written after `key: `, or undefined when only the real parser may say what it is. */
function scalar(text: string): Scalar | undefined {
  let value = text;
  const comment = value.indexOf(' #');
  if (comment >= 0) value = value.slice(0, comment);
  value = value.trimEnd();
  if (value === '') return undefined;
  if (decimal.test(value)) return Number(value);
  const quote = value[0];
  if (quote === "'" || quote === '"') {
    if (value.length < 2 || value[value.length - 1] !== quote) return undefined;
    const body = value.slice(1, -1);
    return body.includes(quote) || body.includes('\\') ? undefined : body;
  }
  return ambiguousPlain.test(value) ? undefined : value;
}

function pair(line: string, col: number, into: Record<string, Scalar>): boolean {
  const colon = line.indexOf(': ', col);
  if (colon < 0) return false;
  const key = line.slice(col, colon);
  if (!simpleKey.test(key) || Object.hasOwn(into, key)) return false;
  const value = scalar(line.slice(colon + 2).trimStart());
  if (value === undefined) return false;
  into[key] = value;
  return true;
}

/**
 * The value under the key line at `start` (key at `level`), for blocks of lines [start+1, end) that hold only a
 * map of simple scalars or a list of such maps; undefined otherwise.
 */
export function readSimpleBlock(
  get: (i: number) => string,
  start: number,
  end: number,
): SimpleValue | undefined {
  let child = -1;
  let list: Record<string, Scalar>[] | undefined;
  let map: Record<string, Scalar> | undefined;
  for (let i = start + 1; i < end; i++) {
    const line = get(i);
    const col = indentOf(line);
    if (col < 0 || line.charCodeAt(col) === 35) continue;
    if (child < 0) {
      child = col;
      if (line.charCodeAt(col) === 45) list = [];
      else map = {};
    }
    if (list) {
      if (col === child) {
        if (line.charCodeAt(col) !== 45 || line.charCodeAt(col + 1) !== 32) return undefined;
        const entry: Record<string, Scalar> = {};
        list.push(entry);
        if (!pair(line, col + 2, entry)) return undefined;
      } else if (col === child + 2) {
        const entry = list[list.length - 1];
        if (!entry || !pair(line, col, entry)) return undefined;
      } else return undefined;
    } else if (map) {
      if (col !== child || !pair(line, col, map)) return undefined;
    }
  }
  return list ?? map;
}
