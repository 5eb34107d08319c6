/** The contract every meshscrape function implements: a pure core from items and config to items and results. */
import type * as z from 'zod';
import type { Item } from './item.js';
import type { Result } from './results.js';

/** What a function run gives back: the full item list (resources may be added or removed) and its results. */
export interface FunctionOutput {
  items: Item[];
  results: Result[];
}

/** A KRM function: its names, config schema and pure core. */
export interface KrmFunction<S extends z.ZodObject<z.ZodRawShape> = z.ZodObject<z.ZodRawShape>> {
  /** Command-line name, verb-noun (`set-monitor-tls`). */
  name: string;
  /** Config kind (`SetMonitorTLS`), apiVersion `meshscrape.dev/v1alpha1`. */
  kind: string;
  /** One sentence for `--help`. */
  summary: string;
  /** Kinds of the resources it may generate (the conservation guard refuses any other new resource). */
  generates?: readonly string[];
  /** Config fields; unknown fields are errors. */
  schema: S;
  /** The pure core. It never throws for bad resources: it reports results. */
  run(items: Item[], config: z.output<S>): FunctionOutput;
}

/** Helps TypeScript keep each function's config type. */
export function defineFunction<S extends z.ZodObject<z.ZodRawShape>>(fn: KrmFunction<S>): KrmFunction<S> {
  return fn;
}
