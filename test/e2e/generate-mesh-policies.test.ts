/**
 * generate-mesh-policies through the real orchestrators: `kpt fn eval --exec` with key=value config on a copy of
 * the bundled example writes each generated resource to the file its config.kubernetes.io/path names, and a second
 * run changes nothing; `kubectl kustomize --enable-alpha-plugins` with the legacy plugin gives the same resources.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
const kptEval = (dir: string) =>
  run('kpt', [
    'fn',
    'eval',
    dir,
    '--exec',
    `${meshscrape} generate-mesh-policies`,
    '--',
    'namespaces=shop,monitoring',
    'authorization={"enabled":true}',
    'egress=[{"namespace":"monitoring","preset":"azure-monitor"}]',
  ]);
type Meta = { metadata?: { annotations?: Record<string, string> }; spec?: Record<string, unknown> };

describe('generate-mesh-policies through kpt and kubectl kustomize', () => {
  it('kpt fn eval --exec writes one file per generated resource, and a second run changes nothing', () => {
    const dir = makePackage('policies-kpt', example);
    const first = kptEval(dir);
    expect(first.code, first.stderr).toBe(0);
    const file = join(dir, 'mesh-policies', 'shop', 'peerauthentication-default.yaml');
    expect(existsSync(file), 'written where config.kubernetes.io/path says').toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('generated-by: generate-mesh-policies');
    expect(existsSync(join(dir, 'mesh-policies', 'monitoring', 'serviceentry-azure-monitor.yaml'))).toBe(
      true,
    );
    const once = normalize(packageResources(dir));
    const entry = findResource(once, 'ServiceEntry', 'azure-monitor') as Meta | undefined;
    expect(entry?.spec?.resolution).toBe('NONE');
    const second = kptEval(dir);
    expect(second.code, second.stderr).toBe(0);
    expect(normalize(packageResources(dir))).toEqual(once);
  });

  it('kubectl kustomize with the legacy plugin gives what kpt gives', () => {
    const dir = makePackage('policies-kustomize', example);
    writeFileSync(
      join(dir, 'policies.yaml'),
      [
        'apiVersion: meshscrape.dev/v1alpha1',
        'kind: GenerateMeshPolicies',
        'metadata:',
        '  name: policies',
        'namespaces: [shop, monitoring]',
        'authorization:',
        '  enabled: true',
        'egress:',
        '- namespace: monitoring',
        '  preset: azure-monitor',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - namespaces.yaml\n  - shop.yaml\n  - monitoring.yaml\ntransformers:\n  - policies.yaml\n',
    );
    const built = kustomizeWithPlugins(dir);
    expect(built.code, built.stderr).toBe(0);
    const resources = normalize(streamResources(built.stdout));
    expect(findResource(resources, 'AuthorizationPolicy', 'allow-scrapers-checkout')).toBeDefined();
    const kptDir = makePackage('policies-kpt-compare', example);
    const kpt = kptEval(kptDir);
    expect(kpt.code, kpt.stderr).toBe(0);
    expect(resources).toEqual(normalize(packageResources(kptDir)));
  });
});
