/**
 * Whether a scrape works: what a monitor endpoint sends now, held against what its target port needs (a
 * `Requirement` of the scrape-path model, domain.md section 0 steps 5-7). `explain` prints it; the validator reports
 * from it. Istio's mTLS needs https with the cert files; a PERMISSIVE, DISABLE or uncaptured port and the scraper's
 * own pods need plain http, except that an app's own TLS passes where no sidecar terminates it; an app's own TLS on
 * a captured STRICT port fails either way, and the two fixes are named.
 */
import { asObject, type Json } from '../krm/index.js';
import { principalOf } from './authorization.js';
import { podSourceOf, selfScrapePorts } from './pod-sources.js';
import type { Requirement, ScrapeModel, TargetPort } from './scrape-path.js';
import type { Scraper } from './scrapers.js';

/** What an endpoint sends: plain text, https with client cert files (Istio's, presumably), or https of its own. */
export type TlsSent = 'none' | 'cert-files' | 'own';

/** What an endpoint sends now, read from the endpoint and the scrape class it gets. */
export interface Sending {
  scheme: 'http' | 'https';
  tls: TlsSent;
  /** The client cert file, when one is sent. */
  certFile: string | undefined;
  /** Where the cert files come from: `endpoint`, or `scrape class NAME` of a scraper. */
  certsFrom: 'endpoint' | `scrape class ${string}` | undefined;
}

/** A fix a verdict names; `fix` is stable for tools (the `ownTls` values of the policy work use the first two). */
export interface Fix {
  fix:
    | 'exclude-port'
    | 'permissive-port'
    | 'set-monitor-tls'
    | 'fix-pod-monitors'
    | 'mount-istio-certs'
    | 'inbound-bypass'
    | 'allow-fs-access'
    | 'allow-scraper'
    | 'app-https';
  detail: string;
}

/**
 * Why a scrape is broken, stable for tools (the validator's codes): which step of the path (domain.md section 0)
 * it fails at. Step 5: plain text into STRICT, or Istio's cert files where no sidecar wants them; step 6: an app's
 * own TLS; step 7: a self-scrape; step 9: an AuthorizationPolicy; the scraper not mounting the cert files, or
 * refusing monitors that name them.
 */
export type BreakCause =
  | 'plain-into-strict'
  | 'certs-not-mounted'
  | 'fs-access-denied'
  | 'own-tls-captured'
  | 'tls-to-plain-port'
  | 'plain-to-app-tls'
  | 'self-scrape'
  | 'denied';

/** The outcome of one endpoint toward one target; a broken one says why (`cause`). */
export interface Verdict {
  verdict: 'works' | 'broken' | 'unknown';
  reason: string;
  fixes: Fix[];
  cause?: BreakCause;
}

/** What the verdict needs to know about the target beyond the requirement. */
export interface VerdictContext {
  monitorKind: string;
  /** Scrapers in the list that load the monitor. */
  loaders: readonly Scraper[];
  /** `Kind/namespace/name` of the target workload, when the list shows it. */
  workload: string | undefined;
  containerPort: number | undefined;
  /** The Service port declares HTTP: Istio's PERMISSIVE chains then pass no plain TLS through. */
  declaredHttp: boolean;
  /** The app serves TLS itself on the target port (a port named https*, or a TLS flag on its container). */
  appTls: boolean;
  /** The model and the target port, when the list shows the pods: the AuthorizationPolicies there decide last. */
  reach: { model: ScrapeModel; target: TargetPort } | undefined;
}

const text = (value: Json | undefined): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The cert files a scraper's scrape class hands a monitor: the one it names, else the scraper's default class. */
function classCertFile(
  scraper: Scraper,
  className: string | undefined,
): { name: string; certFile: string } | undefined {
  const classes = asObject(scraper.item.data.spec)?.scrapeClasses;
  if (!Array.isArray(classes)) return undefined;
  const chosen = classes
    .map((c) => asObject(c))
    .find((c) => (className === undefined ? c?.default === true : c?.name === className));
  const tls = asObject(chosen?.tlsConfig);
  const certFile = text(tls?.certFile);
  return certFile && text(tls?.keyFile) ? { name: String(chosen?.name), certFile } : undefined;
}

/**
 * What an endpoint sends. A ServiceMonitor endpoint may name the cert files itself; a PodMonitor's tlsConfig holds
 * only Secret references (SafeTLSConfig), so its client cert files can come only from a scrape class.
 */
export function sendingOf(
  endpoint: { [key: string]: Json },
  monitor: { kind: string; spec: { [key: string]: Json } | undefined },
  loaders: readonly Scraper[],
): Sending {
  const scheme =
    typeof endpoint.scheme === 'string' && endpoint.scheme.toLowerCase() === 'https' ? 'https' : 'http';
  const tls = asObject(endpoint.tlsConfig);
  const own = monitor.kind === 'ServiceMonitor' && text(tls?.keyFile) ? text(tls?.certFile) : undefined;
  const className = text(monitor.spec?.scrapeClass);
  const fromClass = own ? undefined : loaders.map((s) => classCertFile(s, className)).find((c) => c);
  const certFile = own ?? fromClass?.certFile;
  const certsFrom = own ? 'endpoint' : fromClass ? (`scrape class ${fromClass.name}` as const) : undefined;
  if (scheme === 'http') return { scheme, tls: 'none', certFile: undefined, certsFrom: undefined };
  return { scheme, tls: certFile ? 'cert-files' : 'own', certFile, certsFrom };
}

/** A short form for tables: `http`, `https+certs`, `https (own TLS)`. */
export function describeSending(sending: Sending): string {
  if (sending.tls === 'none') return 'http';
  return sending.tls === 'cert-files' ? 'https+certs' : 'https (own TLS)';
}

const works = (reason: string): Verdict => ({ verdict: 'works', reason, fixes: [] });
const broken = (reason: string, fixes: Fix[], cause: BreakCause): Verdict => ({
  verdict: 'broken',
  reason,
  fixes,
  cause,
});
const unknown = (reason: string): Verdict => ({ verdict: 'unknown', reason, fixes: [] });

/**
 * The function that puts the endpoint right: set-monitor-tls for ServiceMonitors, fix-pod-monitors for PodMonitors;
 * `first` is a step to run before it.
 */
function rewrite(context: VerdictContext, what: string, first = ''): Fix {
  return context.monitorKind === 'PodMonitor'
    ? {
        fix: 'fix-pod-monitors',
        detail: `run ${first}fix-pod-monitors (a PodMonitor cannot name cert files): ${what}`,
      }
    : { fix: 'set-monitor-tls', detail: `run ${first}set-monitor-tls: ${what}` };
}

/**
 * The rewrite to https with the cert files, after mount-istio-certs where a scraper that loads the monitor does not
 * mount them yet (set-monitor-tls refuses the endpoint until it does).
 */
function certRewrite(context: VerdictContext): Fix {
  const what = 'https with the cert files';
  const unmounted = context.loaders.filter((s) => !s.mountsCerts);
  if (unmounted.length === 0) return rewrite(context, what);
  const first = `mount-istio-certs on ${unmounted.map((s) => s.label).join(', ')} (no istio-certs volume mount), then `;
  return { fix: 'mount-istio-certs', detail: rewrite(context, what, first).detail };
}

/** A target of the own-TLS fixes: its workload (`Kind/namespace/name`) and container port, when known. */
export interface OwnTlsTarget {
  workload: string | undefined;
  containerPort: number | undefined;
  /** The Service port declares HTTP: a PERMISSIVE exception then passes no plain TLS through. */
  declaredHttp: boolean;
}

/**
 * The fixes for an app's own TLS on a captured STRICT port (domain.md section 0, step 6), worded once for explain
 * and set-monitor-tls: exclude the port from inbound capture, or a port-level PERMISSIVE exception unless the
 * Service declares the port HTTP; `note` then says why that one is left out.
 */
export function ownTlsFixes(targets: readonly OwnTlsTarget[]): { fixes: Fix[]; note: string | undefined } {
  const ports = [...new Set(targets.map((t) => t.containerPort).filter((p) => p !== undefined))].join(', ');
  const workloads = [...new Set(targets.map((t) => t.workload).filter((w) => w !== undefined))].join(', ');
  if (ports === '' || workloads === '')
    return {
      fixes: [
        {
          fix: 'exclude-port',
          detail:
            'exclude the port from inbound capture on the target workload (traffic.sidecar.istio.io/excludeInboundPorts)',
        },
        {
          fix: 'permissive-port',
          detail:
            'add a port-level PERMISSIVE exception for its container port unless the Service declares the port HTTP (add the target workload to the list to get the exact change)',
        },
      ],
      note: undefined,
    };
  const exclude: Fix = {
    fix: 'exclude-port',
    detail: `exclude port ${ports} from inbound capture on ${workloads} (traffic.sidecar.istio.io/excludeInboundPorts)`,
  };
  if (targets.some((t) => t.declaredHttp))
    return {
      fixes: [exclude],
      note: 'a port-level PERMISSIVE exception would not help: the Service declares the port HTTP, where Istio matches only mTLS and plain text',
    };
  return {
    fixes: [
      exclude,
      {
        fix: 'permissive-port',
        detail: `add a port-level PERMISSIVE exception for port ${ports} (Istio passes a plain TLS handshake through to the app there)`,
      },
    ],
    note: undefined,
  };
}

/** The own-TLS fixes of some target ports as one sentence, the way set-monitor-tls results name them. */
export function ownTlsFixText(targets: readonly (TargetPort & { declaredHttp?: boolean })[]): string {
  const { fixes, note } = ownTlsFixes(
    targets.map((t) => ({
      workload: `${t.pods.item.kind}/${t.pods.namespace}/${t.pods.item.name}`,
      containerPort: t.containerPort,
      declaredHttp: t.declaredHttp === true,
    })),
  );
  return `${fixes.map((f) => f.detail).join(', or ')}${note ? `; ${note}` : ''}`;
}

/** An app's own TLS on a captured STRICT port fails both ways, whatever the endpoint sends. */
function ownTlsBroken(why: string, context: VerdictContext): Verdict {
  const { fixes, note } = ownTlsFixes([context]);
  return broken(`${why}${note ? `; ${note}` : ''}`, fixes, 'own-tls-captured');
}

/**
 * A scrape that works on the wire, held against the AuthorizationPolicies at the target (domain.md section 0, step
 * 9), as set-monitor-tls checks them: `mtls` when it goes over Istio's mTLS (the scraper's principal), else plain
 * text to a captured port (no principal). A denial is `broken`, naming the policy; what cannot be told offline is
 * `unknown`.
 */
function authorized(verdict: Verdict, mtls: boolean, context: VerdictContext): Verdict {
  if (verdict.verdict !== 'works' || !context.reach) return verdict;
  const { model, target } = context.reach;
  const said = context.loaders.flatMap((scraper) => {
    const answer = model.admits(scraper, target, mtls);
    return answer && answer.allowed !== true ? [{ scraper, answer }] : [];
  });
  const first = said.find((s) => s.answer.allowed === false) ?? said[0];
  if (!first) return verdict;
  const { scraper, answer } = first;
  const where = `port ${target.containerPort} of ${target.pods.item.kind}/${target.pods.namespace}/${target.pods.item.name}`;
  const who = mtls
    ? `${scraper.label} (its mesh identity)`
    : `${scraper.label} (in plain text, with no mesh identity)`;
  if (answer.allowed === 'unknown')
    return unknown(`cannot tell offline whether ${who} may reach ${where}: ${answer.reason}`);
  const principal = principalOf(
    model.options.trustDomain ?? 'cluster.local',
    scraper.namespace,
    scraper.serviceAccount,
  );
  const detail = mtls
    ? `allow ${principal} on ${where} (an ALLOW rule from that principal to that port, scoped to that workload)`
    : `allow plain-text requests on ${where} (an ALLOW rule with no source, to that port, scoped to that workload: plain text carries no principal)`;
  return broken(
    `${who} is denied at ${where}: ${answer.reason}`,
    [{ fix: 'allow-scraper', detail }],
    'denied',
  );
}

/** Why https with the cert files still fails for these scrapers, if it does. */
function certProblems(sending: Sending, context: VerdictContext): Verdict | undefined {
  const unmounted = context.loaders.filter((s) => !s.mountsCerts);
  if (unmounted.length > 0)
    return broken(
      `https with the cert files, but ${unmounted.map((s) => s.label).join(', ')} does not mount them (no istio-certs volume mount)`,
      [{ fix: 'mount-istio-certs', detail: 'run mount-istio-certs on the scraper' }],
      'certs-not-mounted',
    );
  const denying = context.loaders.filter(
    (s) => asObject(asObject(s.item.data.spec)?.arbitraryFSAccessThroughSMs)?.deny === true,
  );
  if (sending.certsFrom === 'endpoint' && denying.length > 0)
    return broken(
      `${denying.map((s) => s.label).join(', ')} sets arbitraryFSAccessThroughSMs.deny: true and rejects a ServiceMonitor naming cert files`,
      [
        {
          fix: 'allow-fs-access',
          detail: 'set arbitraryFSAccessThroughSMs.deny: false, or hand the files over a scrape class',
        },
      ],
      'fs-access-denied',
    );
  return undefined;
}

/** A scraper's self-scrape ports as its pods declare them, e.g. `web 9090, reloader-web 8080`. */
export function selfScrapePortList(scraper: Scraper): string {
  const pods = podSourceOf(scraper.item);
  const ports = pods ? selfScrapePorts(pods) : [];
  return ports.length > 0 ? ports.map(([name, port]) => `${name} ${port}`).join(', ') : 'web, reloader-web';
}

function selfVerdict(requirement: Extract<Requirement, { send: 'self' }>, sending: Sending): Verdict {
  const { scraper } = requirement;
  if (sending.scheme === 'https')
    return broken(
      `${requirement.reason}, so https fails there`,
      [{ fix: 'set-monitor-tls', detail: 'run set-monitor-tls: the self-scrape goes back to plain http' }],
      'self-scrape',
    );
  if (requirement.meshInbound && requirement.strict && scraper.pods > 1)
    return broken(
      `${requirement.reason} (a self-scrape), but ${scraper.label} keeps inbound capture and runs ${scraper.pods} pods: the other replicas reach this one through its STRICT sidecar, which refuses plain text`,
      [
        {
          fix: 'permissive-port',
          detail: `a port-level PERMISSIVE exception for the scraper's own ports (${selfScrapePortList(scraper)}) on the pods of ${scraper.label}`,
        },
        {
          fix: 'inbound-bypass',
          detail: `take ${scraper.label}'s ports out of the mesh (mount-istio-certs inbound: bypass)`,
        },
      ],
      'self-scrape',
    );
  return works(`${requirement.reason}: plain http`);
}

/**
 * An endpoint on Istio's own metrics ports (Envoy's stats, the agent's merged metrics): the sidecar never captures
 * them and they serve plain http, as fix-pod-monitors and set-monitor-tls leave them.
 */
export function istioPortVerdict(where: string, sending: Sending, context: VerdictContext): Verdict {
  if (sending.tls === 'none')
    return works(`${where}: Istio's own metrics ports, no fix needed (never captured, plain http)`);
  return broken(
    `${describeSending(sending)} to ${where}, but Istio serves its own metrics ports in plain http`,
    [rewrite(context, 'plain http')],
    'tls-to-plain-port',
  );
}

/** The fix for plain http toward an app that serves TLS itself where no sidecar terminates it. */
function appHttps(context: VerdictContext): Fix {
  const port = context.containerPort === undefined ? 'the port' : `port ${context.containerPort}`;
  return {
    fix: 'app-https',
    detail: `set scheme: https on the endpoint for the app's own TLS (its CA in tlsConfig, or insecureSkipVerify); no sidecar terminates ${port}, so Istio's certificates play no part`,
  };
}

/** The verdict of what an endpoint sends toward a target with this requirement. */
export function verdictOf(requirement: Requirement, sending: Sending, context: VerdictContext): Verdict {
  switch (requirement.send) {
    case 'istio-mtls':
      if (context.appTls)
        return ownTlsBroken(
          `the app serves TLS itself on a port Istio captures under STRICT (${requirement.reason}): neither its TLS nor Istio's mTLS reaches the app`,
          context,
        );
      if (sending.tls === 'cert-files')
        return (
          certProblems(sending, context) ??
          authorized(works(`https with the cert files: ${requirement.reason}`), true, context)
        );
      if (sending.tls === 'own')
        return ownTlsBroken(
          `its own TLS on a port Istio captures under STRICT (${requirement.reason}): the sidecar wants Istio's mTLS, and would hand the app plain text on its TLS port`,
          context,
        );
      return broken(
        `plain http, but ${requirement.reason}: the sidecar refuses plain text`,
        [certRewrite(context)],
        'plain-into-strict',
      );
    case 'plain':
      // Under PERMISSIVE or DISABLE, plain text goes to the app as it is: an app serving TLS itself refuses it.
      if (sending.tls === 'none' && context.appTls && !context.declaredHttp)
        return broken(
          `plain http, but ${requirement.reason.replace(/: Prometheus cannot.*$/, '')} and the app serves TLS itself there: it refuses plain text`,
          [appHttps(context)],
          'plain-to-app-tls',
        );
      if (sending.tls === 'none') return authorized(works(requirement.reason), false, context);
      if (sending.tls === 'own')
        return context.declaredHttp
          ? broken(
              `its own TLS toward a port the Service declares HTTP (${requirement.reason.replace(/: Prometheus cannot.*$/, '')}): Istio matches only mTLS and plain text there`,
              ownTlsFixes([context]).fixes,
              'own-tls-captured',
            )
          : authorized(
              works(
                `its own TLS passes: ${requirement.reason.replace(/: Prometheus cannot.*$/, '')}, so Envoy hands the connection to the app as it is`,
              ),
              false,
              context,
            );
      return broken(
        `https with the cert files, but ${requirement.reason}`,
        [rewrite(context, 'plain http')],
        'tls-to-plain-port',
      );
    case 'app':
      if (sending.tls === 'none' && context.appTls)
        return broken(
          `plain http, but ${requirement.reason} and the app serves TLS itself there: it refuses plain text`,
          [appHttps(context)],
          'plain-to-app-tls',
        );
      if (sending.tls !== 'cert-files') return works(`${requirement.reason}: the app answers itself`);
      return broken(
        `https with Istio's cert files, but ${requirement.reason}: the app answers itself, and Istio's certs are for its sidecar (an app with TLS of its own would take the scheme without them)`,
        [rewrite(context, 'plain http')],
        'tls-to-plain-port',
      );
    case 'self':
      return selfVerdict(requirement, sending);
    case 'ambient':
      return unknown(`${requirement.reason}: ambient mode has no sidecar to check against`);
    case 'mixed':
      return unknown(`the targets need different things (${requirement.reason})`);
    case 'unknown':
      return unknown(requirement.reason);
  }
}
