/** KRM function results, as in the kustomize functions spec (`results[]` of a ResourceList). */

export type Severity = 'error' | 'warning' | 'info';

/** Identity of the resource a result is about. */
export interface ResourceRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** One KRM result. */
export interface Result {
  message: string;
  severity: Severity;
  resourceRef?: ResourceRef;
  field?: { path: string };
  file?: { path: string; index?: number };
}

/** Where a result points: a resource (with its file, when the orchestrator said) and a field path. */
export interface ResultTarget {
  ref?: ResourceRef | undefined;
  file?: { path: string; index?: number } | undefined;
  path?: string | undefined;
}

function make(severity: Severity, message: string, target: ResultTarget = {}): Result {
  const result: Result = { message, severity };
  if (target.ref) result.resourceRef = target.ref;
  if (target.path) result.field = { path: target.path };
  if (target.file) result.file = target.file;
  return result;
}

/** An error result. */
export const error = (message: string, target?: ResultTarget): Result => make('error', message, target);
/** A warning result. */
export const warning = (message: string, target?: ResultTarget): Result => make('warning', message, target);
/** An info result. */
export const info = (message: string, target?: ResultTarget): Result => make('info', message, target);

/** True when any result is an error, which makes the process exit 1. */
export const hasError = (results: readonly Result[]): boolean => results.some((r) => r.severity === 'error');

/** Formats a result as one line for stderr (legacy plugin mode has no results channel). */
export function formatResult(result: Result): string {
  const ref = result.resourceRef;
  const where = ref ? ` ${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}` : '';
  const field = result.field ? ` (${result.field.path})` : '';
  return `[${result.severity}]${where}${field}: ${result.message}`;
}
