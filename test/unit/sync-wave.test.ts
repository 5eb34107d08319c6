/**
 * Every mesh policy a function generates carries Argo CD's sync wave -1, so Argo CD applies it before the workloads
 * whose scrapes it opens (src/domain/sync-wave.ts), and one an earlier release generated without the wave gains it
 * on the next run. Run on each generating function's own testdata.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runKrm } from '../../src/cli/krm-mode.js';
import { repoRoot } from '../support/orchestrators.js';
import { resourceList } from '../support/resource-list.js';

type Item = { kind: string; metadata: { name: string; annotations?: Record<string, string> } };
type Output = { items: Item[]; results?: { message: string; resourceRef?: { name: string } }[] };

const wave = 'argocd.argoproj.io/sync-wave';

/** Cases whose output holds a generated PeerAuthentication, DestinationRule or other mesh policy. */
const cases = [
  ['mount-istio-certs', 'self-scrape-exception'],
  ['mount-istio-certs', 'prometheus-bypass'],
  ['set-monitor-tls', 'own-tls-permissive-port'],
  ['fix-pod-monitors', 'service-monitor-to-port-exception'],
  ['generate-mesh-policies', 'exceptions'],
] as const;

function render(fn: string, resources: string, config: string): Output {
  const out = runKrm(resourceList(resources, config), fn);
  expect(out.code, out.stderr).toBe(0);
  return parse(out.stdout) as Output;
}

const generatedPolicies = (items: readonly Item[]) =>
  items.filter(
    (i) =>
      i.kind !== 'ServiceMonitor' &&
      i.kind !== 'PodMonitor' &&
      i.metadata.annotations?.['meshscrape.dev/generated-by'] !== undefined,
  );

describe.each(cases)('%s / %s', (fn, name) => {
  const dir = join(repoRoot, 'functions', fn, 'testdata', name);
  const config = readFileSync(join(dir, 'config.yaml'), 'utf8');
  const first = render(fn, readFileSync(join(dir, 'resources.yaml'), 'utf8'), config);

  it('every generated mesh policy carries sync wave -1', () => {
    const policies = generatedPolicies(first.items);
    expect(policies.length).toBeGreaterThan(0);
    for (const policy of policies)
      expect(policy.metadata.annotations?.[wave], policy.metadata.name).toBe('-1');
  });

  it("one generated without the wave (an earlier release's) gains it, with a result", () => {
    const [policy] = generatedPolicies(first.items);
    delete policy?.metadata.annotations?.[wave];
    const stream = first.items.map((i) => `---\n${JSON.stringify(i)}\n`).join('');
    const second = render(fn, stream, config);
    const again = second.items.find(
      (i) => i.kind === policy?.kind && i.metadata.name === policy?.metadata.name,
    );
    expect(again?.metadata.annotations?.[wave]).toBe('-1');
    expect(second.results?.some((r) => r.resourceRef?.name === policy?.metadata.name)).toBe(true);
  });
});
