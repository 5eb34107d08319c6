/** `--help` text: usage, and each function's config reference generated from its schema. */
import * as z from 'zod';
import { configApiVersion, type KrmFunction } from '../krm/index.js';
import { functions } from './registry.js';

interface JsonSchemaProperty {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  items?: JsonSchemaProperty;
  anyOf?: JsonSchemaProperty[];
}

function typeOf(property: JsonSchemaProperty): string {
  if (property.enum) return property.enum.map((v) => JSON.stringify(v)).join('|');
  if (property.type === 'array') return `list of ${property.items ? typeOf(property.items) : 'any'}`;
  if (property.anyOf) return property.anyOf.map(typeOf).join('|');
  return property.type ?? 'any';
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

/** One line per config field: name, type, default, description. */
export function configReference(fn: KrmFunction): string {
  const schema = configJsonSchema(fn) as { properties?: Record<string, JsonSchemaProperty> };
  const lines: string[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (name === 'apiVersion' || name === 'kind' || name === 'metadata') continue;
    const fallback = property.default === undefined ? '' : ` (default ${JSON.stringify(property.default)})`;
    lines.push(`  ${name}: ${typeOf(property)}${fallback}`);
    if (property.description) lines.push(`      ${property.description}`);
  }
  return lines.join('\n');
}

/** Help for one function, as `kpt fn doc` shows it. */
export function functionHelp(fn: KrmFunction): string {
  return `${fn.name}: ${fn.summary}

Usage:
  meshscrape ${fn.name} < resource-list.yaml       # KRM function (kpt fn eval --exec, kustomize)
  kpt fn eval DIR --exec "meshscrape ${fn.name}" -- key=value   # config as a ConfigMap
  config kind: ${configApiVersion} ${fn.kind}, or a ConfigMap with data: strings
  (scalars as text, lists comma-separated, maps and objects as JSON)

Config fields (top level of the ${fn.kind} resource, or keys of ConfigMap data):
${configReference(fn)}

Docs: functions/${fn.name}/README.md
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
  meshscrape argocd-generate                   Argo CD plugin: render the current directory and run its pipeline
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
