/**
 * Endpoints that serve their own TLS, and API-server callers without a mesh identity, behind a STRICT sidecar:
 * neither side's TLS gets through (domain.md section 0, steps 6 and 8). `ownTls: report` names both fixes;
 * `exclude-port` applies the first: the port leaves inbound capture on the target workload.
 */
import { identityLessCalls } from '../../src/domain/callers.js';
import { excludeInboundPorts } from '../../src/domain/pod-annotations.js';
import { type ScrapeModel, strictCaptured, type TargetPort } from '../../src/domain/scrape-path.js';
import { ownTlsFixText } from '../../src/domain/verdict.js';
import { type Item, info, type Result, type ResultTarget, warning } from '../../src/krm/index.js';
import type { SetMonitorTlsConfig } from './config.js';
import type { OwnTlsExceptions } from './own-tls-exceptions.js';

/** Excludes the targets' ports from inbound capture on their workloads; results on each workload changed. */
export function excludeTargetPorts(targets: readonly TargetPort[], why: string): Result[] {
  const byWorkload = new Map<Item, Set<number>>();
  for (const target of strictCaptured(targets)) {
    const ports = byWorkload.get(target.pods.item) ?? new Set<number>();
    ports.add(target.containerPort as number);
    byWorkload.set(target.pods.item, ports);
  }
  return [...byWorkload].flatMap(([item, ports]) => {
    const list = [...ports].sort((a, b) => a - b);
    const problems = excludeInboundPorts(item, list);
    if (problems.some((p) => p.severity === 'error')) return problems;
    return [
      ...problems,
      info(
        `added port ${list.join(', ')} to traffic.sidecar.istio.io/excludeInboundPorts (ownTls: exclude-port): ${why}`,
        {
          ref: item.ref,
          file: item.file,
        },
      ),
    ];
  });
}

/** Results for the webhooks and APIServices of the list whose backend port is captured and STRICT. */
export function identityLessCallResults(
  model: ScrapeModel,
  items: readonly Item[],
  config: SetMonitorTlsConfig,
  exceptions: OwnTlsExceptions,
): Result[] {
  const results: Result[] = [];
  for (const call of identityLessCalls(model, items)) {
    const owner = `${call.caller.kind}/${call.caller.namespace ?? ''}/${call.caller.name}`;
    exceptions.handled.add(owner);
    const strict = strictCaptured(call.targets);
    if (strict.length === 0) continue;
    const at: ResultTarget = { ref: call.caller.ref, file: call.caller.file, path: call.path };
    const service = `Service ${call.service.namespace}/${call.service.name} port ${call.service.port}`;
    const why = `the kube-apiserver calls ${call.caller.kind} ${call.caller.name} through ${service} without a mesh identity, and the port is STRICT per ${strict[0]?.mtls?.source}`;
    if (config.ownTls === 'permissive-port') {
      const refused = exceptions.ask(call.targets, owner, why);
      results.push(
        ...(refused.length > 0
          ? refused.map((r: Result) => ({ ...r, resourceRef: call.caller.ref, field: { path: call.path } }))
          : [info(`${why}: its port gets a port-level PERMISSIVE exception (ownTls: permissive-port)`, at)]),
      );
      continue;
    }
    if (config.ownTls === 'exclude-port') {
      results.push(info(`${why}: excluded from inbound capture`, at), ...excludeTargetPorts(strict, why));
      continue;
    }
    results.push(
      warning(
        `${why}, so every call fails; ${ownTlsFixText(strict)} (ownTls: exclude-port applies the first, permissive-port the second)`,
        at,
      ),
    );
  }
  return results;
}
