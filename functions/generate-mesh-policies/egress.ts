/**
 * External endpoints (domain.md section 4): a ServiceEntry per egress entry, `location: MESH_EXTERNAL`, exported to
 * its own namespace only, by name: the same as `.` for Istio (validation.go `validateExportTo` reads `.` as the
 * resource's namespace), but a bare `.` is a float by the YAML 1.1 regex, which a later reader may take as NaN. Resolution `NONE` for wildcard hosts (Istio rejects a wildcard host with `DNS` and no
 * endpoints: "hosts must be FQDN ... for resolution mode DNS", pkg/config/validation/validation.go), `DNS` for exact
 * names, `DYNAMIC_DNS` only when the config says Istio >= 1.28 and every host is a wildcard on a TLS or HTTP port
 * (validation.go: "host must be wildcarded", "only HTTP, TLS, GRPC, and HTTP2 protocols"). An app that speaks TLS
 * itself gets `protocol: TLS` and no DestinationRule; a DestinationRule `tls.mode: SIMPLE` (TLS origination) only
 * for an app that sends plain HTTP, and asking it for a host the app reaches over https (double TLS) is an error.
 */
import type { Wanted } from '../../src/domain/reconcile-generated.js';
import type { ScrapeModel } from '../../src/domain/scrape-path.js';
import { asObject, error, Item, type Result } from '../../src/krm/index.js';
import type { EgressConfig, GenerateMeshPoliciesConfig } from './config.js';
import { metadataFor } from './generated.js';
import { nameFromHost } from './hosts.js';

const presets: Readonly<Record<string, { name: string; hosts: string[]; why: string }>> = {
  'azure-monitor': {
    name: 'azure-monitor',
    hosts: ['*.monitor.azure.com', '*.ingest.monitor.azure.com'],
    why: 'the ama-metrics collector sends to Azure Monitor over https itself',
  },
};

const isWildcard = (host: string): boolean => host.startsWith('*');

/** Istio >= 1.28, from `istioVersion`. */
export function dynamicDnsSupported(version: string | undefined): boolean {
  if (!version) return false;
  const [major, minor] = version.split('.').map(Number) as [number, number];
  return major > 1 || (major === 1 && minor >= 28);
}

/** Whether a container of the namespace names `https://<host>` (the app reaches it over TLS itself). */
function calledOverHttps(model: ScrapeModel, namespace: string, host: string): string | undefined {
  for (const pods of model.inventory.podSourcesIn(namespace)) {
    const text = JSON.stringify(asObject(pods.item.data.spec) ?? {});
    if (text.includes(`https://${host}`)) return pods.item.describe();
  }
  return undefined;
}

/** The resources of one egress entry, or the errors that refuse it. */
function egressEntry(
  entry: EgressConfig,
  index: number,
  config: GenerateMeshPoliciesConfig,
  model: ScrapeModel,
): { wanted: Wanted[]; results: Result[] } {
  const path = `egress[${index}]`;
  const preset = entry.preset ? presets[entry.preset] : undefined;
  const hosts = [...new Set([...(preset?.hosts ?? []), ...entry.hosts])];
  const fail = (message: string) => ({
    wanted: [],
    results: [error(`${path}: ${message}; nothing generated for it`, { path })],
  });
  if (hosts.length === 0) return fail('no hosts and no preset');
  if (hosts.includes('*')) return fail("the host '*' is invalid in a ServiceEntry (Istio rejects it)");
  const port = entry.port ?? (entry.tls === 'originate' ? 80 : 443);
  if (entry.tls === 'originate') {
    const https = hosts
      .map((h) => [h, calledOverHttps(model, entry.namespace, h)] as const)
      .find(([, w]) => w);
    if (preset || port === 443 || https)
      return fail(
        `tls: originate asks the sidecar to originate TLS, but ${preset ? `${preset.why} (preset ${entry.preset})` : https ? `${https[1]} calls https://${https[0]} itself` : 'port 443 is the https port the app calls with its own TLS'}: that is double TLS (istio.io "Double TLS"), which fails; use tls: app (protocol TLS, no DestinationRule), or let the app send plain http to port 80`,
      );
    if (hosts.some(isWildcard))
      return fail(
        'tls: originate needs exact host names: the sidecar sends the host as SNI and checks the server certificate against it, which a wildcard host gives neither',
      );
  }
  const name = entry.name ?? preset?.name ?? nameFromHost(hosts[0] as string);
  const targetPort = entry.targetPort ?? 443;
  const protocol = entry.tls === 'app' ? 'TLS' : 'HTTP';
  const wildcard = hosts.some(isWildcard);
  const resolution = !wildcard
    ? 'DNS'
    : dynamicDnsSupported(config.istioVersion) && hosts.every(isWildcard)
      ? 'DYNAMIC_DNS'
      : 'NONE';
  const madeFor = [`config/${path}`];
  const serviceEntry = Item.create({
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: metadataFor('ServiceEntry', name, entry.namespace, madeFor, config.outputDir),
    spec: {
      hosts,
      exportTo: [entry.namespace],
      location: 'MESH_EXTERNAL',
      resolution,
      ports: [
        {
          number: port,
          name: `${protocol.toLowerCase()}-${port}`,
          protocol,
          ...(entry.tls === 'originate' ? { targetPort } : {}),
        },
      ],
    },
  });
  const resolutionWhy =
    resolution === 'DNS'
      ? 'DNS: every host is an exact name'
      : resolution === 'DYNAMIC_DNS'
        ? `DYNAMIC_DNS: wildcard hosts, Istio ${config.istioVersion} resolves them per request`
        : `NONE: wildcard hosts, which Istio rejects with DNS resolution${
            !dynamicDnsSupported(config.istioVersion)
              ? ' (DYNAMIC_DNS needs istioVersion >= 1.28 in the config)'
              : ' (DYNAMIC_DNS needs every host wildcarded; list the exact names in an entry of their own)'
          }`;
  const wanted: Wanted[] = [
    {
      item: serviceEntry,
      path: 'spec.resolution',
      reason: `ServiceEntry MESH_EXTERNAL for ${hosts.join(', ')} port ${port} ${protocol}${entry.tls === 'app' ? ' (the app speaks TLS itself: no DestinationRule)' : ''}, resolution ${resolutionWhy}, exported to namespace ${entry.namespace} only`,
    },
  ];
  if (entry.tls === 'originate')
    for (const host of hosts)
      wanted.push({
        item: Item.create({
          apiVersion: 'networking.istio.io/v1',
          kind: 'DestinationRule',
          metadata: metadataFor(
            'DestinationRule',
            hosts.length === 1 ? name : nameFromHost(`${name}-${nameFromHost(host)}`),
            entry.namespace,
            madeFor,
            config.outputDir,
          ),
          spec: {
            host,
            exportTo: [entry.namespace],
            trafficPolicy: {
              portLevelSettings: [{ port: { number: port }, tls: { mode: 'SIMPLE', sni: host } }],
            },
          },
        }),
        path: 'spec.trafficPolicy.portLevelSettings',
        reason: `TLS origination (SIMPLE) for ${host}: the app sends plain HTTP to port ${port}, the sidecar sends TLS to ${targetPort}`,
      });
  return { wanted, results: [] };
}

/** The ServiceEntries and DestinationRules of the config's egress entries. */
export function egressResources(
  config: GenerateMeshPoliciesConfig,
  model: ScrapeModel,
): { wanted: Wanted[]; results: Result[] } {
  const parts = config.egress.map((entry, index) => egressEntry(entry, index, config, model));
  return { wanted: parts.flatMap((p) => p.wanted), results: parts.flatMap((p) => p.results) };
}
