/**
 * How much argocd-generate reads from a plain application directory. The repo-server sidecar holds the whole
 * rendering in memory and Argo CD gives it a fixed time: a runaway file (a huge generated dump, a link to a device)
 * should fail the sync with its name, not the sidecar. The operator sets the caps on the sidecar container (an
 * Application's plugin env reaches the plugin as ARGOCD_ENV_*, so an application cannot lift them).
 */
import { error, type Result } from '../krm/results.js';

/** Byte caps: each file, and all files together. */
export interface InputLimits {
  perFile: number;
  total: number;
}

const mebibyte = 1024 * 1024;

/** 16 MiB a file (the largest CRDs are a few MiB), 256 MiB in all. */
export const defaultLimits: InputLimits = { perFile: 16 * mebibyte, total: 256 * mebibyte };

/** The variables that override the defaults, by the cap each one sets. */
export const limitVariables = {
  perFile: 'MESHSCRAPE_MAX_FILE_BYTES',
  total: 'MESHSCRAPE_MAX_INPUT_BYTES',
} as const;

/** The caps for this run: the defaults, or what the environment sets (a positive number of bytes). */
export function inputLimits(env: NodeJS.ProcessEnv): { limits: InputLimits } | { problem: Result } {
  const limits = { ...defaultLimits };
  for (const key of ['perFile', 'total'] as const) {
    const name = limitVariables[key];
    const text = env[name]?.trim();
    if (text === undefined || text === '') continue;
    if (!/^[1-9][0-9]*$/.test(text))
      return { problem: error(`${name} must be a positive number of bytes; got ${JSON.stringify(text)}`) };
    limits[key] = Number(text);
  }
  return { limits };
}
