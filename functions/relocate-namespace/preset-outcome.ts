/**
 * The verdict of a preset on the move (`preset`), once the plan is known. ama-metrics: docs/ama-metrics-relocation.md
 * (research at Azure/prometheus-collector 39583fd5). By default the collector moved away from the kept target
 * allocator is an error (outcome (b)); `amaMetrics.allocatorTraffic: plain-http` applies the one configuration
 * that works, with a warning saying what it costs (outcome (a)).
 */
import { isMap, isScalar, isSeq, Scalar, type YAMLMap } from 'yaml';
import { asObject, type Item, toNode } from '../../src/krm/index.js';
import type { Edits, Path } from './edits.js';
import { containersOf, podSpecPath } from './pod-specs.js';

const collectorName = 'ama-metrics';
const allocatorName = 'ama-metrics-operator-targets';
const ksmName = 'ama-metrics-ksm';
const clientSecret = 'ama-metrics-operator-targets-client-tls-secret';
const clientCertsPath = '/etc/operator-targets/client/certs';
const httpsEnv = 'OPERATOR_TARGETS_HTTPS_ENABLED';

/** The preset's verdict on the move. */
export function presetOutcome(edits: Edits): void {
  const { plan } = edits;
  if (plan.config.preset !== 'ama-metrics') return;
  const deployment = (name: string) => plan.items.find((i) => i.kind === 'Deployment' && i.name === name);
  const collector = deployment(collectorName);
  if (!collector || plan.namespaceAfter(collector) !== plan.to) return;
  const allocatorHost = `${allocatorName}.${plan.from}.svc.cluster.local`;
  if (plan.config.amaMetrics.allocatorTraffic !== 'plain-http') {
    edits.fail(
      collector,
      ['metadata', 'namespace'],
      `the ama-metrics collector in ${plan.to} cannot work with the target allocator kept in ${plan.from}: it mounts Secret ${clientSecret}, which the config reader creates at run time in ${plan.from} only (a volume cannot cross namespaces); it reaches the allocator at https://${allocatorHost}:443, compiled into its image, with a server certificate for that name only, so the allocator cannot move with it; and the allocator watches collector pods only in OTELCOL_NAMESPACE ${plan.from}, so collectors in ${plan.to} get no targets. amaMetrics.allocatorTraffic: plain-http sets the one configuration that works, at a cost (README) (preset ama-metrics)`,
    );
    leftOnAllocator(edits, deployment(allocatorName), deployment(ksmName));
    return;
  }
  plainHttp(edits, collector, deployment(allocatorName), deployment(ksmName));
}

/** Outcome (a): collector and kept allocator talk plain HTTP across namespaces (docs rows 1 to 6). */
function plainHttp(edits: Edits, collector: Item, allocator: Item | undefined, ksm: Item | undefined): void {
  const { plan } = edits;
  const reason = 'amaMetrics.allocatorTraffic: plain-http (preset ama-metrics)';
  edits.warn(
    collector,
    ['metadata', 'namespace'],
    `amaMetrics.allocatorTraffic: plain-http: the collector in ${plan.to} reaches the target allocator kept in ${plan.from} over plain HTTP (http://${allocatorName}.${plan.from}.svc.cluster.local, port 80 -> 8080): the allocator has no sidecar in ${plan.from}, so scrape configs and target lists cross the pod network unencrypted (a DestinationRule forcing ISTIO_MUTUAL on that host breaks it); over HTTP the allocator masks secrets in the scrape configs it serves, so ServiceMonitors and PodMonitors using basicAuth, bearer-token / authorization or OAuth2 credentials send <secret> and fail; this layout is not supported upstream (its chart refuses the token adapter outside kube-system), and ConfigMaps ama-metrics-settings-configmap / ama-metrics-prometheus-config (and Secret ama-metrics-mtls-secret) must exist in both namespaces`,
  );
  // Rows 1 and 2: the collector turns https off and no longer mounts the client certificate.
  const collectorContainer = container(collector, 'prometheus-collector');
  if (collectorContainer) setEnv(edits, collector, collectorContainer, httpsEnv, 'false', reason);
  removeClientSecret(edits, collector, reason);
  if (!allocator) {
    edits.warn(
      collector,
      undefined,
      `Deployment ${allocatorName} is not in the list: set OTELCOL_NAMESPACE: ${plan.to} on its targetallocator container, or the collectors get no targets (${reason})`,
    );
    return;
  }
  // Row 3: the allocator watches collector pods where they are now.
  const targetAllocator = container(allocator, 'targetallocator');
  if (targetAllocator) setEnv(edits, allocator, targetAllocator, 'OTELCOL_NAMESPACE', plan.to, reason);
  // Rows 4 and 5: the config reader makes no certificates nobody can use, and names KSM where it ends.
  const configReader = container(allocator, 'config-reader');
  if (configReader) {
    setEnv(edits, allocator, configReader, httpsEnv, 'false', reason);
    const ksmNamespace = ksm ? plan.namespaceAfter(ksm) : undefined;
    if (ksmNamespace)
      setEnv(
        edits,
        allocator,
        configReader,
        'POD_NAMESPACE',
        ksmNamespace,
        `${reason}: the config reader writes the kube-state-metrics target as ${ksmName}.$POD_NAMESPACE.svc.cluster.local:8080, and Deployment ${ksmName} is in ${ksmNamespace}`,
      );
  }
  // The Service's plain port.
  const service = plan.items.find((i) => i.kind === 'Service' && i.name === allocatorName);
  const ports = service ? asObject(service.data.spec)?.ports : undefined;
  if (service && Array.isArray(ports) && !ports.some((p) => asObject(p)?.port === 80))
    edits.warn(
      service,
      ['spec', 'ports'],
      `has no port 80: with https off the collector reaches the allocator at http://${allocatorName}.${plan.from}.svc.cluster.local (port 80 -> 8080, as the chart always renders it) (${reason})`,
    );
}

/**
 * Outcome (b): the kept allocator's literal namespaces are left as they are (the move cannot work), each with a
 * result at its field saying what it now gets wrong.
 */
function leftOnAllocator(edits: Edits, allocator: Item | undefined, ksm: Item | undefined): void {
  const { plan } = edits;
  if (!allocator) return;
  const at = (containerName: string, name: string): Path | undefined => {
    const c = containersOf(allocator).find((x) => x.data.name === containerName);
    const env = Array.isArray(c?.data.env) ? c.data.env : [];
    const index = env.findIndex((e) => asObject(e)?.name === name && asObject(e)?.value === plan.from);
    return c && index >= 0 ? [...c.path, 'env', index, 'value'] : undefined;
  };
  const otelcol = at('targetallocator', 'OTELCOL_NAMESPACE');
  if (otelcol)
    edits.warn(
      allocator,
      otelcol,
      `left: the kept target allocator watches collector pods in ${plan.from} only, and the collectors moved to ${plan.to}; with https (the error on Deployment ${plan.to}/${collectorName}) no value here makes the move work (amaMetrics.allocatorTraffic: plain-http sets it to ${plan.to})`,
    );
  const podNamespace = at('config-reader', 'POD_NAMESPACE');
  const ksmNamespace = ksm ? plan.namespaceAfter(ksm) : undefined;
  if (podNamespace)
    edits.warn(
      allocator,
      podNamespace,
      ksmNamespace && ksmNamespace !== plan.from
        ? `left: the config reader writes the kube-state-metrics target as ${ksmName}.${plan.from}.svc.cluster.local:8080, but Deployment ${ksmName} moved to ${ksmNamespace} (amaMetrics.allocatorTraffic: plain-http sets it to ${ksmNamespace})`
        : `left: the config reader stays in ${plan.from} with the allocator`,
    );
}

/** The container of a workload with that name: its path into the resource. */
function container(item: Item, name: string): Path | undefined {
  return containersOf(item).find((c) => c.data.name === name)?.path;
}

/** Sets an env var of a container to a literal value: the entry's value if present, else a new entry. */
function setEnv(edits: Edits, item: Item, at: Path, name: string, value: string, reason: string): void {
  const env = item.node.getIn([...at, 'env'], true) as unknown;
  if (isSeq(env)) {
    for (const [index, entry] of env.items.entries()) {
      if (!isMap(entry) || entry.get('name') !== name) continue;
      if (entry.has('valueFrom')) {
        edits.warn(
          item,
          [...at, 'env', index],
          `${name} is set from valueFrom: set it to ${value} (${reason})`,
        );
        return;
      }
      const current = entry.get('value', true) as unknown;
      if (isScalar(current) && String(current.value) === value) return;
      // A quoted value keeps its quotes; a new one is quoted, as a string env value must be.
      if (isScalar(current)) {
        const before = String(current.value);
        current.value = value;
        if (current.type === 'PLAIN' && value === 'false') current.type = 'QUOTE_DOUBLE';
        edits.info(item, [...at, 'env', index, 'value'], `${before} -> ${value}: ${reason}`);
      } else {
        entry.set('value', quoted(value));
        edits.info(item, [...at, 'env', index, 'value'], `set to ${value}: ${reason}`);
      }
      edits.changed.add(item);
      return;
    }
    env.items.push(toNode({ name, value }) as YAMLMap);
    const added = env.items[env.items.length - 1] as YAMLMap;
    added.set('value', quoted(value));
    edits.info(item, [...at, 'env', env.items.length - 1], `added ${name}: ${value}: ${reason}`);
    edits.changed.add(item);
    return;
  }
  if (env !== undefined && env !== null) return;
  item.node.setIn([...at, 'env'], toNode([{ name, value }]));
  const created = item.node.getIn([...at, 'env', 0], true) as YAMLMap;
  created.set('value', quoted(value));
  edits.info(item, [...at, 'env', 0], `added ${name}: ${value}: ${reason}`);
  edits.changed.add(item);
}

function quoted(value: string): Scalar {
  const scalar = new Scalar(value);
  scalar.type = 'QUOTE_DOUBLE';
  return scalar;
}

/** Removes the client TLS Secret volume and every mount of it (the chart renders neither with https off). */
function removeClientSecret(edits: Edits, item: Item, reason: string): void {
  const spec = podSpecPath(item);
  if (!spec) return;
  const volumes = item.node.getIn([...spec, 'volumes'], true) as unknown;
  if (!isSeq(volumes)) return;
  const names = new Set<string>();
  volumes.items = volumes.items.filter((volume) => {
    const secret = isMap(volume) ? volume.getIn(['secret', 'secretName']) : undefined;
    if (secret !== clientSecret || !isMap(volume)) return true;
    names.add(String(volume.get('name')));
    return false;
  });
  if (names.size === 0) return;
  for (const name of names)
    edits.info(item, [...spec, 'volumes'], `removed volume ${name} (Secret ${clientSecret}): ${reason}`);
  if (volumes.items.length === 0) item.node.deleteIn([...spec, 'volumes']);
  for (const c of containersOf(item)) {
    const mounts = item.node.getIn([...c.path, 'volumeMounts'], true) as unknown;
    if (!isSeq(mounts)) continue;
    const before = mounts.items.length;
    mounts.items = mounts.items.filter((m) => !(isMap(m) && names.has(String(m.get('name')))));
    if (mounts.items.length === before) continue;
    edits.info(
      item,
      [...c.path, 'volumeMounts'],
      `removed the mount of ${[...names].join(', ')} at ${clientCertsPath}: ${reason}`,
    );
    if (mounts.items.length === 0) item.node.deleteIn([...c.path, 'volumeMounts']);
  }
  edits.changed.add(item);
}
