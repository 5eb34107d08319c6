/**
 * istioctl's injection and annotation analyzers where a render shows the same thing (pkg/config/analysis/analyzers
 * injection/, annotations/, deprecation/): IST0102 a namespace not enabled for injection, IST0123 two injection
 * labels, IST0103 a Pod without the proxy in an injected namespace, IST0135 the deprecated inject annotation,
 * IST0107 pod annotations placed on the workload instead of its pod template (istioctl reads Pods, so it misses the
 * template: this reads the template).
 */
import { isWorkload } from '../../src/domain/kinds.js';
import { stringMap } from '../../src/domain/label-selector.js';
import { neverInjectedNamespaces } from '../../src/domain/mesh.js';
import { podAnnotationsPath } from '../../src/domain/pod-annotations.js';
import { asObject, fieldPath, type Item } from '../../src/krm/index.js';
import { type Finding, finding } from './finding.js';

const podAnnotation = /^(sidecar\.istio\.io|traffic\.sidecar\.istio\.io|proxy\.istio\.io)\//;

/** Every injection / annotation finding. */
export function injectionFindings(items: readonly Item[], rootNamespace: string): Finding[] {
  const findings: Finding[] = [];
  const injected = new Set<string>();
  for (const item of items) {
    if (item.kind !== 'Namespace' || item.group !== '') continue;
    const labels = stringMap(item.read(['metadata', 'labels']));
    const hasInjection = labels['istio-injection'] !== undefined;
    const hasRev = labels['istio.io/rev'] !== undefined;
    if (labels['istio-injection'] === 'enabled' || (hasRev && !hasInjection)) injected.add(item.name);
    if (hasInjection && hasRev)
      findings.push(
        finding(
          'IST0123',
          item,
          'metadata.labels',
          `The namespace has more than one type of injection labels [istio-injection istio.io/rev], which may lead to undefined behavior. Make sure only one injection label exists.`,
        ),
      );
    const system = neverInjectedNamespaces.includes(item.name) || item.name === rootNamespace;
    if (!hasInjection && !hasRev && !system && labels['istio.io/dataplane-mode'] !== 'ambient')
      findings.push(
        finding(
          'IST0102',
          item,
          'metadata.labels',
          `The namespace is not enabled for Istio injection. Run 'kubectl label namespace ${item.name} istio-injection=enabled' to enable it, or 'kubectl label namespace ${item.name} istio-injection=disabled' to explicitly mark it as not needing injection.`,
        ),
      );
  }
  for (const item of items) {
    if (!isWorkload(item)) continue;
    const path = podAnnotationsPath(item);
    const template = path ? stringMap(item.read(path)) : {};
    if (template['sidecar.istio.io/inject'] !== undefined && path)
      findings.push(
        finding(
          'IST0135',
          item,
          fieldPath([...path, 'sidecar.istio.io/inject']),
          'Annotation "sidecar.istio.io/inject" has been deprecated in favor of the "sidecar.istio.io/inject" label and may not work in future Istio versions.',
        ),
      );
    if (item.kind !== 'Pod') {
      const own = Object.keys(stringMap(item.read(['metadata', 'annotations']))).filter((k) =>
        podAnnotation.test(k),
      );
      for (const key of own)
        findings.push(
          finding(
            'IST0107',
            item,
            fieldPath(['metadata', 'annotations', key]),
            `Misplaced annotation: ${key} can only be applied to Pod (on a ${item.kind} it does nothing: put it on the pod template)`,
          ),
        );
    }
    if (item.kind === 'Pod' && injected.has(item.namespace ?? '')) {
      const containers = asObject(item.data.spec)?.containers;
      const hasProxy =
        Array.isArray(containers) && containers.some((c) => asObject(c)?.name === 'istio-proxy');
      const optOut =
        stringMap(item.read(['metadata', 'labels']))['sidecar.istio.io/inject'] === 'false' ||
        template['sidecar.istio.io/inject'] === 'false';
      if (!hasProxy && !optOut && asObject(item.data.spec)?.hostNetwork !== true)
        findings.push(
          finding(
            'IST0103',
            item,
            'spec.containers',
            `The pod ${item.name}.${item.namespace} is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.`,
          ),
        );
    }
  }
  return findings;
}
