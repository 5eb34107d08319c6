/** Field paths in the form KRM results use: `spec.endpoints[0].tlsConfig`. */

/** Joins path segments; numbers become indexes, keys with dots are bracket-quoted. */
export function fieldPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      if (/^[A-Za-z_][\w-]*$/.test(key)) out += out === '' ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}
