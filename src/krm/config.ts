/**
 * Function config: a typed kind (`meshscrape.dev/v1alpha1`, fields at the top level, as kpt's typed configs) or a
 * ConfigMap whose `data:` strings are decoded by the schema. Every problem becomes an error result naming the field.
 */
import * as z from 'zod';
import { fieldPath } from './field-path.js';
import { asObject, type Resource } from './item.js';
import { failure, type Outcome, success } from './outcome.js';
import { error, type Result } from './results.js';

/** The API version of every meshscrape config kind. */
export const configApiVersion = 'meshscrape.dev/v1alpha1';

/** Annotation prefixes that orchestrators add to config files (kpt's `--fn-config`, kustomize). */
const orchestratorPrefixes = [
  'config.kubernetes.io/',
  'internal.config.kubernetes.io/',
  'config.k8s.io/',
  'kustomize.config.k8s.io/',
  'kpt.dev/',
];

type ObjectSchema = z.ZodObject<z.ZodRawShape>;

const metadataSchema = z.strictObject({
  name: z.string().optional(),
  namespace: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

function issuesToResults(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[],
  ref: Resource,
): Result[] {
  const results: Result[] = [];
  const resourceRef = refOf(ref);
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = fieldPath([...prefix, ...issue.path, key]);
        results.push(error(`unknown config field ${path}`, { ref: resourceRef, path }));
      }
      continue;
    }
    const path = fieldPath([...prefix, ...issue.path]);
    results.push(error(`config field ${path || '(root)'}: ${issue.message}`, { ref: resourceRef, path }));
  }
  return results;
}

function refOf(config: Resource): Result['resourceRef'] {
  const metadata = asObject(config.metadata);
  return {
    apiVersion: typeof config.apiVersion === 'string' ? config.apiVersion : '',
    kind: typeof config.kind === 'string' ? config.kind : '',
    name: typeof metadata?.name === 'string' ? metadata.name : '',
  };
}

/** Validates a typed config of `kind`: apiVersion, kind, metadata, then the function's own fields. */
function readTyped<S extends ObjectSchema>(schema: S, config: Resource): Outcome<z.output<S>> {
  const { apiVersion: _a, kind: _k, metadata, ...fields } = config;
  const problems: Result[] = [];
  const meta = metadataSchema.safeParse(metadata ?? {});
  if (!meta.success) problems.push(...issuesToResults(meta.error.issues, ['metadata'], config));
  for (const key of Object.keys(meta.success ? (meta.data.annotations ?? {}) : {})) {
    if (!orchestratorPrefixes.some((p) => key.startsWith(p))) {
      const path = fieldPath(['metadata', 'annotations', key]);
      problems.push(error(`unknown config annotation ${key}`, { ref: refOf(config), path }));
    }
  }
  const parsed = schema.safeParse(fields);
  if (!parsed.success) problems.push(...issuesToResults(parsed.error.issues, [], config));
  return problems.length > 0 || !parsed.success ? failure(problems) : success(parsed.data);
}

/** The schema under optional/default/nullable wrappers, to know how a `data:` string should be read. */
function baseType(schema: z.ZodType): string {
  let def = schema._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType };
  while (def.innerType || (def.type === 'pipe' && def.in)) {
    const next = (def.innerType ?? def.in) as z.ZodType;
    def = next._zod.def as typeof def;
  }
  return def.type;
}

/** Reads a `data:` string by the field's type: scalars as text, lists comma-separated, objects as JSON. */
export function decodeDataString(schema: z.ZodType, text: string): Outcome<unknown, string> {
  const type = baseType(schema);
  switch (type) {
    case 'boolean':
      if (text === 'true' || text === 'false') return success(text === 'true');
      return failure([`expected true or false, got "${text}"`]);
    case 'number':
    case 'int': {
      const n = Number(text);
      return text.trim() !== '' && Number.isFinite(n)
        ? success(n)
        : failure([`expected a number, got "${text}"`]);
    }
    case 'array': {
      if (text.trim().startsWith('[')) return parseJson(text);
      const parts = text.trim() === '' ? [] : text.split(',').map((p) => p.trim());
      return success(parts.map((p) => (/^-?\d+$/.test(p) ? Number(p) : p)));
    }
    case 'object':
    case 'record':
      return parseJson(text);
    case 'union':
      return /^\s*[[{]/.test(text) ? parseJson(text) : success(text);
    default:
      return success(text);
  }
}

function parseJson(text: string): Outcome<unknown, string> {
  try {
    return success(JSON.parse(text) as unknown);
  } catch (e) {
    return failure([`expected JSON: ${(e as Error).message}`]);
  }
}

/** Decodes a ConfigMap's `data:` into the function's fields, then validates them. */
function readConfigMap<S extends ObjectSchema>(schema: S, config: Resource): Outcome<z.output<S>> {
  const problems: Result[] = [];
  const data = config.data ?? {};
  const dataObject = asObject(data);
  if (!dataObject) {
    return failure([error('ConfigMap data must be a map of strings', { path: 'data' })]);
  }
  const fields: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(dataObject)) {
    const path = fieldPath(['data', key]);
    const field = schema.shape[key] as z.ZodType | undefined;
    if (!field) {
      problems.push(error(`unknown config field ${path}`, { ref: refOf(config), path }));
      continue;
    }
    const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
    const decoded = decodeDataString(field, text);
    if (decoded.ok) fields[key] = decoded.value;
    for (const why of decoded.problems)
      problems.push(error(`config field ${path}: ${why}`, { ref: refOf(config), path }));
  }
  const parsed = schema.safeParse(fields);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [top, ...rest] = issue.path;
      const path = fieldPath(['data', ...(top === undefined ? [] : [top])]);
      const inner = rest.length > 0 ? ` (${fieldPath(rest)})` : '';
      problems.push(error(`config field ${path}${inner}: ${issue.message}`, { ref: refOf(config), path }));
    }
  }
  return problems.length > 0 || !parsed.success ? failure(problems) : success(parsed.data);
}

/** What a function declares about its config. */
export interface ConfigSpec<S extends ObjectSchema> {
  kind: string;
  schema: S;
}

/**
 * Reads the functionConfig for a function. `allowConfigMap` is true when the function was named on the command
 * line; then a ConfigMap or no config at all (defaults) is accepted too.
 */
export function readConfig<S extends ObjectSchema>(
  spec: ConfigSpec<S>,
  functionConfig: Resource | undefined,
  allowConfigMap: boolean,
): Outcome<z.output<S>> {
  if (!functionConfig || Object.keys(functionConfig).length === 0) {
    if (!allowConfigMap) {
      return failure([error(`no functionConfig: expected kind ${spec.kind}`)]);
    }
    const parsed = spec.schema.safeParse({});
    return parsed.success ? success(parsed.data) : failure(issuesToResults(parsed.error.issues, [], {}));
  }
  const { apiVersion, kind } = functionConfig;
  if (kind === 'ConfigMap' && apiVersion === 'v1') {
    if (allowConfigMap) return readConfigMap(spec.schema, functionConfig);
    return failure([
      error(`a ConfigMap config needs the function named: meshscrape <function>`, { path: 'kind' }),
    ]);
  }
  const problems: Result[] = [];
  if (kind !== spec.kind) {
    problems.push(
      error(`functionConfig kind ${String(kind)} is not ${spec.kind}`, {
        ref: refOf(functionConfig),
        path: 'kind',
      }),
    );
  }
  if (apiVersion !== configApiVersion) {
    problems.push(
      error(`functionConfig apiVersion ${String(apiVersion)} is not ${configApiVersion}`, {
        ref: refOf(functionConfig),
        path: 'apiVersion',
      }),
    );
  }
  if (problems.length > 0) return failure(problems);
  return readTyped(spec.schema, functionConfig);
}
