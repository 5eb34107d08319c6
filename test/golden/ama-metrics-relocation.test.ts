/**
 * The full hand-written rendering of the ama-metrics add-on (test/fixtures/ama-metrics/rendered.yaml, after the
 * chart's templates) relocated to monitoring with `preset: ama-metrics`, in both outcomes of
 * `amaMetrics.allocatorTraffic` (docs/ama-metrics-relocation.md). The whole output is compared with a reviewed
 * file beside the fixture, as the golden cases are (`npm run golden:update` rewrites it: read the diff), and the
 * run is idempotent. The assertions below state what the SRE reading it checks.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runKrm } from '../../src/cli/krm-mode.js';
import { read, resourceList, withoutResults } from '../support/resource-list.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'ama-metrics');
const update = process.env.UPDATE_GOLDEN === '1';

type Resource = { kind: string; metadata: { name: string; namespace?: string }; [key: string]: unknown };
type Result = {
  message: string;
  severity: string;
  resourceRef?: { kind: string; name: string };
  field?: { path: string };
};

const config = (traffic: string) => `apiVersion: meshscrape.dev/v1alpha1
kind: RelocateNamespace
metadata:
  name: relocate
from: kube-system
to: monitoring
preset: ama-metrics
rewriteStrings: "on"
amaMetrics:
  allocatorTraffic: ${traffic}
`;

/** What stays in kube-system: the target allocator and its Service the preset keeps (the token Secret is not in the list). */
const kept = [
  'Deployment/ama-metrics-operator-targets',
  'Service/ama-metrics-operator-targets',
  // Generated: the kept allocator runs as it while the collectors' account moves (a result says so).
  'ServiceAccount/ama-metrics-serviceaccount',
];

describe.each([
  ['https', 1],
  ['plain-http', 0],
])('the ama-metrics rendering relocated with allocatorTraffic: %s', (traffic, code) => {
  const input = resourceList(read(join(fixtures, 'rendered.yaml')), config(traffic));
  const out = runKrm(input, 'relocate-namespace');
  const list = parse(out.stdout, { version: '1.1' }) as { items: Resource[]; results: Result[] };
  const id = (r: Resource) => `${r.kind}/${r.metadata.name}`;

  it('matches the reviewed output', () => {
    const expected = join(fixtures, `relocated-${traffic}.yaml`);
    if (update) writeFileSync(expected, out.stdout);
    expect(out.stdout).toBe(read(expected));
    expect(out.code).toBe(code);
  });

  it('moves everything namespaced but the kept allocator into monitoring', () => {
    const inKubeSystem = list.items.filter((r) => r.metadata.namespace === 'kube-system').map(id);
    expect(inKubeSystem.sort()).toEqual([...kept].sort());
    const moved = list.items.filter((r) => r.metadata.namespace === 'monitoring').map(id);
    for (const name of [
      'Deployment/ama-metrics',
      'DaemonSet/ama-metrics-node',
      'DaemonSet/ama-metrics-win-node',
      'Deployment/ama-metrics-ksm',
      'Service/ama-metrics-ksm',
      'ServiceAccount/ama-metrics-serviceaccount',
      'ServiceAccount/ama-metrics-ksm',
      'HorizontalPodAutoscaler/ama-metrics-hpa',
      'PodDisruptionBudget/ama-metrics-pdb',
    ])
      expect(moved).toContain(name);
  });

  it('leaves nothing naming kube-system without a result saying why', () => {
    const explained = new Set(
      list.results.map((r) => `${r.resourceRef?.kind}/${r.resourceRef?.name} ${r.field?.path ?? ''}`),
    );
    const unexplained: string[] = [];
    const walk = (value: unknown, path: string, owner: Resource) => {
      // meshscrape's own bookkeeping (what a generated resource is for) names the namespace by design.
      if (path.endsWith('["meshscrape.dev/generated-for"]')) return;
      if (typeof value === 'string' && value.includes('kube-system')) {
        const ref = `${id(owner)} `;
        // A result on the field, or on an enclosing one (a container, the subjects list, the metadata).
        const covered = [...explained].some((e) => {
          const at = e.slice(ref.length);
          return (
            e.startsWith(ref) &&
            at !== '' &&
            (path === at || path.startsWith(`${at}.`) || path.startsWith(`${at}[`))
          );
        });
        if (!covered) unexplained.push(`${id(owner)} ${path}: ${value}`);
      } else if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) walk(v, `${path}[${i}]`, owner);
      } else if (value && typeof value === 'object')
        for (const [k, v] of Object.entries(value))
          walk(v, path === '' ? k : /^[\w-]+$/.test(k) ? `${path}.${k}` : `${path}["${k}"]`, owner);
    };
    for (const item of list.items) walk(item, '', item);
    expect(unexplained).toEqual([]);
  });

  it('explains the bindings, the token read, the kept allocator and the Windows collector', () => {
    const on = (kind: string, name: string, path?: string) =>
      list.results.filter(
        (r) =>
          r.resourceRef?.kind === kind &&
          r.resourceRef.name === name &&
          (path === undefined || r.field?.path === path),
      );
    // Both subjects: the kept allocator's kube-system one stays, the moved collectors' one is added.
    expect(on('ClusterRoleBinding', 'ama-metrics-clusterrolebinding', 'subjects[0].namespace')).toHaveLength(
      1,
    );
    expect(on('ClusterRoleBinding', 'ama-metrics-clusterrolebinding', 'subjects[1]')).toHaveLength(1);
    // The token adapter reads aad-msi-auth-token in kube-system through the API; ama-metrics-reader grants it.
    for (const [kind, name] of [
      ['Deployment', 'ama-metrics'],
      ['DaemonSet', 'ama-metrics-node'],
      ['DaemonSet', 'ama-metrics-win-node'],
    ] as const)
      expect(on(kind, name).map((r) => r.message)).toContainEqual(
        expect.stringContaining('ClusterRole ama-metrics-reader'),
      );
    expect(on('Deployment', 'ama-metrics-operator-targets', 'metadata.namespace')[0]?.message).toContain(
      'kept (preset ama-metrics)',
    );
    expect(on('DaemonSet', 'ama-metrics-win-node', 'spec.template.spec')[0]?.message).toContain(
      'Istio has no Windows sidecar',
    );
    const collector = on('Deployment', 'ama-metrics', 'metadata.namespace').map((r) => r.severity);
    expect(collector).toContain(traffic === 'https' ? 'error' : 'warning');
  });

  it('is idempotent', () => {
    const second = runKrm(out.stdout, 'relocate-namespace');
    expect(withoutResults(second.stdout)).toBe(withoutResults(out.stdout));
  });
});
