/**
 * `meshscrape explain [--json] [--mesh-mtls MODE] [--root-namespace NS] [FILE|DIR]`: the whole scrape path of a
 * list, per monitor endpoint and target, with a verdict (src/domain/scrape-report.ts). Reads what the other modes
 * read: stdin (a ResourceList or a YAML / JSON stream), a manifest file, or an application directory as
 * argocd-generate renders it. Exit 0 when nothing is broken, 1 when something is, 2 for a usage error or input it
 * cannot read.
 */
import type { MtlsMode } from '../domain/peer-authentication.js';
import { ScrapeModel } from '../domain/scrape-path.js';
import { scrapeReport } from '../domain/scrape-report.js';
import type { DecodedInput } from '../krm/index.js';
import { explainJson, explainTable } from './explain-output.js';
import { inputProblemLines, readInput } from './input-items.js';
import type { ModeOutput } from './krm-mode.js';
import { docsLink } from './package-manifest.js';

/** `explain --help`. */
export function explainHelp(): string {
  return `explain: the scrape path of every monitor endpoint, and whether it works.

Usage:
  meshscrape explain [--json] [--mesh-mtls STRICT|PERMISSIVE|DISABLE] [--root-namespace NS] [FILE|DIR]

Reads stdin when no FILE or DIR is given (or FILE is -): a ResourceList, a YAML stream, or JSON. A FILE is read
as one manifest file (.json: one object); a DIR as argocd-generate renders it (kubectl kustomize when it holds a
kustomization, else its .yaml/.yml/.json files). Lists (kind: List, ConfigMapList, ...) are read as their items.

For each ServiceMonitor and PodMonitor endpoint and each workload:port it reaches, one row:
  scraper(s) that load the monitor (or none in the list, and why) -> target workload:container port ->
  captured by the target's sidecar? -> mTLS mode there and the policy that set it (or the assumption) ->
  what the endpoint sends now (http, https with the cert files, https with its own TLS) ->
  verdict: works, broken (why, and the fixes), or unknown (what the list does not show).
Probes and ScrapeConfigs are listed as not analysed.

Options:
  --json                  print the report as JSON (apiVersion meshscrape.dev/v1alpha1, kind ExplainReport;
                          fields in ${docsLink('README.md')}, "explain")
  --mesh-mtls MODE        mesh-wide mode assumed where the list has no mesh-wide PeerAuthentication
                          (default STRICT)
  --root-namespace NS     Istio's root namespace (default istio-system)

Exit status: 0 when no row is broken, 1 when one is, 2 for a usage error or input that cannot be read.
`;
}

/** The parsed command line. */
interface ExplainArgs {
  json: boolean;
  meshMtls: MtlsMode;
  rootNamespace: string;
  path: string | undefined;
}

const usageError = (message: string): ModeOutput => ({
  stdout: '',
  stderr: `meshscrape explain: ${message}\nSee meshscrape explain --help.\n`,
  code: 2,
});

const meshModes: readonly string[] = ['STRICT', 'PERMISSIVE', 'DISABLE'];

/** Reads the arguments, or the usage error in them. */
function parseArgs(args: readonly string[]): ExplainArgs | { error: string } | 'help' {
  const parsed: ExplainArgs = {
    json: false,
    meshMtls: 'STRICT',
    rootNamespace: 'istio-system',
    path: undefined,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (flag === '--help' || flag === '-h') return 'help';
    if (flag === '--json') parsed.json = true;
    else if (flag === '--mesh-mtls') {
      const mode = value()?.toUpperCase();
      if (!mode || !meshModes.includes(mode))
        return { error: '--mesh-mtls takes STRICT, PERMISSIVE or DISABLE' };
      parsed.meshMtls = mode as MtlsMode;
    } else if (flag === '--root-namespace') {
      const ns = value();
      if (!ns) return { error: '--root-namespace takes a namespace name' };
      parsed.rootNamespace = ns;
    } else if (arg.startsWith('-') && arg !== '-') return { error: `unknown option ${arg}` };
    else if (parsed.path !== undefined)
      return { error: `one FILE or DIR at most (got ${parsed.path} and ${arg})` };
    else parsed.path = arg;
  }
  return parsed;
}

/** Runs explain; `readStdin` is called only when the input is stdin ('tty' when that is a terminal). */
export function runExplain(
  args: readonly string[],
  readStdin: () => DecodedInput | 'tty',
  env: NodeJS.ProcessEnv,
): ModeOutput {
  const parsed = parseArgs(args);
  if (parsed === 'help') return { stdout: explainHelp(), stderr: '', code: 0 };
  if ('error' in parsed) return usageError(parsed.error);
  const input = readInput(parsed.path, readStdin, env);
  if (input === 'tty') return usageError('give a FILE or DIR, or pipe the resources in');
  if (!input.ok) {
    return {
      stdout: '',
      stderr: `${inputProblemLines('explain', input.problems)}\nnothing was analysed\n`,
      code: 2,
    };
  }
  const options = { meshMtls: parsed.meshMtls, rootNamespace: parsed.rootNamespace };
  const model = new ScrapeModel(input.value, options);
  const rows = scrapeReport(model, input.value);
  const report = { rows, options, assumptionUsed: model.assumptionUsed, scrapers: model.scrapers.length };
  const stdout = parsed.json ? explainJson(report) : explainTable(report);
  return { stdout, stderr: '', code: rows.some((r) => r.verdict.verdict === 'broken') ? 1 : 0 };
}
