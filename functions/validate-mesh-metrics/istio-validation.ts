/**
 * The rules of Istio's own validation (istio/istio pkg/config/validation/validation.go, what istiod's webhook and
 * `istioctl analyze`'s schema analyzer apply) for the kinds the recipes write, that a CRD schema cannot express:
 * IST0106 for its errors, IST0133 for its warnings, quoting its messages. PeerAuthentication
 * (ValidatePeerAuthentication), AuthorizationPolicy and PeerAuthentication selectors (validateWorkloadSelector),
 * ServiceEntry (ValidateServiceEntry). The wildcard + DNS rule and portLevelMtls without selector are in
 * egress-rules.ts and peer-authentication-rules.ts.
 */
import { asObject, type Item } from '../../src/krm/index.js';
import { type Finding, finding } from './finding.js';
import { type Obj, objects, strings } from './json-values.js';

const error = (item: Item, path: string, message: string): Finding =>
  finding('IST0106', item, path, `Schema validation error: ${message}`);
const warning = (item: Item, path: string, message: string): Finding =>
  finding('IST0133', item, path, `Schema validation warning: ${message}`);

/** validateWorkloadSelector: no wildcard in labels, no empty key; a selector without labels is a warning. */
function selectorFindings(item: Item, spec: Obj, field: string): Finding[] {
  const selector = asObject(spec[field]);
  if (!selector) return [];
  const labels = asObject(selector.matchLabels) ?? {};
  const findings: Finding[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const pair = `${key}=${String(value)}`;
    if (key === '')
      findings.push(
        error(item, `spec.${field}.matchLabels`, `empty key is not supported in selector: "${pair}"`),
      );
    if (key.includes('*') || String(value).includes('*'))
      findings.push(
        error(item, `spec.${field}.matchLabels`, `wildcard is not supported in selector: "${pair}"`),
      );
  }
  if (Object.keys(labels).length === 0)
    findings.push(
      warning(
        item,
        `spec.${field}`,
        'workload selector specified without labels (the policy applies to the whole namespace, or in the root namespace to the mesh)',
      ),
    );
  return findings;
}

function peerAuthentication(item: Item, spec: Obj): Finding[] {
  const findings = selectorFindings(item, spec, 'selector');
  const ports = asObject(spec.portLevelMtls);
  if (ports && Object.keys(ports).length === 0)
    findings.push(
      error(item, 'spec.portLevelMtls', 'port level mTLS, if defined, must have at least one element'),
    );
  for (const key of Object.keys(ports ?? {}))
    if (/^\d+$/.test(key) && (Number(key) < 1 || Number(key) > 65535))
      findings.push(error(item, `spec.portLevelMtls.${key}`, 'port must be in range 1..65535'));
  return findings;
}

function serviceEntry(item: Item, spec: Obj): Finding[] {
  const findings: Finding[] = [];
  const resolution = typeof spec.resolution === 'string' ? spec.resolution : 'NONE';
  if (asObject(spec.workloadSelector) && spec.endpoints !== undefined)
    findings.push(
      error(item, 'spec', 'only one of WorkloadSelector or Endpoints is allowed in Service Entry'),
    );
  if (asObject(spec.workloadSelector) && resolution === 'NONE')
    findings.push(
      warning(
        item,
        'spec.workloadSelector',
        'workloadSelector should not be set when resolution mode is NONE',
      ),
    );
  for (const [i, host] of strings(spec.hosts).entries()) {
    if (host === '*') findings.push(error(item, `spec.hosts[${i}]`, `invalid host ${host}`));
    else if (resolution !== 'DYNAMIC_DNS' && host.includes('*') && !host.startsWith('*.'))
      findings.push(warning(item, `spec.hosts[${i}]`, `partial wildcard "${host}" not allowed`));
  }
  const addresses = strings(spec.addresses);
  if (addresses.some((a) => a.includes('/')) && resolution !== 'NONE' && resolution !== 'STATIC')
    findings.push(
      error(item, 'spec.addresses', 'CIDR addresses are allowed only for NONE/STATIC resolution types'),
    );
  const names = new Set<string>();
  const numbers = new Set<number>();
  for (const [i, port] of objects(spec.ports).entries()) {
    if (typeof port.name === 'string') {
      if (names.has(port.name))
        findings.push(
          error(item, `spec.ports[${i}].name`, `service entry port name "${port.name}" already defined`),
        );
      names.add(port.name);
    }
    if (typeof port.number === 'number') {
      if (numbers.has(port.number))
        findings.push(
          error(item, `spec.ports[${i}].number`, `service entry port ${port.number} already defined`),
        );
      numbers.add(port.number);
    }
  }
  return findings;
}

/** Every finding of Istio's own validation rules over the list. */
export function istioValidationFindings(items: readonly Item[]): Finding[] {
  return items.flatMap((item) => {
    // The kind first: reading spec parses the item, and most of a list is not Istio's.
    const spec = (): Obj => asObject(item.data.spec) ?? {};
    if (item.group === 'security.istio.io' && item.kind === 'PeerAuthentication')
      return peerAuthentication(item, spec());
    if (item.group === 'security.istio.io' && item.kind === 'AuthorizationPolicy')
      return selectorFindings(item, spec(), 'selector');
    if (item.group === 'networking.istio.io' && item.kind === 'ServiceEntry')
      return serviceEntry(item, spec());
    return [];
  });
}
