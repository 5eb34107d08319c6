/**
 * The bundled example's Namespace/monitoring is the user's (no wave, so wave 0) and holds generated
 * PeerAuthentications of wave -1: render puts the Namespace in wave -1 too, or Argo CD applies the policies first and
 * a fresh cluster fails them with `namespaces "monitoring" not found` (src/domain/namespace-wave.ts). A second render
 * of the output changes nothing and says nothing more about it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meshscrape, run, streamResources, tempDir } from '../support/orchestrators.js';

type Meta = { name: string; namespace?: string; annotations?: Record<string, string> };
const wave = 'argocd.argoproj.io/sync-wave';
const metaOf = (r: Record<string, unknown>): Meta => r.metadata as Meta;

describe('render pipelines/example --preset istio-strict-monitoring', () => {
  const first = run(meshscrape, ['render', 'pipelines/example', '--preset', 'istio-strict-monitoring']);
  const resources = streamResources(first.stdout);

  it('puts the listed Namespace of every generated wave -1 policy in wave -1', () => {
    expect(first.code, first.stderr).toBe(0);
    const monitoring = resources.find((r) => r.kind === 'Namespace' && metaOf(r).name === 'monitoring');
    expect(monitoring && metaOf(monitoring).annotations?.[wave]).toBe('-1');
    const early = resources.filter(
      (r) =>
        metaOf(r).annotations?.['meshscrape.dev/generated-by'] && Number(metaOf(r).annotations?.[wave]) < 0,
    );
    expect(early.map((r) => `${r.kind}/${metaOf(r).namespace}/${metaOf(r).name}`)).toContain(
      'PeerAuthentication/monitoring/default',
    );
    for (const policy of early) {
      const ns = resources.find((r) => r.kind === 'Namespace' && metaOf(r).name === metaOf(policy).namespace);
      if (ns) expect(Number(metaOf(ns).annotations?.[wave] ?? 0)).toBeLessThanOrEqual(-1);
    }
    expect(first.stderr).toContain('Namespace/monitoring');
    expect(first.stderr).toMatch(/set sync wave -1: Argo CD applies wave -1 first/);
  });

  it('a second render of the output changes nothing and reports no new wave', () => {
    const dir = tempDir('namespace-wave');
    writeFileSync(join(dir, 'all.yaml'), first.stdout);
    const second = run(meshscrape, ['render', dir, '--preset', 'istio-strict-monitoring']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).not.toMatch(/sync wave/);
  });
});
