/** fix-pod-monitors behaviour that the golden cases do not pin down: config-declared versions, ConfigMap overrides. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runKrm } from '../../src/cli/krm-mode.js';
import { resourceList } from '../support/resource-list.js';
import { shopApp } from '../support/shop.js';

type Output = {
  items: { kind: string }[];
  results?: { severity: string; message: string; field?: { path: string } }[];
};

describe('fix-pod-monitors', () => {
  it('refuses the scrape class when the config says the operator is older than v0.74', () => {
    const config =
      'apiVersion: meshscrape.dev/v1alpha1\nkind: FixPodMonitors\nmetadata:\n  name: f\noperatorVersion: v0.70.1\n';
    const out = runKrm(resourceList(shopApp, config), 'fix-pod-monitors');
    expect(out.code).toBe(1);
    const results = (parse(out.stdout) as Output).results ?? [];
    expect(results).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        field: { path: 'operatorVersion' },
        message: expect.stringMatching(/0\.70\.1/),
      }),
    );
  });

  it('takes overrides as JSON in a ConfigMap, as kpt fn eval -- k=v and Argo CD parameters send them', () => {
    const config =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: function-input\ndata:\n  strategy: report\n  overrides: \'[{"names":["shop/cart"],"strategy":"port-exception"}]\'\n';
    const out = runKrm(resourceList(shopApp, config), 'fix-pod-monitors');
    expect(out.code, out.stderr).toBe(0);
    const items = (parse(out.stdout) as Output).items;
    expect(items.map((i) => i.kind)).toContain('PeerAuthentication');
  });
});

describe('malformed ScrapeConfig', () => {
  it('staticConfigs that is not a list is an error naming the field, and the resource is left as is', () => {
    const scrapeConfig =
      'apiVersion: monitoring.coreos.com/v1alpha1\nkind: ScrapeConfig\nmetadata:\n  name: sc\n  namespace: shop\nspec:\n  staticConfigs: cart.shop.svc:8080\n';
    const out = runKrm(resourceList(scrapeConfig), 'fix-pod-monitors');
    expect(out.code).toBe(1);
    const list = parse(out.stdout) as { items: unknown[]; results: { field?: { path: string } }[] };
    expect(list.results[0]?.field?.path).toBe('spec.staticConfigs');
    expect(out.stdout).toContain('  staticConfigs: cart.shop.svc:8080\n');
  });
});
