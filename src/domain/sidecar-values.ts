/**
 * Config fields for the values Istio's sidecar annotations take (CIDR lists, port lists, Kubernetes quantities),
 * validated at config time so a typo becomes an error result naming the field, not a pod the injector rejects.
 */
import { isIPv4, isIPv6 } from 'node:net';
import * as z from 'zod';

/** True for an IPv4 or IPv6 CIDR (`10.0.0.0/8`, `fd00::/8`); the prefix length must fit the address family. */
export function isCidr(text: string): boolean {
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(text);
  if (!match) return false;
  const [, address = '', prefix = ''] = match;
  const bits = Number(prefix);
  if (isIPv4(address)) return bits <= 32;
  if (isIPv6(address)) return bits <= 128;
  return false;
}

/** A CIDR list field; `allowAll` admits Istio's `*` (the include lists). */
export function cidrListField(allowAll: boolean) {
  const entry = z.string().refine((v) => isCidr(v) || (allowAll && v === '*'), {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a CIDR (address/prefix, e.g. 169.254.169.254/32)${allowAll ? ' or "*"' : ''}`,
  });
  return z.array(entry);
}

/** A container port number, 1-65535; a string of digits (a ConfigMap value) counts as that number. */
export const portField = z.union(
  [
    z.int().min(1, 'a port is 1-65535').max(65535, 'a port is 1-65535'),
    z
      .string()
      .regex(/^\d+$/, 'a port is a number 1-65535')
      .transform(Number)
      .pipe(z.int().min(1, 'a port is 1-65535').max(65535, 'a port is 1-65535')),
  ],
  { error: (issue) => `${JSON.stringify(issue.input)} is not a port (a number 1-65535)` },
);

/** A list of container ports. */
export const portListField = z.array(portField);

/** A Kubernetes resource quantity without sign (`100m`, `0.5`, `128Mi`, `1e3`), as the API server parses it. */
export const quantityPattern = /^(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** A quantity field (`proxyCPU: 100m`); a YAML number is read as its text. */
export const quantityField = z
  .union([z.string(), z.number().nonnegative()])
  .transform(String)
  .pipe(z.string().regex(quantityPattern, 'must be a Kubernetes quantity, e.g. 100m, 0.5, 128Mi or 1Gi'));
