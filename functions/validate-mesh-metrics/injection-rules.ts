/**
 * istioctl's injection and annotation analyzers where a render shows the same thing (pkg/config/analysis/analyzers
 * injection/, annotations/, deprecation/): IST0102 a namespace not enabled for injection, IST0123 two injection
 * labels, IST0103 a Pod without the proxy in an injected namespace (the annotation codes are annotation-rules.ts').
 */
import { stringMap } from '../../src/domain/label-selector.js';
import { neverInjectedNamespaces } from '../../src/domain/mesh.js';
import { asObject, type Item } from '../../src/krm/index.js';
import { type Finding, finding } from './finding.js';
import { objects } from './json-values.js';

/** Every injection finding, as istioctl's injection analyzer (analyzers/injection/injection.go) decides them. */
export function injectionFindings(items: readonly Item[], rootNamespace: string): Finding[] {
  const findings: Finding[] = [];
  // Only istio-injection=enabled marks a namespace whose Pods istioctl checks for the proxy (not istio.io/rev).
  const injected = new Set<string>();
  for (const item of items) {
    if (item.kind !== 'Namespace' || item.group !== '' || item.name === rootNamespace) continue;
    const labels = stringMap(item.read(['metadata', 'labels']));
    const injection = labels['istio-injection'];
    const istioLabels = injection === undefined ? [] : [`istio-injection=${injection}`];
    for (const key of ['istio.io/rev', 'istio.io/dataplane-mode'])
      if (labels[key] !== undefined && (injection === undefined || injection === 'enabled'))
        istioLabels.push(`${key}=${labels[key]}`);
    if (istioLabels.length > 1)
      findings.push(
        finding(
          'IST0123',
          item,
          'metadata.labels',
          `The namespace has more than one type of injection labels [${istioLabels.join(' ')}], which may lead to undefined behavior. Make sure only one injection label exists.`,
        ),
      );
    if (labels['istio.io/dataplane-mode'] === 'ambient') continue;
    // Istio never injects there, whatever the labels: advice to label them would be wrong (istioctl gives it).
    if (neverInjectedNamespaces.includes(item.name)) continue;
    if (injection === undefined && labels['istio.io/rev'] === undefined) {
      findings.push(
        finding(
          'IST0102',
          item,
          'metadata.labels',
          `The namespace is not enabled for Istio injection. Run 'kubectl label namespace ${item.name} istio-injection=enabled' to enable it, or 'kubectl label namespace ${item.name} istio-injection=disabled' to explicitly mark it as not needing injection.`,
        ),
      );
      continue;
    }
    if (injection === 'enabled') injected.add(item.name);
  }
  for (const item of items) {
    if (item.kind !== 'Pod' || item.group !== '' || !injected.has(item.namespace ?? '')) continue;
    // istioctl analyzes live Pods; a Pod manifest of a render gets its proxy at admission. Only a Pod read from a
    // cluster (a status, a uid) shows that injection did not happen.
    if (item.read(['status']) === undefined && item.read(['metadata', 'uid']) === undefined) continue;
    const labels = stringMap(item.read(['metadata', 'labels']));
    const inject =
      labels['sidecar.istio.io/inject'] ??
      stringMap(item.read(['metadata', 'annotations']))['sidecar.istio.io/inject'];
    const spec = asObject(item.data.spec);
    if (inject?.toLowerCase() === 'false' || spec?.hostNetwork === true) continue;
    // A native sidecar (Kubernetes >= 1.28) is an init container.
    const containers = [...objects(spec?.containers), ...objects(spec?.initContainers)];
    if (containers.some((c) => c.name === 'istio-proxy')) continue;
    findings.push(
      finding(
        'IST0103',
        item,
        'spec.containers',
        `The pod ${item.namespace}/${item.name} is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.`,
      ),
    );
  }
  return findings;
}
