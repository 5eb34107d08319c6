/** Kubernetes label selector semantics: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist). */
import * as z from 'zod';

/** Labels of an object. */
export type Labels = Readonly<Record<string, string>>;

/** A metav1.LabelSelector. */
export const labelSelectorSchema = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(
      z.strictObject({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

/** A label selector as found in resources. */
export type LabelSelector = z.infer<typeof labelSelectorSchema>;

/** A monitor's required `spec.selector` (`{}` selects all): undefined when missing or invalid. */
export function monitorSelector(spec: unknown): LabelSelector | undefined {
  const value =
    typeof spec === 'object' && spec !== null ? (spec as { selector?: unknown }).selector : undefined;
  return value === undefined || value === null ? undefined : toLabelSelector(value);
}

/** Reads a selector from resource data; undefined when the data is not a valid selector. */
export function toLabelSelector(value: unknown): LabelSelector | undefined {
  const parsed = labelSelectorSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : undefined;
}

/** True when the labels satisfy the selector. An empty selector matches everything, as in Kubernetes. */
export function matchesSelector(selector: LabelSelector, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expression of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, expression.key);
    const value = labels[expression.key];
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
        if (!has || !values.includes(value as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(value as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** A Service-style selector (a plain map) matches when every pair is present. An empty map selects nothing. */
export function matchesServiceSelector(selector: Labels, labels: Labels): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

/** Reads a string map (labels, annotations, a Service selector) from resource data, keeping only strings. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string') out[key] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[key] = String(v);
  }
  return out;
}

/**
 * The labels a selector asks for by equality: `matchLabels` and `In` expressions with one value. `rest` holds the
 * expressions that are not equalities, which a plain label map (a Service selector) cannot express.
 */
export function equalityLabels(selector: LabelSelector): {
  labels: Record<string, string>;
  rest: NonNullable<LabelSelector['matchExpressions']>;
} {
  const labels: Record<string, string> = { ...(selector.matchLabels ?? {}) };
  const rest: NonNullable<LabelSelector['matchExpressions']> = [];
  for (const expression of selector.matchExpressions ?? []) {
    const [only, ...more] = expression.values ?? [];
    const conflicting =
      only !== undefined && labels[expression.key] !== undefined && labels[expression.key] !== only;
    if (expression.operator === 'In' && only !== undefined && more.length === 0 && !conflicting)
      labels[expression.key] = only;
    else rest.push(expression);
  }
  return { labels, rest };
}

/** The Service selector (a plain label map) that selects exactly what a label selector does, if there is one. */
export function asServiceSelector(selector: LabelSelector): Record<string, string> | undefined {
  const { labels, rest } = equalityLabels(selector);
  return rest.length === 0 && Object.keys(labels).length > 0 ? labels : undefined;
}
