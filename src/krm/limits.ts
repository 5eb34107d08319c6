/**
 * The bounds on work every mode keeps (README, "Limits"). Hostile or broken input must be refused with a message,
 * not run the machine out of time or memory: an alias bomb in one ConfigMap, 3,000-deep nesting, a link to
 * /dev/zero.
 */

/** The bounds, each overridable for one run (`MESHSCRAPE_MAX_INPUT_BYTES` and friends). */
export interface Limits {
  /** Bytes of input (stdin, or the files of an Argo CD app), checked before anything is parsed. */
  maxInputBytes: number;
  /** Bytes of one file of an Argo CD app. */
  maxFileBytes: number;
  /** The text an item's aliases may expand to, as a multiple of the item's own text (plus a 64 KiB floor). */
  aliasExpansion: number;
  /** Nesting depth of collections inside one item. */
  maxDepth: number;
}

/** Defaults: far above any real manifest set (kube-prometheus is 2 MB, 50k resources about 65 MB). */
export const defaultLimits: Limits = {
  maxInputBytes: 256 * 1024 * 1024,
  maxFileBytes: 16 * 1024 * 1024,
  aliasExpansion: 10,
  maxDepth: 200,
};

/** The environment variable that overrides each limit. */
export const environmentNames: Record<keyof Limits, string> = {
  maxInputBytes: 'MESHSCRAPE_MAX_INPUT_BYTES',
  maxFileBytes: 'MESHSCRAPE_MAX_FILE_BYTES',
  aliasExpansion: 'MESHSCRAPE_ALIAS_EXPANSION',
  maxDepth: 'MESHSCRAPE_MAX_DEPTH',
};

/** The limits with the environment's overrides; a value that is not a positive integer is a problem. */
export function limitsFrom(env: Readonly<Record<string, string | undefined>>): {
  limits: Limits;
  problems: string[];
} {
  const limits = { ...defaultLimits };
  const problems: string[] = [];
  for (const key of Object.keys(environmentNames) as (keyof Limits)[]) {
    const name = environmentNames[key];
    const text = env[name];
    if (text === undefined || text === '') continue;
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value <= 0)
      problems.push(`${name} must be a positive integer, not ${text}`);
    else limits[key] = value;
  }
  return { limits, problems };
}

let active: Limits = defaultLimits;

/** The limits of this run (set once by the entry). */
export const currentLimits = (): Limits => active;

/** Sets the limits of this run. */
export function setLimits(limits: Limits): void {
  active = limits;
}
