/**
 * relocate-namespace through the real orchestrators: `kpt fn eval --exec` with key=value config on a copy of the
 * bundled example, and `kubectl kustomize --enable-alpha-plugins` with the legacy plugin. Both move the shop
 * namespace's resources to storefront, generate the Namespace, and leave the Namespace shop and monitoring alone.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findResource,
  kustomizeWithPlugins,
  makePackage,
  meshscrape,
  normalize,
  packageResources,
  repoRoot,
  run,
  streamResources,
} from '../support/orchestrators.js';

const example = join(repoRoot, 'pipelines', 'example');
type Meta = { metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } };
/** kpt fn eval with the function and key=value config, on a package directory. */
const kptEval = (dir: string) =>
  run('kpt', [
    'fn',
    'eval',
    dir,
    '--exec',
    `${meshscrape} relocate-namespace`,
    '--',
    'from=shop',
    'to=storefront',
    'rewriteStrings=on',
  ]);
const namespaceOf = (r: unknown) => (r as Meta | undefined)?.metadata?.namespace;

function expectMoved(resources: Record<string, unknown>[]): void {
  const shop = resources.filter((r) => namespaceOf(r) === 'shop');
  expect(shop, 'nothing left in shop').toEqual([]);
  expect(resources.filter((r) => namespaceOf(r) === 'storefront').length).toBeGreaterThan(2);
  expect(findResource(resources, 'Namespace', 'shop'), 'the from Namespace is never renamed').toBeDefined();
  const generated = findResource(resources, 'Namespace', 'storefront') as Meta | undefined;
  expect(generated?.metadata?.labels).toEqual({ 'istio-injection': 'enabled' });
  expect(resources.filter((r) => namespaceOf(r) === 'monitoring').length).toBeGreaterThan(2);
}

describe('relocate-namespace through kpt and kubectl kustomize', () => {
  it('kpt fn eval --exec with key=value config moves shop to storefront, twice the same', () => {
    const dir = makePackage('relocate-kpt', example);
    const first = kptEval(dir);
    expect(first.code, first.stderr).toBe(0);
    const once = normalize(packageResources(dir));
    expectMoved(once);
    const second = kptEval(dir);
    expect(second.code, second.stderr).toBe(0);
    expect(normalize(packageResources(dir))).toEqual(once);
  });

  it('kubectl kustomize with the legacy plugin gives what kpt gives', () => {
    const dir = makePackage('relocate-kustomize', example);
    writeFileSync(
      join(dir, 'relocate.yaml'),
      'apiVersion: meshscrape.dev/v1alpha1\nkind: RelocateNamespace\nmetadata:\n  name: relocate\nfrom: shop\nto: storefront\nrewriteStrings: on\n',
    );
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - namespaces.yaml\n  - shop.yaml\n  - monitoring.yaml\ntransformers:\n  - relocate.yaml\n',
    );
    const built = kustomizeWithPlugins(dir);
    expect(built.code, built.stderr).toBe(0);
    const resources = normalize(streamResources(built.stdout));
    expectMoved(resources);
    const kptDir = makePackage('relocate-kpt-compare', example);
    const kpt = kptEval(kptDir);
    expect(kpt.code, kpt.stderr).toBe(0);
    expect(resources).toEqual(normalize(packageResources(kptDir)));
  });
});
