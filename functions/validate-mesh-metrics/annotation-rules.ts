/**
 * istioctl's annotation analyzer (istio/istio pkg/config/analysis/analyzers/annotations/annotations.go) over
 * Istio's annotation catalog (istio/api annotation/annotations.yaml, bundled in src/domain/istio-annotations.gen.ts):
 * an `*istio.io/` annotation Istio does not know (IST0108), one on a kind it does not apply to (IST0107), a value
 * the injector rejects (IST0125, pkg/kube/inject/validate.go), a deprecated one (IST0135). istioctl reads Pods,
 * Deployments, Services and Namespaces; this also reads every workload's pod template (as a Pod, where the
 * annotations take effect) and the pod metadata of the operator's Prometheus, PrometheusAgent and Alertmanager.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { istioAnnotations } from '../../src/domain/istio-annotations.gen.js';
import { isAlertmanager, isPrometheusServer, isWorkload } from '../../src/domain/kinds.js';
import { stringMap } from '../../src/domain/label-selector.js';
import { podAnnotationsPath, podMetadataPath } from '../../src/domain/pod-annotations.js';
import { quantityPattern } from '../../src/domain/sidecar-values.js';
import { fieldPath, type Item } from '../../src/krm/index.js';
import { type Finding, finding } from './finding.js';

/** Set by istiod or controllers, never by hand: istioctl never reports them (analyzers/maturity AlwaysIgnored). */
const alwaysIgnored = new Set([
  'sidecar.istio.io/status',
  'gateway.istio.io/controller-version',
  'istio.io/rev',
]);

const isIstioAnnotation = (key: string): boolean =>
  key === 'kubernetes.io/ingress.class' || (key.split('/')[0] ?? '').endsWith('istio.io');

const port = (text: string): boolean => /^\d+$/.test(text.trim()) && Number(text.trim()) <= 65535;
const portList = (name: string) => (value: string) => {
  const bad = value.trim() === '' ? undefined : value.split(',').find((p) => !port(p));
  return bad === undefined ? undefined : `${name} invalid: failed parsing port '${bad}'`;
};
const cidr = (text: string): boolean => {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!m) return false;
  const bits = Number(m[2]);
  return (isIPv4(m[1] as string) && bits <= 32) || (isIPv6(m[1] as string) && bits <= 128);
};
const cidrList = (name: string, allowAll: boolean) => (value: string) => {
  if (allowAll && value === '*') return undefined;
  const bad = value === '' ? undefined : value.split(',').find((c) => !cidr(c));
  return bad === undefined ? undefined : `${name} invalid: failed parsing cidr '${bad}'`;
};
const uint32 = (value: string): string | undefined =>
  /^\d+$/.test(value) && Number(value) <= 4294967295
    ? undefined
    : `"${value}" is not an unsigned 32-bit integer`;
const bool = (value: string): string | undefined =>
  /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(value) ? undefined : `"${value}" is not a boolean`;
const quantity = (value: string): string | undefined =>
  quantityPattern.test(value) ? undefined : `"${value}" is not a Kubernetes quantity`;

/** The injector's value checks (pkg/kube/inject/validate.go AnnotationValidation), but ProxyConfig's. */
const validations: Readonly<Record<string, (value: string) => string | undefined>> = {
  'sidecar.istio.io/interceptionMode': (v) =>
    ['REDIRECT', 'TPROXY', 'NONE'].includes(v)
      ? undefined
      : `interceptionMode invalid, use REDIRECT,TPROXY,NONE: ${v}`,
  'status.sidecar.istio.io/port': (v) => (port(v) ? undefined : `failed parsing port '${v}'`),
  'readiness.status.sidecar.istio.io/initialDelaySeconds': uint32,
  'readiness.status.sidecar.istio.io/periodSeconds': uint32,
  'readiness.status.sidecar.istio.io/failureThreshold': uint32,
  'traffic.sidecar.istio.io/includeOutboundIPRanges': cidrList('includeIPRanges', true),
  'traffic.sidecar.istio.io/excludeOutboundIPRanges': cidrList('excludeIPRanges', false),
  'traffic.sidecar.istio.io/includeInboundPorts': (v) =>
    v === '*' ? undefined : portList('includeInboundPorts')(v),
  'traffic.sidecar.istio.io/excludeInboundPorts': portList('excludeInboundPorts'),
  'traffic.sidecar.istio.io/excludeOutboundPorts': portList('excludeOutboundPorts'),
  'prometheus.istio.io/merge-metrics': bool,
  'sidecar.istio.io/proxyCPU': quantity,
  'sidecar.istio.io/proxyMemory': quantity,
  'sidecar.istio.io/proxyCPULimit': quantity,
  'sidecar.istio.io/proxyMemoryLimit': quantity,
};

/** Edit distance of two short strings, to name the annotation a typo meant. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(
        (previous[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = row;
  }
  return previous[b.length] as number;
}

/** The known annotation an unknown one most likely means (at most 2 edits away), if any. */
function meant(key: string): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of Object.keys(istioAnnotations)) {
    const d = distance(key.toLowerCase(), name.toLowerCase());
    if (d <= 2 && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** The findings of one annotation map read as `kind` (Pod for pod templates). */
function annotationFindings(
  item: Item,
  kind: string,
  path: readonly string[],
  annotations: Record<string, string>,
  labels: Record<string, string>,
): Finding[] {
  const findings: Finding[] = [];
  for (const [key, value] of Object.entries(annotations)) {
    if (!isIstioAnnotation(key) || alwaysIgnored.has(key)) continue;
    const at = fieldPath([...path, key]);
    const where =
      kind === item.kind ? '' : ` (on the ${kind.toLowerCase()} template of ${item.kind} ${item.name})`;
    const known =
      istioAnnotations[key] ??
      (key === 'kubernetes.io/ingress.class' ? { resources: ['Ingress'], deprecated: false } : undefined);
    if (!known) {
      const guess = meant(key);
      findings.push(
        finding(
          'IST0108',
          item,
          at,
          `Unknown annotation: ${key}${where}`,
          guess ? { fix: `did you mean ${guess}?` } : {},
        ),
      );
      continue;
    }
    if (known.deprecated && !(key === 'sidecar.istio.io/inject' && labels[key] !== undefined))
      findings.push(
        finding(
          'IST0135',
          item,
          at,
          `Annotation "${key}" has been deprecated${key === 'sidecar.istio.io/inject' ? ' in favor of the "sidecar.istio.io/inject" label' : ''} and may not work in future Istio versions.${where}`,
        ),
      );
    if (known.resources.includes('Any')) continue;
    if (!known.resources.includes(kind)) {
      findings.push(
        finding(
          'IST0107',
          item,
          at,
          `Misplaced annotation: ${key} can only be applied to ${known.resources.join(', ')}${kind === item.kind ? '' : where}`,
          known.resources.includes('Pod') && podMetadataPath(item)
            ? { fix: `move it to ${fieldPath(podAnnotationsPath(item) ?? [])}` }
            : {},
        ),
      );
      continue;
    }
    const invalid = validations[key]?.(value);
    if (invalid) findings.push(finding('IST0125', item, at, `Invalid annotation ${key}: ${invalid}${where}`));
  }
  return findings;
}

const readsOwnMetadata = new Set(['Namespace', 'Service', 'Pod']);

/** Every annotation finding of the list. */
export function annotationRuleFindings(items: readonly Item[]): Finding[] {
  const findings: Finding[] = [];
  for (const item of items) {
    const own = stringMap(item.read(['metadata', 'annotations']));
    const ownLabels = stringMap(item.read(['metadata', 'labels']));
    const podSource = isWorkload(item) || isPrometheusServer(item) || isAlertmanager(item);
    if ((item.group === '' && readsOwnMetadata.has(item.kind)) || podSource)
      findings.push(...annotationFindings(item, item.kind, ['metadata', 'annotations'], own, ownLabels));
    const podPath = item.kind === 'Pod' ? undefined : podMetadataPath(item);
    if (!podSource || !podPath) continue;
    const annotations = stringMap(item.read([...podPath, 'annotations']));
    const labels = stringMap(item.read([...podPath, 'labels']));
    findings.push(...annotationFindings(item, 'Pod', [...podPath, 'annotations'], annotations, labels));
  }
  return findings;
}
