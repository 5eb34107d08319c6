/**
 * What generate-mesh-policies writes passes validate-mesh-metrics (issue: "generated policies for the ama-metrics
 * and Big Bang-style examples pass the validator and the CRD schemas"): over every golden case of the generator,
 * no error finding and no schema finding names a resource it generated; and the two scenarios, run whole, come out
 * with no error at all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { runKrm } from '../../src/cli/krm-mode.js';

const root = join(import.meta.dirname, '..', '..');
const testdata = join(root, 'functions', 'generate-mesh-policies', 'testdata');
const generator = 'generate-mesh-policies';

interface Finding {
  message: string;
  severity: string;
  resourceRef?: { kind: string; name: string; namespace?: string };
}
interface Resource {
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
}

/** A golden case's output with another functionConfig, its results dropped, as the next pipeline step reads it. */
function withConfig(expected: string, config: Record<string, unknown>): string {
  const list = parseDocument(expected, { version: '1.1' });
  list.delete('results');
  list.set('functionConfig', {
    apiVersion: 'meshscrape.dev/v1alpha1',
    metadata: { name: 'step' },
    ...config,
  });
  return list.toString();
}

function step(input: string, fn: string, config: Record<string, unknown>): string {
  const out = runKrm(withConfig(input, config), fn);
  return out.stdout;
}

function findings(list: string): { items: Resource[]; results: Finding[] } {
  const out = runKrm(withConfig(list, { kind: 'ValidateMeshMetrics' }), 'validate-mesh-metrics');
  const parsed = parse(out.stdout, { version: '1.1' }) as { items: Resource[]; results?: Finding[] };
  return { items: parsed.items, results: (parsed.results ?? []).filter((r) => r.resourceRef) };
}

const key = (r: { kind: string; name: string; namespace?: string | undefined }): string =>
  `${r.kind}/${r.namespace ?? ''}/${r.name}`;

const expectedOf = (name: string): string => readFileSync(join(testdata, name, 'expected.yaml'), 'utf8');

describe('generate-mesh-policies output under validate-mesh-metrics', () => {
  for (const name of readdirSync(testdata))
    it(`${name}: no error or schema finding on a generated resource`, () => {
      const { items, results } = findings(expectedOf(name));
      const generated = new Set(
        items
          .filter((i) => i.metadata.annotations?.['meshscrape.dev/generated-by'] === generator)
          .map((i) => key({ kind: i.kind, name: i.metadata.name, namespace: i.metadata.namespace })),
      );
      const onGenerated = results.filter(
        (r) =>
          r.resourceRef &&
          generated.has(key(r.resourceRef)) &&
          (r.severity === 'error' || /IST0106|MS0026/.test(r.message)),
      );
      expect(onGenerated.map((r) => `${r.severity} ${key(r.resourceRef as never)}: ${r.message}`)).toEqual(
        [],
      );
    });

  it('kube-prometheus, Big Bang style: the whole pipeline and its policies validate without a finding', () => {
    // The case's input already ran mount-istio-certs, fix-pod-monitors and set-monitor-tls; the Alertmanager's
    // gossip needs the sidecar option, which is the one step the case leaves out.
    const withGossip = step(expectedOf('kube-prometheus'), 'set-sidecar-options', {
      kind: 'SetSidecarOptions',
      preset: ['alertmanager-cluster'],
    });
    expect(findings(withGossip).results.map((r) => `${r.severity} ${r.message}`)).toEqual([]);
  });

  it('ama-metrics moved to monitoring: no error once its policies are generated', () => {
    const errors = findings(expectedOf('ama-metrics-workloads')).results.filter(
      (r) => r.severity === 'error',
    );
    expect(errors.map((r) => r.message)).toEqual([]);
  });

  it('ama-metrics moved to monitoring: no MS0014 for the Windows DaemonSet, which gets no sidecar', () => {
    const ms0014 = findings(expectedOf('ama-metrics-workloads')).results.filter((r) =>
      r.message.startsWith('MS0014'),
    );
    expect(ms0014.map((r) => r.message)).toEqual([]);
  });
});
