/**
 * `meshscrape validate [options] [PATH|-]`: the validate-mesh-metrics analysis of a list as a table, JSON or SARIF.
 * Reads what `explain` reads (stdin, a manifest file, an application directory). Exit 0 when nothing fails the run,
 * 1 when a finding does (an error, or a warning with --fail-on warning; a document or file that cannot be read is an
 * MS0029 error and the rest is still validated), 2 for a usage error or input that cannot be read at all.
 */
import { statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { analyze } from '../../functions/validate-mesh-metrics/analyze.js';
import { validateMeshMetricsSchema } from '../../functions/validate-mesh-metrics/config.js';
import { type Finding, finding } from '../../functions/validate-mesh-metrics/finding.js';
import type { DecodedInput, Item, Result } from '../krm/index.js';
import { inputProblemLines, readInput } from './input-items.js';
import type { ModeOutput } from './krm-mode.js';
import { docsLink } from './package-manifest.js';
import { lineOf, sourceLines } from './source-lines.js';
import { validateJson, validateSarif, validateTable } from './validate-output.js';

/** `validate --help`. */
export function validateHelp(): string {
  return `validate: what breaks Prometheus scraping and the monitoring stack under Istio mTLS, offline.

Usage:
  meshscrape validate [--format table|json|sarif] [--fail-on error|warning] [--assume-strict NS,...|all]
                      [--mesh-mtls STRICT|PERMISSIVE|DISABLE] [--root-namespace NS] [--trust-domain TD]
                      [--skip CODE,...] [PATH|-]

The validate-mesh-metrics function as a command: the same findings, each with a code (istioctl's IST codes where
istioctl has the same rule, MS codes of meshscrape's own), the resource, the field and the fix; nothing is
changed. Reads stdin when no PATH is given (or PATH is -): a ResourceList, a YAML stream, or JSON; a file as one
manifest file; a directory as argocd-generate renders it (kubectl kustomize when it holds a kustomization).
Every code is listed in ${docsLink('functions/validate-mesh-metrics/README.md')}.

Options:
  --format FORMAT         table (default, for people), json (kind ValidationReport), or sarif (SARIF 2.1.0,
                          for code scanning: rules are the codes, locations the resources' files)
  --fail-on LEVEL         exit 1 on errors (error, default) or on warnings too (warning)
  --assume-strict NS,...  what-if: evaluate as if these namespaces (or all) were switched to STRICT and report
                          what would break then
  --mesh-mtls MODE        mesh-wide mode assumed where the list has no mesh-wide PeerAuthentication (STRICT)
  --root-namespace NS     Istio's root namespace (istio-system)
  --trust-domain TD       Istio's trust domain, for principals (cluster.local)
  --skip CODE,...         codes not to report

Exit status: 0 when nothing fails the run, 1 when a finding does (a document or file that cannot be read is an
MS0029 error finding, and the rest is validated), 2 for a usage error or input that cannot be read at all.
`;
}

const usageError = (message: string): ModeOutput => ({
  stdout: '',
  stderr: `meshscrape validate: ${message}\nSee meshscrape validate --help.\n`,
  code: 2,
});

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** The finding for an input problem: its file (else the path read) and the line its message names. */
function unreadableFinding(problem: Result, path: string | undefined): Finding {
  const line = /\(line (\d+)\)/.exec(problem.message)?.[1];
  // A directory's files are named relative to it; SARIF locations, as the resources', relative to the working one.
  const file = problem.file?.path;
  const uri =
    file === undefined
      ? path
      : path && file !== path && !isAbsolute(file) && isDirectory(path)
        ? join(path, file)
        : file;
  return {
    ...finding('MS0029', undefined, undefined, problem.message),
    at: uri ? { uri, line: line === undefined ? undefined : Number(line) } : undefined,
  };
}

const list = (value: string): string[] =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');

/** The parsed command line: the function's config, the format and the path. */
interface ValidateArgs {
  format: 'table' | 'json' | 'sarif';
  config: Record<string, unknown>;
  path: string | undefined;
}

const flags: Readonly<Record<string, (value: string, config: Record<string, unknown>) => void>> = {
  '--fail-on': (v, c) => {
    c.failOn = v;
  },
  '--assume-strict': (v, c) => {
    c.assumeStrict = v === 'all' ? 'all' : list(v);
  },
  '--mesh-mtls': (v, c) => {
    c.meshMtls = v.toUpperCase();
  },
  '--root-namespace': (v, c) => {
    c.rootNamespace = v;
  },
  '--trust-domain': (v, c) => {
    c.trustDomain = v;
  },
  '--skip': (v, c) => {
    c.skip = list(v);
  },
};

function parseArgs(args: readonly string[]): ValidateArgs | { error: string } | 'help' {
  const parsed: ValidateArgs = { format: 'table', config: {}, path: undefined };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    if (flag === '--help' || flag === '-h') return 'help';
    const known = flag === '--format' || (flag !== undefined && flag in flags);
    if (known) {
      const value = inline ?? args[++i];
      if (value === undefined || value === '') return { error: `${flag} takes a value` };
      if (flag === '--format') {
        if (value !== 'table' && value !== 'json' && value !== 'sarif')
          return { error: '--format takes table, json or sarif' };
        parsed.format = value;
      } else flags[flag as string]?.(value, parsed.config);
    } else if (arg.startsWith('-') && arg !== '-') return { error: `unknown option ${arg}` };
    else if (parsed.path !== undefined) return { error: `one PATH at most (got ${parsed.path} and ${arg})` };
    else parsed.path = arg;
  }
  return parsed;
}

const optionOf: Readonly<Record<string, string>> = {
  failOn: '--fail-on',
  assumeStrict: '--assume-strict',
  meshMtls: '--mesh-mtls',
  rootNamespace: '--root-namespace',
  trustDomain: '--trust-domain',
  skip: '--skip',
};

/** Runs validate; `readStdin` is called only when the input is stdin ('tty' when that is a terminal). */
export function runValidate(
  args: readonly string[],
  readStdin: () => DecodedInput | 'tty',
  env: NodeJS.ProcessEnv,
  version: string,
): ModeOutput {
  const parsed = parseArgs(args);
  if (parsed === 'help') return { stdout: validateHelp(), stderr: '', code: 0 };
  if ('error' in parsed) return usageError(parsed.error);
  const config = validateMeshMetricsSchema.safeParse(parsed.config);
  if (!config.success) {
    const issue = config.error.issues[0];
    const option = optionOf[String(issue?.path[0])] ?? String(issue?.path[0]);
    return usageError(`${option}: ${issue?.message ?? 'invalid value'}`);
  }
  const input = readInput(parsed.path, readStdin, env, true);
  if (input === 'tty') return usageError('give a PATH, or pipe the resources in');
  if (!input.ok) {
    return {
      stdout: '',
      stderr: `${inputProblemLines('validate', input.problems)}\nnothing was validated\n`,
      code: 2,
    };
  }
  const analysis = analyze(input.value, config.data);
  // A document that could not be read is a finding of its own: the rest is validated and every output stays whole.
  const unreadable = input.problems.map((p) => unreadableFinding(p, parsed.path));
  analysis.findings = [...unreadable, ...analysis.findings];
  const notes = analysis.meshMtlsUsed
    ? [
        `the list has no mesh-wide PeerAuthentication: meshMtls ${config.data.meshMtls} was assumed (--mesh-mtls)`,
      ]
    : [];
  const sources = parsed.format === 'table' ? undefined : sourceLines(parsed.path);
  const report = {
    findings: analysis.findings,
    locate: (item: Item) => (sources ? lineOf(sources.lines, item) : undefined),
    fallback: sources?.fallback,
    notes,
    version,
  };
  const stdout =
    parsed.format === 'json'
      ? validateJson(report)
      : parsed.format === 'sarif'
        ? validateSarif(report)
        : validateTable(report);
  const failing = analysis.findings.some(
    (f) => f.severity === 'error' || (config.data.failOn === 'warning' && f.severity === 'warning'),
  );
  return { stdout, stderr: '', code: failing ? 1 : 0 };
}
