/** "A value, or the problems that kept it from being made": the one shape every reader and check returns. */
import type { Result } from './results.js';

/**
 * A value made (`ok`), with the problems found on the way that did not stop it (warnings, say), or no value and
 * the problems that stopped it. Problems are KRM results unless `P` says otherwise (a plain reason, for one a
 * caller words into its own result). `value` is absent, not just unset, when `ok` is false.
 */
export type Outcome<T, P = Result> =
  | { ok: true; value: T; problems: P[] }
  | { ok: false; value?: undefined; problems: P[] };

/** The outcome holding `value` (with the problems that did not stop it). */
export function success<T, P = Result>(value: T, problems: P[] = []): Outcome<T, P> {
  return { ok: true, value, problems };
}

/** The outcome of a value that could not be made, and why. */
export function failure<P = Result>(problems: P[]): Outcome<never, P> {
  return { ok: false, problems };
}
