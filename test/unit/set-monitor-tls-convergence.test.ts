/** set-monitor-tls converges: own-TLS exceptions come and go with ownTls, schemes follow a PeerAuthentication changing mode. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runKrm } from '../../src/cli/krm-mode.js';
import { asDecoded } from '../../src/krm/index.js';
import { read, resourceList } from '../support/resource-list.js';

const resources = read(
  join(
    import.meta.dirname,
    '..',
    '..',
    'functions',
    'set-monitor-tls',
    'testdata',
    'own-tls-strict',
    'resources.yaml',
  ),
);
const config = (ownTls: string) =>
  `apiVersion: meshscrape.dev/v1alpha1\nkind: SetMonitorTLS\nmetadata:\n  name: tls\nownTls: ${ownTls}\n`;
type List = { items: { kind: string; metadata: { name: string } }[] };
const withConfig = (list: string, ownTls: string): string => {
  const data = parse(list, { version: '1.1' }) as List & { functionConfig?: unknown };
  data.functionConfig = parse(config(ownTls));
  return JSON.stringify(data);
};
const policies = (out: string): string[] =>
  (parse(out, { version: '1.1' }) as List).items
    .filter((i) => i.kind === 'PeerAuthentication')
    .map((i) => i.metadata.name);

describe('ownTls: permissive-port', () => {
  it('generates the exception, keeps it on the next run, and removes it when ownTls changes', () => {
    const first = runKrm(asDecoded(resourceList(resources, config('permissive-port'))), 'set-monitor-tls');
    expect(first.code, first.stderr).toBe(0);
    expect(policies(first.stdout)).toEqual(['cart-own-tls-port']);
    const again = runKrm(asDecoded(withConfig(first.stdout, 'permissive-port')), 'set-monitor-tls');
    expect(policies(again.stdout)).toEqual(['cart-own-tls-port']);
    const back = runKrm(asDecoded(withConfig(first.stdout, 'report')), 'set-monitor-tls');
    expect(back.code, back.stderr).toBe(0);
    expect(policies(back.stdout)).toEqual([]);
    expect(back.stdout).toMatch(/(has its own TLS|serves TLS itself) on a port Istio captures under STRICT/);
  });
});

describe('convergence when a PeerAuthentication changes mode', () => {
  const base = read(
    join(
      import.meta.dirname,
      '..',
      '..',
      'functions',
      'set-monitor-tls',
      'testdata',
      'in-mesh-service',
      'resources.yaml',
    ),
  );
  const permissive =
    '---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: shop\nspec:\n  mtls:\n    mode: PERMISSIVE\n';
  type Monitor = { kind: string; spec: { endpoints: { scheme?: string }[] } };
  const schemes = (out: string): (string | undefined)[] =>
    (parse(out, { version: '1.1' }) as { items: Monitor[] }).items
      .filter((i) => i.kind === 'ServiceMonitor')
      .flatMap((i) => i.spec.endpoints.map((e) => e.scheme));
  it('STRICT gives https; the namespace turned PERMISSIVE takes it back to plain http; STRICT again gives https', () => {
    const strict = runKrm(asDecoded(resourceList(base, config('report'))), 'set-monitor-tls');
    expect(schemes(strict.stdout)).toEqual(['https', 'https']);
    const items = (parse(strict.stdout, { version: '1.1' }) as { items: unknown[] }).items;
    const relaxed = runKrm(
      asDecoded(
        resourceList(
          `${items.map((i) => JSON.stringify(i)).join('\n---\n')}\n${permissive}`,
          config('report'),
        ),
      ),
      'set-monitor-tls',
    );
    expect(schemes(relaxed.stdout)).toEqual([undefined, undefined]);
    const relaxedItems = (parse(relaxed.stdout, { version: '1.1' }) as { items: { kind: string }[] }).items;
    const strictAgain = runKrm(
      asDecoded(
        resourceList(
          relaxedItems
            .filter((i) => i.kind !== 'PeerAuthentication')
            .map((i) => JSON.stringify(i))
            .join('\n---\n'),
          config('report'),
        ),
      ),
      'set-monitor-tls',
    );
    expect(schemes(strictAgain.stdout)).toEqual(['https', 'https']);
  });
});
