/**
 * Egress host names and the Kubernetes names made from them. A ServiceEntry host is a DNS name the sidecar
 * matches against the request's Host / SNI: lowercase DNS-1123 labels, a wildcard only as a leading `*.`
 * (istio/api networking/v1alpha3/service_entry.proto `hosts`). A URL, a `host:port` or an IP address written there
 * is a mistake Istio either rejects or turns into a host nothing ever matches, so the config refuses it naming the
 * field. Names of generated resources are Kubernetes object names: DNS-1123 subdomains (lowercase alphanumerics,
 * `-`, `.`; at most 253 characters).
 */
import { isIP } from 'node:net';

const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `host` is not a ServiceEntry host name, or undefined when it is one (`*` alone is egress.ts's to refuse). */
export function hostProblem(host: string): string | undefined {
  const shown = JSON.stringify(host);
  if (host === '*') return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host))
    return `${shown} is a URL: write the host name only (${host.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/[/:].*$/, '')}); the port goes in port, TLS in tls`;
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0 || /^\d+(\.\d+){3}$/.test(host))
    return `${shown} is an IP address, not a host name: a ServiceEntry reaches an address through addresses / endpoints (a CIDR), not hosts with DNS resolution; write the ServiceEntry by hand`;
  if (/:\d+$/.test(host))
    return `${shown} carries a port: write the host name only (${host.replace(/:\d+$/, '')}) and the port in port`;
  if (host !== host.toLowerCase())
    return `${shown} has uppercase letters: host names are lowercase (${host.toLowerCase()})`;
  const name = host.startsWith('*.') ? host.slice(2) : host;
  if (name.includes('*')) return `${shown}: a wildcard is allowed only as a leading "*." (*.example.com)`;
  if (name.length > 253 || !name.split('.').every((l) => l.length <= 63 && label.test(l)))
    return `${shown} is not a DNS name (lowercase letters, digits and "-" in dot-separated labels of at most 63, a leading "*." for a wildcard)`;
  return undefined;
}

/** Why `name` is not a Kubernetes object name (DNS-1123 subdomain), or undefined when it is one. */
export function objectNameProblem(name: string): string | undefined {
  if (name.length <= 253 && name.split('.').every((l) => l.length <= 63 && label.test(l))) return undefined;
  return `${JSON.stringify(name)} is not a Kubernetes name (lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters)`;
}

/** A Kubernetes name from a host: `*.` becomes `wildcard.`, dots become `-` (a valid host gives a valid name). */
export function nameFromHost(host: string): string {
  const name = host
    .toLowerCase()
    .replace(/^\*\./, 'wildcard.')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '');
  return name.slice(0, 253).replace(/-+$/, '') || 'egress';
}
