/**
 * fix-pod-monitors in place, as `kpt fn render` runs it on files: generated resources land in new files, a second
 * render changes nothing, and a new strategy converges (the replaced PodMonitor comes back, stale resources go).
 * kubectl kustomize, which runs on unchanged sources every time, must give the same resources.
 */
import { readFileSync, writeFileSync } from 'node:fs';
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

function kptfile(dir: string): void {
  writeFileSync(
    join(dir, 'Kptfile'),
    `apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: pkg\n  annotations:\n    config.kubernetes.io/local-config: "true"\npipeline:\n  mutators:\n  - exec: ${meshscrape}\n    configPath: certs.yaml\n  - exec: ${meshscrape}\n    configPath: fix.yaml\n`,
  );
  // The scrape class needs a Prometheus that mounts the cert files: mount-istio-certs runs first, as in the pipelines.
  writeFileSync(
    join(dir, 'certs.yaml'),
    'apiVersion: meshscrape.dev/v1alpha1\nkind: MountIstioCerts\nmetadata:\n  name: certs\n  annotations:\n    config.kubernetes.io/local-config: "true"\n',
  );
}

function config(dir: string, strategy: string): void {
  writeFileSync(
    join(dir, 'fix.yaml'),
    `apiVersion: meshscrape.dev/v1alpha1\nkind: FixPodMonitors\nmetadata:\n  name: fix\n  annotations:\n    config.kubernetes.io/local-config: "true"\nstrategy: ${strategy}\n`,
  );
}

const kinds = (resources: Record<string, unknown>[]): string[] => resources.map((r) => String(r.kind)).sort();

describe('fix-pod-monitors through kpt fn render in place and kubectl kustomize', () => {
  it('converts, stays put on a second render, and converges when the strategy changes', () => {
    const pkg = makePackage('fix-render', example);
    kptfile(pkg);
    config(pkg, 'service-monitor');
    const first = run('kpt', ['fn', 'render', pkg, '--allow-exec']);
    expect(first.code, first.stderr).toBe(0);
    const converted = normalize(packageResources(pkg));
    expect(kinds(converted).filter((k) => k === 'PodMonitor')).toEqual([]);
    const monitor = findResource(converted, 'ServiceMonitor', 'payments-worker');
    expect(monitor).toMatchObject({ spec: { endpoints: [{ scheme: 'https', port: 'metrics' }] } });
    expect(findResource(converted, 'Service', 'payments-worker-metrics')).toBeDefined();

    const second = run('kpt', ['fn', 'render', pkg, '--allow-exec']);
    expect(second.code, second.stderr).toBe(0);
    expect(normalize(packageResources(pkg))).toEqual(converted);

    config(pkg, 'port-exception');
    const third = run('kpt', ['fn', 'render', pkg, '--allow-exec']);
    expect(third.code, third.stderr).toBe(0);
    const excepted = normalize(packageResources(pkg));
    expect(excepted.find((r) => r.kind === 'PodMonitor')).toMatchObject({
      metadata: { name: 'payments-worker' },
    });
    expect(
      excepted.find((r) => (r.metadata as { name: string }).name === 'payments-worker-metrics'),
    ).toBeUndefined();
    expect(findResource(excepted, 'PeerAuthentication', 'payments-worker-metrics-port')).toMatchObject({
      metadata: { name: 'payments-worker-metrics-port', namespace: 'shop' },
      spec: {
        selector: { matchLabels: { app: 'payments-worker' } },
        mtls: { mode: 'UNSET' },
        portLevelMtls: { '9102': { mode: 'PERMISSIVE' } },
      },
    });
    expect(readFileSync(join(pkg, 'shop.yaml'), 'utf8')).toContain('# A worker scraped through a PodMonitor');
  });

  it('undoes merge-metrics when the strategy changes: the PodMonitor comes back, the workload is as it was', () => {
    const pkg = makePackage('fix-merge', example);
    kptfile(pkg);
    const before = normalize(packageResources(pkg));
    config(pkg, 'merge-metrics');
    const merge = run('kpt', ['fn', 'render', pkg, '--allow-exec']);
    expect(merge.code, merge.stderr).toBe(0);
    const merged = normalize(packageResources(pkg));
    expect(findResource(merged, 'PodMonitor', 'payments-worker')).toBeUndefined();
    expect(findResource(merged, 'PodMonitor', 'payments-worker-merged')).toBeDefined();
    expect(findResource(merged, 'Deployment', 'payments-worker')).toMatchObject({
      spec: { template: { metadata: { annotations: { 'prometheus.io/port': '9102' } } } },
    });

    const again = run('kpt', ['fn', 'render', pkg, '--allow-exec']);
    expect(again.code, again.stderr).toBe(0);
    expect(normalize(packageResources(pkg))).toEqual(merged);

    config(pkg, 'scrape-class');
    const back = run('kpt', ['fn', 'render', pkg, '--allow-exec']);
    expect(back.code, back.stderr).toBe(0);
    const classed = normalize(packageResources(pkg));
    expect(findResource(classed, 'Deployment', 'payments-worker')).toEqual(
      findResource(before, 'Deployment', 'payments-worker'),
    );
    expect(findResource(classed, 'PodMonitor', 'payments-worker-merged')).toBeUndefined();
    expect(findResource(classed, 'PodMonitor', 'payments-worker')).toMatchObject({
      spec: { scrapeClass: 'istio-mtls', podMetricsEndpoints: [{ port: 'metrics', interval: '30s' }] },
    });
  });

  it('gives kubectl kustomize the same resources as a kpt render', () => {
    const pkg = makePackage('fix-kpt', example);
    kptfile(pkg);
    config(pkg, 'service-monitor');
    expect(run('kpt', ['fn', 'render', pkg, '--allow-exec']).code).toBe(0);
    const dir = makePackage('fix-kustomize', example);
    kptfile(dir);
    config(dir, 'service-monitor');
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      'resources:\n- namespaces.yaml\n- shop.yaml\n- monitoring.yaml\ntransformers:\n- certs.yaml\n- fix.yaml\n',
    );
    const build = kustomizeWithPlugins(dir);
    expect(build.code, build.stderr).toBe(0);
    expect(normalize(streamResources(build.stdout))).toEqual(normalize(packageResources(pkg)));
  });
});
