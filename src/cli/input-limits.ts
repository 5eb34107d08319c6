/**
 * How much argocd-generate reads from a plain application directory. The repo-server sidecar holds the whole
 * rendering in memory and Argo CD gives it a fixed time: a runaway file (a huge generated dump, a link to a device)
 * should fail the sync with its name, not the sidecar. The operator sets the caps on the sidecar container (an
 * Application's plugin env reaches the plugin as ARGOCD_ENV_*, so an application cannot lift them).
 */
import { currentLimits, environmentNames } from '../krm/index.js';

/** Byte caps: each file, and all files together. */
export interface InputLimits {
  perFile: number;
  total: number;
}

/** The variables that override the caps, by the cap each one sets. */
export const limitVariables = {
  perFile: environmentNames.maxFileBytes,
  total: environmentNames.maxInputBytes,
} as const;

/** The caps for this run (the entry read the environment into the run's limits, refusing bad values). */
export function inputLimits(): InputLimits {
  const limits = currentLimits();
  return { perFile: limits.maxFileBytes, total: limits.maxInputBytes };
}
