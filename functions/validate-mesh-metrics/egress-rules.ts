/**
 * ServiceEntry and DestinationRule rules (domain.md section 4): Istio's validation rejects a wildcard host with DNS
 * resolution and no endpoints (istio/istio pkg/config/validation/validation.go, quoted as it says it); TLS
 * origination toward a port the ServiceEntry declares HTTPS or TLS double-encrypts; and istioctl's analyzers
 * IST0128/IST0129 (destinationrule/ca-certificates.go), IST0134 (serviceentry/protocoladdresses.go) and IST0177
 * (conflicting protocols for one host and port).
 */
import { asObject, type Item } from '../../src/krm/index.js';
import { type Finding, finding } from './finding.js';
import { type Obj, objects, strings } from './json-values.js';

const isNetworking = (item: Item, kind: string): boolean =>
  item.kind === kind && item.group === 'networking.istio.io';

/** Istio's ValidateFQDN message for a host, or undefined when the host is an FQDN (agent/validation.go). */
function fqdnError(host: string): string | undefined {
  if (host.length > 255) return `domain name "${host}" too long (max 255)`;
  if (host.length === 0) return 'empty domain name not allowed';
  const parts = host.split('.');
  const top = parts[parts.length - 1] as string;
  if (/^[+-]?\d+$/.test(top))
    return `domain name "${host}" invalid (top level domain "${top}" cannot be all-numeric)`;
  for (const [i, label] of parts.entries()) {
    if (i === parts.length - 1 && label === '') return undefined;
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(label))
      return `domain name "${host}" invalid (label "${label}" invalid)`;
  }
  return undefined;
}

/** Wildcard (or other non-FQDN) hosts with DNS resolution and no endpoints: Istio rejects the resource. */
function dnsWildcard(item: Item, spec: Obj): Finding[] {
  const resolution = spec.resolution;
  if (resolution !== 'DNS' && resolution !== 'DNS_ROUND_ROBIN') return [];
  if (objects(spec.endpoints).length > 0) return [];
  for (const [index, host] of strings(spec.hosts).entries()) {
    const err = fqdnError(host);
    if (!err) continue;
    return [
      finding(
        'IST0106',
        item,
        `spec.hosts[${index}]`,
        `Schema validation error: hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode ${resolution}, ${err} (Istio's validation rejects the ServiceEntry)`,
        {
          fix: host.startsWith('*')
            ? 'resolution: NONE for wildcard hosts (DYNAMIC_DNS on Istio >= 1.28, HTTP and TLS ports only), or list the exact FQDNs'
            : 'an FQDN host, or endpoints',
        },
      ),
    ];
  }
  return [];
}

/** IST0134: no addresses, and a port with protocol TCP or none (istioctl's ProtocolAddressesAnalyzer). */
function addressesRequired(item: Item, spec: Obj): Finding[] {
  if (spec.addresses !== undefined) return [];
  return objects(spec.ports).flatMap((port, index) => {
    const protocol = typeof port.protocol === 'string' ? port.protocol : '';
    if (protocol !== '' && protocol.toUpperCase() !== 'TCP') return [];
    return [
      finding(
        'IST0134',
        item,
        `spec.ports[${index}]`,
        `ServiceEntry addresses are required for this protocol (port ${port.number ?? '?'}, protocol ${protocol || 'unset'}), unless the proxies auto-allocate IPs`,
      ),
    ];
  });
}

/** Whether a ServiceEntry host covers a DestinationRule host (exact, or a `*.` suffix either way). */
function hostMatches(entryHost: string, ruleHost: string): boolean {
  if (entryHost === ruleHost) return true;
  if (entryHost.startsWith('*.')) return ruleHost.endsWith(entryHost.slice(1)) || ruleHost === entryHost;
  if (ruleHost.startsWith('*.')) return entryHost.endsWith(ruleHost.slice(1));
  return false;
}

interface EntryPort {
  entry: Item;
  host: string;
  number: number;
  protocol: string;
}

function entryPorts(entries: readonly Item[]): EntryPort[] {
  return entries.flatMap((entry) => {
    const spec = asObject(entry.data.spec) ?? {};
    return strings(spec.hosts).flatMap((host) =>
      objects(spec.ports).flatMap((p) =>
        typeof p.number === 'number'
          ? [
              {
                entry,
                host,
                number: p.number,
                protocol: typeof p.protocol === 'string' ? p.protocol.toUpperCase() : '',
              },
            ]
          : [],
      ),
    );
  });
}

/** The namespaces a ServiceEntry is visible in (`*`: all), as istioctl reads `exportTo`. */
function exportScopes(entry: Item): string[] {
  const exportTo = asObject(entry.data.spec)?.exportTo;
  // A bare `.` reads as NaN under the yaml package's YAML 1.1 (kubectl reads the string "."): the same scope.
  const values = Array.isArray(exportTo)
    ? exportTo.map((v) => (typeof v === 'number' && Number.isNaN(v) ? '.' : String(v)))
    : [];
  if (values.length === 0 || values.includes('*')) return ['*'];
  return [...new Set(values.map((v) => (v === '.' ? (entry.namespace ?? '') : v)))];
}

/**
 * IST0177: one host and port with different protocols in ServiceEntries visible in one namespace, each entry
 * reported once (istioctl's serviceentry/conflictingserviceentries.go).
 */
function conflictingProtocols(ports: readonly EntryPort[]): Finding[] {
  const index = new Map<string, { scope: string; port: EntryPort }[]>();
  for (const p of ports)
    for (const scope of exportScopes(p.entry)) {
      const key = `${scope}\0${p.host}\0${p.number}`;
      index.set(key, [...(index.get(key) ?? []), { scope, port: p }]);
    }
  const reported = new Set<Item>();
  const findings: Finding[] = [];
  for (const [key, scoped] of index) {
    const [scope, host, number] = key.split('\0') as [string, string, string];
    const entries = scope === '*' ? scoped : [...scoped, ...(index.get(`*\0${host}\0${number}`) ?? [])];
    const protocols = [...new Set(entries.map((e) => e.port.protocol))].sort();
    if (protocols.length < 2) continue;
    const names = [
      ...new Set(entries.map((e) => `${e.port.entry.namespace ?? ''}/${e.port.entry.name}`)),
    ].sort();
    for (const { port } of entries) {
      if (reported.has(port.entry)) continue;
      reported.add(port.entry);
      findings.push(
        finding(
          'IST0177',
          port.entry,
          'spec.ports',
          `Multiple ServiceEntries (${names.join(', ')}) define the same host "${host}" and port ${number} with conflicting protocols (${protocols.map((p) => p || 'unset').join(', ')})`,
        ),
      );
    }
  }
  return findings;
}

const originates = (tls: Obj | undefined): string | undefined => {
  const mode = tls?.mode;
  return mode === 'SIMPLE' || mode === 'MUTUAL' ? mode : undefined;
};

/** A DestinationRule's TLS settings: the rule-wide one, and port-level ones by port number. */
function tlsSettings(
  spec: Obj,
): { tls: Obj; path: string; port: number | undefined; index: number | undefined }[] {
  const policy = asObject(spec.trafficPolicy);
  const out: { tls: Obj; path: string; port: number | undefined; index: number | undefined }[] = [];
  const tls = asObject(policy?.tls);
  if (tls) out.push({ tls, path: 'spec.trafficPolicy.tls', port: undefined, index: undefined });
  for (const [index, setting] of objects(policy?.portLevelSettings).entries()) {
    const portTls = asObject(setting.tls);
    const number = asObject(setting.port)?.number;
    if (portTls)
      out.push({
        tls: portTls,
        path: `spec.trafficPolicy.portLevelSettings[${index}].tls`,
        port: typeof number === 'number' ? number : undefined,
        index,
      });
  }
  return out;
}

/** DestinationRule findings: double TLS toward an HTTPS/TLS ServiceEntry port, and no CA to verify the server. */
function destinationRuleFindings(rule: Item, ports: readonly EntryPort[]): Finding[] {
  const spec = asObject(rule.data.spec) ?? {};
  const host = typeof spec.host === 'string' ? spec.host : '';
  const findings: Finding[] = [];
  const selector = asObject(spec.workloadSelector) !== undefined;
  for (const setting of tlsSettings(spec)) {
    const mode = originates(setting.tls);
    if (!mode) continue;
    const tlsEntries = ports.filter(
      (p) =>
        hostMatches(p.host, host) &&
        (p.protocol === 'HTTPS' || p.protocol === 'TLS') &&
        (setting.port === undefined || setting.port === p.number),
    );
    for (const p of tlsEntries.slice(0, 1))
      findings.push(
        finding(
          'MS0015',
          rule,
          `${setting.path}.mode`,
          `tls.mode ${mode} originates TLS toward ${host}${setting.port ? `:${setting.port}` : ''}, but ServiceEntry/${p.entry.namespace}/${p.entry.name} declares port ${p.number} ${p.protocol}: the application already speaks TLS there, so the connection is encrypted twice (istio.io "Double TLS")`,
        ),
      );
    const ca = setting.tls.caCertificates;
    if (
      (typeof ca !== 'string' || ca === '') &&
      !(typeof setting.tls.credentialName === 'string' && selector)
    )
      findings.push(
        setting.port === undefined
          ? finding(
              'IST0128',
              rule,
              setting.path,
              `DestinationRule ${rule.name} in namespace ${rule.namespace ?? ''} has TLS mode set to ${mode} but no caCertificates are set to validate server identity for host: ${host}`,
            )
          : finding(
              'IST0129',
              rule,
              setting.path,
              `DestinationRule ${rule.name} in namespace ${rule.namespace ?? ''} has TLS mode set to ${mode} but no caCertificates are set to validate server identity for host: ${host} at port ${setting.port}`,
            ),
      );
  }
  return findings;
}

/** Every ServiceEntry and DestinationRule finding of the list. */
export function egressFindings(items: readonly Item[]): Finding[] {
  const entries = items.filter((i) => isNetworking(i, 'ServiceEntry'));
  const findings: Finding[] = [];
  for (const entry of entries) {
    const spec = asObject(entry.data.spec) ?? {};
    findings.push(...dnsWildcard(entry, spec), ...addressesRequired(entry, spec));
  }
  const ports = entryPorts(entries);
  findings.push(...conflictingProtocols(ports));
  for (const rule of items.filter((i) => isNetworking(i, 'DestinationRule')))
    findings.push(...destinationRuleFindings(rule, ports));
  return findings;
}
