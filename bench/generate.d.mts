// Types of what the tests use from generate.mjs (the benchmark stays plain JavaScript, run by node alone).
type Resource = Record<string, unknown>;
export function resources(count: number): { items: Resource[]; monitors: number; endpoints: number };
export function oneNamespaceTriples(count: number): {
  items: Resource[];
  monitors: number;
  endpoints: number;
};
export function toYaml(items: Resource[], config?: Resource): string;
export function toPyYaml(items: Resource[], config?: Resource): string;
export function toJson(items: Resource[], config?: Resource, indent?: number): string;
export function toStream(items: Resource[], layout: string): string;
export const layouts: Record<string, (items: Resource[], config?: Resource) => string>;
