/** `--help` text: usage, and each function's config reference generated from its schema. */
import * as z from 'zod';
import { configApiVersion, type KrmFunction } from '../krm/index.js';
import { docsLink, packageManifest } from './package-manifest.js';
import { functions } from './registry.js';

interface JsonSchemaProperty {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  items?: JsonSchemaProperty;
  anyOf?: JsonSchemaProperty[];
  properties?: Record<string, JsonSchemaProperty>;
  additionalProperties?: JsonSchemaProperty | boolean;
}

function typeOf(property: JsonSchemaProperty): string {
  if (property.enum) return property.enum.map((v) => JSON.stringify(v)).join('|');
  if (property.type === 'array') return `list of ${property.items ? typeOf(property.items) : 'any'}`;
  if (property.anyOf) return property.anyOf.map(typeOf).join('|');
  if (property.type === 'object' && !property.properties && typeof property.additionalProperties === 'object')
    return `map of ${typeOf(property.additionalProperties)}`;
  return property.type ?? 'any';
}

/** The fields of the object a property holds: its own, its list items', or an anyOf branch's. */
function nestedFields(property: JsonSchemaProperty): Record<string, JsonSchemaProperty> | undefined {
  if (property.properties) return property.properties;
  if (property.items) return nestedFields(property.items);
  for (const branch of property.anyOf ?? []) {
    const fields = nestedFields(branch);
    if (fields) return fields;
  }
  return undefined;
}

/** Nested objects deeper than this print as `object` only: no config goes deeper, and a cycle would not end. */
const maxFieldDepth = 4;

function fieldLines(properties: Record<string, JsonSchemaProperty>, depth: number, lines: string[]): void {
  const indent = '  '.repeat(2 * depth + 1);
  for (const [name, property] of Object.entries(properties)) {
    const fallback = property.default === undefined ? '' : ` (default ${JSON.stringify(property.default)})`;
    lines.push(`${indent}${name}: ${typeOf(property)}${fallback}`);
    if (property.description) lines.push(`${indent}    ${property.description}`);
    const nested = nestedFields(property);
    if (nested && depth < maxFieldDepth) fieldLines(nested, depth + 1, lines);
  }
}

/** The JSON Schema of a function's typed config resource: apiVersion, kind, metadata, and its own fields. */
export function configJsonSchema(fn: KrmFunction): Record<string, unknown> {
  const fields = z.toJSONSchema(fn.schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
  } & Record<string, unknown>;
  return {
    ...fields,
    title: fn.kind,
    description: fn.summary,
    properties: {
      apiVersion: { const: configApiVersion },
      kind: { const: fn.kind },
      metadata: { type: 'object' },
      ...fields.properties,
    },
    required: ['apiVersion', 'kind'],
  };
}

/** One line per config field (name, type, default) and its description; an object's fields below it, indented. */
export function configReference(fn: KrmFunction): string {
  const schema = configJsonSchema(fn) as { properties?: Record<string, JsonSchemaProperty> };
  const { apiVersion: _a, kind: _k, metadata: _m, ...fields } = schema.properties ?? {};
  const lines: string[] = [];
  fieldLines(fields, 0, lines);
  return lines.join('\n');
}

/** Help for one function, as `kpt fn doc` shows it. */
export function functionHelp(fn: KrmFunction): string {
  const { version } = packageManifest();
  return `${fn.name}: ${fn.summary}

Usage:
  meshscrape ${fn.name} < resource-list.yaml       # KRM function (kpt fn eval --exec, kustomize)
  kpt fn eval DIR --exec "meshscrape ${fn.name}" -- key=value   # config as a ConfigMap
  (meshscrape on PATH: in a clone, npm pack && npm install -g meshscrape-${version}.tgz; or run the image
  localhost/meshscrape-${fn.name}:v${version} with kpt fn eval --image; see ${docsLink('README.md#install-meshscrape-on-path')})
  config kind: ${configApiVersion} ${fn.kind}, or a ConfigMap with data: strings
  (scalars as text, lists comma-separated, maps and objects as JSON)

Config fields (top level of the ${fn.kind} resource, or keys of ConfigMap data):
${configReference(fn)}

Docs: ${docsLink(`functions/${fn.name}/README.md`)}
`;
}

/** The top-level usage text. */
export function usage(): string {
  const list = functions.map((f) => `  ${f.name.padEnd(20)} ${f.kind.padEnd(18)} ${f.summary}`).join('\n');
  return `meshscrape: KRM functions for Prometheus scraping under Istio STRICT mTLS.

Usage:
  meshscrape < resource-list.yaml              run the function named by functionConfig.kind (${configApiVersion})
  meshscrape FUNCTION < resource-list.yaml     run FUNCTION; config may also be a ConfigMap, or absent (defaults)
  meshscrape FUNCTION --help                   that function's config reference
  meshscrape kustomize-plugin FUNCTION CONFIG  legacy kustomize exec plugin: YAML stream on stdin and stdout
  meshscrape install-kustomize-plugins DIR     write legacy plugin wrappers under DIR (KUSTOMIZE_PLUGIN_HOME)
  meshscrape post-render PIPELINE...           Helm post-renderer: run the configs in the files on a YAML stream
  meshscrape render [DIR] [--preset NAME] [--results FILE] [--kustomize-build-options "..."]
                                               render a kustomization, Kptfile package or manifest folder and
                                               run its pipeline: manifests on stdout, what changed on stderr
                                               (render --help for the presets)
  meshscrape argocd-generate                   Argo CD plugin: render the current directory with the app's
                                               parameters (preset, functions, kustomizeBuildOptions, maps)
  meshscrape explain [--json] [FILE|DIR]       the scrape path of every monitor endpoint and whether it works
                                               (exit 1 when one is broken; explain --help for its options)
  meshscrape validate [--format table|json|sarif] [PATH|-]
                                               what breaks scraping and the stack under Istio mTLS, with codes
                                               and fixes (exit 1 on an error; validate --help for its options)
  meshscrape schema FUNCTION                   the config's JSON Schema
  meshscrape --version

Exit status: 0, or 1 when any result has severity error (the resources are still written); explain: 0, or 1
when a scrape is broken; validate: 0, or 1 when a finding fails the run; 2 for usage errors.

Functions:
${list}
`;
}
