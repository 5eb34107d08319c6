/**
 * A structural-schema validator for the CRDs meshscrape checks (Istio's six kinds, prometheus-operator's), as the
 * API server validates a custom resource (apiextensions `structural schema`): `type`, `properties` (an unknown
 * field is an error, as `kubectl apply`'s strict field validation makes it), `required`, `enum`, `items`,
 * `additionalProperties`, `nullable`, `x-kubernetes-preserve-unknown-fields`, `x-kubernetes-int-or-string`,
 * `x-kubernetes-embedded-resource`, and `oneOf` / `anyOf` / `allOf` / `not` as value validations (no pruning in
 * their branches). CEL rules (`x-kubernetes-validations`), formats and bounds are not checked. `metadata` is left to
 * the API server's own ObjectMeta checks. Schemas come from src/domain/crd-schemas.gen.ts and are parsed on first use.
 */
import type { Json } from '../krm/index.js';
import { crdSchemaIndex, crdSchemaTexts } from './crd-schemas.gen.js';

/** The subset of an openAPIV3Schema the validator reads. */
interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: Json[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  nullable?: boolean;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  not?: Schema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
}

/** One schema problem: the field path (`spec.hosts[0]`) and what is wrong there. */
export interface SchemaProblem {
  path: string;
  message: string;
}

/** The Azure add-on's `azmonitoring.coreos.com` kinds have the shape of `monitoring.coreos.com`'s. */
const groupAliases: Readonly<Record<string, string>> = { 'azmonitoring.coreos.com': 'monitoring.coreos.com' };

const parsed = new Map<number, Schema>();

/** The schema of a `group/version/Kind`, parsed once; undefined when none is bundled. */
function schemaOf(group: string, version: string, kind: string): Schema | undefined {
  const id = crdSchemaIndex[`${groupAliases[group] ?? group}/${version}/${kind}`];
  if (id === undefined) return undefined;
  let schema = parsed.get(id);
  if (!schema) {
    schema = JSON.parse(crdSchemaTexts[id] as string) as Schema;
    parsed.set(id, schema);
  }
  return schema;
}

/** How many schemas have been parsed so far (they are parsed on first use only). */
export const parsedSchemaCount = (): number => parsed.size;

/** The versions bundled for a group and kind, e.g. `v1, v1beta1`. */
export function bundledVersions(group: string, kind: string): string[] {
  const prefix = `${groupAliases[group] ?? group}/`;
  return Object.keys(crdSchemaIndex)
    .filter((key) => key.startsWith(prefix) && key.endsWith(`/${kind}`))
    .map((key) => key.slice(prefix.length, -kind.length - 1));
}

const typeOf = (value: Json): string => {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
};

function typeMatches(schema: Schema, value: Json): boolean {
  const actual = typeOf(value);
  if (schema['x-kubernetes-int-or-string']) return actual === 'integer' || actual === 'string';
  if (!schema.type) return true;
  if (schema.type === 'number') return actual === 'number' || actual === 'integer';
  return actual === schema.type;
}

const join = (path: string, key: string): string =>
  /^[A-Za-z_][\w-]*$/.test(key) ? (path === '' ? key : `${path}.${key}`) : `${path}[${JSON.stringify(key)}]`;

const show = (value: Json): string => JSON.stringify(value);

/**
 * Validates a value at `path`; `branch` is true inside oneOf/anyOf/allOf/not, where a structural schema only
 * constrains values (unknown fields are the outer schema's business).
 */
function check(schema: Schema, value: Json, path: string, branch: boolean, out: SchemaProblem[]): void {
  // A null is pruned by the API server where the schema is not nullable, and accepted where it is.
  if (value === null) return;
  // The yaml package's YAML 1.1 schema reads a lone `.` (Istio's `exportTo: [.]`) as NaN, where kubectl's go-yaml
  // reads the string "."; a NaN cannot come from anything the API server would see, so it is not judged.
  if (typeof value === 'number' && Number.isNaN(value)) return;
  if (!typeMatches(schema, value)) {
    out.push({
      path,
      message: `Invalid value: ${typeOf(value)}: must be of type ${schema['x-kubernetes-int-or-string'] ? 'integer or string' : schema.type}`,
    });
    return;
  }
  if (schema.enum && !schema.enum.some((e) => e === value))
    out.push({
      path,
      message: `Unsupported value: ${show(value)}: supported values: ${schema.enum.map(show).join(', ')}`,
    });
  if (Array.isArray(value)) {
    if (schema.items)
      for (const [i, v] of value.entries()) check(schema.items, v, `${path}[${i}]`, branch, out);
  } else if (typeof value === 'object') checkObject(schema, value, path, branch, out);
  checkCombinators(schema, value, path, out);
}

function checkObject(
  schema: Schema,
  value: { [key: string]: Json },
  path: string,
  branch: boolean,
  out: SchemaProblem[],
): void {
  for (const key of schema.required ?? [])
    if (value[key] === undefined) out.push({ path: join(path, key), message: 'Required value' });
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  for (const [key, v] of Object.entries(value)) {
    const property = schema.properties?.[key];
    if (property) check(property, v, join(path, key), branch, out);
    else if (typeof schema.additionalProperties === 'object')
      check(schema.additionalProperties, v, join(path, key), branch, out);
    else if (
      !branch &&
      !schema['x-kubernetes-preserve-unknown-fields'] &&
      schema.additionalProperties !== true &&
      !(embedded && ['apiVersion', 'kind', 'metadata'].includes(key)) &&
      (schema.properties !== undefined || schema.additionalProperties === false)
    )
      out.push({ path: join(path, key), message: `unknown field "${key}"` });
  }
}

const passes = (schema: Schema, value: Json, path: string): boolean => {
  const problems: SchemaProblem[] = [];
  check(schema, value, path, true, problems);
  return problems.length === 0;
};

function checkCombinators(schema: Schema, value: Json, path: string, out: SchemaProblem[]): void {
  if (schema.allOf) for (const s of schema.allOf) check(s, value, path, true, out);
  if (schema.anyOf && !schema.anyOf.some((s) => passes(s, value, path)))
    out.push({ path, message: 'Invalid value: matches none of the schemas of anyOf' });
  if (schema.oneOf) {
    const matched = schema.oneOf.filter((s) => passes(s, value, path)).length;
    if (matched !== 1)
      out.push({
        path,
        message:
          matched === 0
            ? 'Invalid value: matches none of the schemas of oneOf'
            : 'Invalid value: matches more than one of the schemas of oneOf (set only one of the fields they name)',
      });
  }
  if (schema.not && passes(schema.not, value, path))
    out.push({ path, message: 'Invalid value: must not match the schema of not' });
}

/** The outcome of checking one resource. */
export type SchemaCheck =
  | { checked: true; problems: SchemaProblem[] }
  | { checked: false; reason: 'no-schema' | 'unknown-version'; versions: string[] };

/**
 * Checks a resource against the bundled CRD schema of its group, version and kind. `metadata`, `apiVersion`,
 * `kind` and `status` are not checked (the API server validates ObjectMeta itself; status is not applied).
 */
export function checkAgainstCrd(
  group: string,
  version: string,
  kind: string,
  resource: { [key: string]: Json },
): SchemaCheck {
  const schema = schemaOf(group, version, kind);
  if (!schema) {
    const versions = bundledVersions(group, kind);
    return versions.length > 0
      ? { checked: false, reason: 'unknown-version', versions }
      : { checked: false, reason: 'no-schema', versions };
  }
  const outside = ['metadata', 'apiVersion', 'kind', 'status'];
  const rest = Object.fromEntries(Object.entries(resource).filter(([key]) => !outside.includes(key)));
  const properties = Object.fromEntries(
    Object.entries(schema.properties ?? {}).filter(([key]) => !outside.includes(key)),
  );
  const required = (schema.required ?? []).filter((key) => !outside.includes(key));
  const problems: SchemaProblem[] = [];
  check({ ...schema, properties, required }, rest, '', false, problems);
  return { checked: true, problems };
}
