/**
 * A reader for the plainest blocks only: a map of scalars (labels, selectors) or a list of such maps (container
 * ports), with scalars whose meaning the plain-scalar rule is sure of. Anything else gets undefined and goes to
 * the real parser. This exists because creating a `yaml` Document costs more than reading three labels.
 */
import { indentOf } from './lines.js';
import { readScalar } from './plain-scalar.js';

type Scalar = string | number;
type SimpleValue = Record<string, Scalar> | Record<string, Scalar>[];

const simpleKey = /^[A-Za-z0-9_./-]+$/;

function pair(line: string, col: number, into: Record<string, Scalar>): boolean {
  const colon = line.indexOf(': ', col);
  if (colon < 0) return false;
  const key = line.slice(col, colon);
  // A key the parser would read as another type (`yes`, `1`) is not the string it looks like.
  if (!simpleKey.test(key) || readScalar(key) !== key || Object.hasOwn(into, key)) return false;
  const value = readScalar(line.slice(colon + 2));
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
