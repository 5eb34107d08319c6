/** JSON with object keys sorted: equal data gives equal text, whatever key order a tool wrote it in. */

/** A copy of the value with every object's keys in sorted order. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, sortKeys(v)]),
  );
}

/** JSON text of the value with sorted keys. */
export const canonicalJson = (value: unknown): string => JSON.stringify(sortKeys(value));
