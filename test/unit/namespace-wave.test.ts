/**
 * A Namespace the user wrote (wave 0 unless annotated) that holds a generated mesh policy of wave -1 is put in wave
 * -1 too, so Argo CD creates it before the policy (src/domain/namespace-wave.ts); one with a later wave of its own
 * is left as written, with a warning; a namespace the list does not hold is left to Argo CD or the cluster.
 */
import { describe, expect, it } from 'vitest';
import { alignNamespaceWaves } from '../../src/domain/namespace-wave.js';
import { Item } from '../../src/krm/item.js';

const namespace = (annotations = ''): string =>
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  # the team's namespace\n  name: monitoring\n${annotations}  labels:\n    istio-injection: enabled # injection on\n`;

const policy = (ns: string, wave: string | null = '-1', by = 'mount-istio-certs'): string =>
  `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: prometheus-self-scrape\n  namespace: ${ns}\n  annotations:\n    meshscrape.dev/generated-by: ${by}\n${wave === null ? '' : `    argocd.argoproj.io/sync-wave: "${wave}"\n`}spec:\n  mtls:\n    mode: STRICT\n`;

const items = (...texts: string[]): Item[] => texts.map((t) => Item.fromText(t, 0));
const text = (item: Item): string => item.toDocument();
const wavePath = 'metadata.annotations["argocd.argoproj.io/sync-wave"]';

describe('alignNamespaceWaves', () => {
  it('sets wave -1 on a listed Namespace without a wave, with an info naming the generated resource; comments stay', () => {
    const list = items(namespace(), policy('monitoring'));
    const before = text(list[1] as Item);
    const results = alignNamespaceWaves(list);
    expect(results).toEqual([
      {
        severity: 'info',
        message: expect.stringContaining(
          'Argo CD applies wave -1 first, and the generated PeerAuthentication/monitoring/prometheus-self-scrape cannot be created before its Namespace',
        ),
        resourceRef: { apiVersion: 'v1', kind: 'Namespace', name: 'monitoring' },
        field: { path: wavePath },
      },
    ]);
    const ns = text(list[0] as Item);
    expect(ns).toContain('argocd.argoproj.io/sync-wave: "-1"');
    expect(ns).toContain('# the team');
    expect(ns).toContain('# injection on');
    expect(text(list[1] as Item)).toBe(before);
  });

  it('a second run changes nothing and says nothing', () => {
    const list = items(namespace(), policy('monitoring'));
    alignNamespaceWaves(list);
    const again = items(...list.map(text));
    const written = again.map(text);
    expect(alignNamespaceWaves(again)).toEqual([]);
    expect(again.map(text)).toEqual(written);
    expect(again.every((i) => !i.changed)).toBe(true);
  });

  it('an explicit later wave ("0") is left as written, with a warning naming the generated resource and the fix', () => {
    const list = items(
      namespace('  annotations:\n    argocd.argoproj.io/sync-wave: "0"\n'),
      policy('monitoring'),
    );
    const before = text(list[0] as Item);
    const results = alignNamespaceWaves(list);
    expect(results).toHaveLength(1);
    expect(results[0]?.severity).toBe('warning');
    expect(results[0]?.resourceRef?.name).toBe('monitoring');
    expect(results[0]?.field?.path).toBe(wavePath);
    expect(results[0]?.message).toContain('PeerAuthentication/monitoring/prometheus-self-scrape');
    expect(results[0]?.message).toContain('set argocd.argoproj.io/sync-wave: "-1"');
    expect(text(list[0] as Item)).toBe(before);
    expect(list[0]?.changed).toBe(false);
  });

  it('an explicit wave as early or earlier is kept without a result', () => {
    for (const wave of ['-1', '-5']) {
      const list = items(
        namespace(`  annotations:\n    argocd.argoproj.io/sync-wave: "${wave}"\n`),
        policy('monitoring'),
      );
      expect(alignNamespaceWaves(list)).toEqual([]);
      expect(list[0]?.changed).toBe(false);
    }
  });

  it('takes the earliest wave of the generated resources in the namespace', () => {
    const list = items(
      namespace(),
      policy('monitoring'),
      policy('monitoring', '-3', 'generate-mesh-policies'),
    );
    alignNamespaceWaves(list);
    expect(text(list[0] as Item)).toContain('argocd.argoproj.io/sync-wave: "-3"');
  });

  it('nothing when the Namespace is not in the list, or holds no generated resource before wave 0', () => {
    for (const list of [
      items(policy('monitoring')),
      items(namespace(), policy('shop')),
      items(namespace(), policy('monitoring', null)),
      items(namespace(), policy('monitoring', '-1', '')),
    ]) {
      expect(alignNamespaceWaves(list)).toEqual([]);
      expect(list.every((i) => !i.changed)).toBe(true);
    }
  });
});
