/**
 * Nothing lost, nothing invented: the conservation guard every function run passes through, and the reconciliation
 * of generated resources that only touches what the function generated.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as z from 'zod';
import { runKrm } from '../../src/cli/krm-mode.js';
import { Item } from '../../src/krm/item.js';
import { defineFunction } from '../../src/krm/krm-function.js';
import { runFunction } from '../../src/krm/run-function.js';
import { resourceList } from '../support/resource-list.js';
import { shopApp } from '../support/shop.js';

const claims = (kind: string, apiVersion: string, original?: string): string => `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: sneaky
  namespace: shop
  annotations:
    meshscrape.dev/generated-by: fix-pod-monitors
    meshscrape.dev/generated-for: PodMonitor/shop/cart
${original === undefined ? '' : `    meshscrape.dev/original: '${original}'\n`}`;
const clusterAdmin = JSON.stringify({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: 'pwned', namespace: 'shop' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'shop' }],
});
const strategy = (name: string): string =>
  `apiVersion: meshscrape.dev/v1alpha1\nkind: FixPodMonitors\nmetadata:\n  name: f\nstrategy: ${name}\n`;
type Output = {
  items: { kind: string; metadata: { name: string } }[];
  results?: { severity: string; message: string }[];
};
const kinds = (stdout: string): string[] =>
  (parse(stdout) as Output).items.map((i) => `${i.kind}/${i.metadata.name}`);

describe('generated resources: only the function own ones are reconciled', () => {
  for (const name of ['service-monitor', 'port-exception', 'scrape-class']) {
    it(`${name}: a Secret that claims to be generated for a handled monitor stays`, () => {
      const out = runKrm(
        resourceList(`${shopApp}---\n${claims('Secret', 'v1')}`, strategy(name)),
        'fix-pod-monitors',
      );
      expect(kinds(out.stdout)).toContain('Secret/sneaky');
    });
  }

  it('a stored original on a ConfigMap never becomes a resource', () => {
    const input = `${shopApp}---\n${claims('ConfigMap', 'v1', clusterAdmin)}`;
    const out = runKrm(resourceList(input, strategy('port-exception')), 'fix-pod-monitors');
    expect(kinds(out.stdout)).not.toContain('ClusterRoleBinding/pwned');
    expect(kinds(out.stdout)).toContain('ConfigMap/sneaky');
  });

  it('a stored original on a generated ServiceMonitor comes back only as the PodMonitor it was made for', () => {
    const input = `${claims('ServiceMonitor', 'monitoring.coreos.com/v1', clusterAdmin)}`;
    const out = runKrm(resourceList(input, strategy('port-exception')), 'fix-pod-monitors');
    expect(kinds(out.stdout)).not.toContain('ClusterRoleBinding/pwned');
  });
});

const configMap = (name: string): Item =>
  Item.fromText(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop`, 0);
const rogue = (run: (items: Item[]) => Item[], generates: string[] = ['ConfigMap']) =>
  defineFunction({
    name: 'rogue',
    kind: 'Rogue',
    summary: 'misbehaves',
    generates,
    schema: z.object({}),
    run: (items) => ({ items: run(items), results: [] }),
  });
const generated = (name: string, by: string) =>
  Item.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'shop', annotations: { 'meshscrape.dev/generated-by': by } },
  });

describe('the conservation guard', () => {
  it('refuses a run that drops a resource, and gives the input back', () => {
    const input = [configMap('a'), configMap('b')];
    const out = runFunction(
      rogue((items) => items.slice(1)),
      input,
      undefined,
      true,
    );
    expect(out.items).toEqual(input);
    expect(out.results).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/rogue dropped ConfigMap\/shop\/a/),
      }),
    );
  });

  it('refuses a resource that arrives without the generated-by annotation of the function', () => {
    const out = runFunction(
      rogue((items) => [...items, generated('x', 'someone-else')]),
      [configMap('a')],
      undefined,
      true,
    );
    expect(out.items.map((i) => i.name)).toEqual(['a']);
    expect(out.results[0]?.message).toMatch(
      /produced ConfigMap\/shop\/x without its meshscrape.dev\/generated-by/,
    );
  });

  it('refuses a generated resource of a kind the function does not generate', () => {
    const fn = rogue((items) => [...items, generated('x', 'rogue')], ['Service']);
    expect(runFunction(fn, [configMap('a')], undefined, true).results[0]?.severity).toBe('error');
  });

  it('takes new resources the function generated, and reports each generated one it removes', () => {
    const added = runFunction(
      rogue((items) => [...items, generated('x', 'rogue')]),
      [configMap('a')],
      undefined,
      true,
    );
    expect(added.items.map((i) => i.name)).toEqual(['a', 'x']);
    expect(added.results).toEqual([]);
    const old = Item.fromText(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: shop\n  annotations:\n    meshscrape.dev/generated-by: rogue',
      0,
    );
    const removed = runFunction(
      rogue((items) => items.slice(0, 1)),
      [configMap('a'), old],
      undefined,
      true,
    );
    expect(removed.items.map((i) => i.name)).toEqual(['a']);
    expect(removed.results).toEqual([
      expect.objectContaining({
        severity: 'info',
        message: expect.stringMatching(/^removed ConfigMap\/shop\/x/),
      }),
    ]);
  });
});
