/**
 * The Argo CD config management plugin: plugin.yaml, `meshscrape argocd-generate` and the sidecar image. Argo CD
 * itself cannot run here, so the tests play the CMP server's part: the generate command in a copy of the app's
 * source directory with ARGOCD_APP_PARAMETERS set, on this machine and in the sidecar image (uid 999, read-only
 * root and source, no network). The result must be what the kustomize pipeline gives; failures must print nothing.
 */
import { chmodSync, cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parameterSteps } from '../../src/cli/argocd-parameters.js';
import { presets } from '../../src/cli/presets.js';
import { pipelineOrder } from '../../src/cli/registry.js';
import {
  argocdGenerateInSidecar,
  findResource,
  hasPodman,
  kustomizeWithPlugins,
  makePackage,
  meshscrape,
  normalize,
  packageResources,
  podmanEnv,
  repoRoot,
  run,
  streamResources,
  tempDir,
  version,
} from '../support/orchestrators.js';

const example = join(repoRoot, 'pipelines', 'example');

/** A copy of the example app, with the Helm/kustomize pipeline as its meshscrape.yaml. */
function app(): string {
  const dir = makePackage('argocd-app', example);
  cpSync(join(repoRoot, 'pipelines', 'helm', 'meshscrape.yaml'), join(dir, 'meshscrape.yaml'));
  return dir;
}

const render = (dir: string, preset: string) => run(meshscrape, ['render', dir, '--preset', preset]);

const generate = (dir: string, parameters?: unknown) =>
  run(meshscrape, ['argocd-generate'], {
    cwd: dir,
    env: { ARGOCD_APP_PARAMETERS: parameters === undefined ? '' : JSON.stringify(parameters) },
  });

describe('Argo CD plugin', () => {
  it('plugin.yaml uses only CMP v2 fields (Argo CD ignores unknown ones silently) and names this version', () => {
    const plugin = parse(readFileSync(join(repoRoot, 'plugin.yaml'), 'utf8')) as {
      apiVersion: string;
      kind: string;
      metadata: { name: string };
      spec: Record<string, unknown> & { version: string; parameters: { static: Record<string, unknown>[] } };
    };
    expect(plugin).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ConfigManagementPlugin' });
    const specFields = [
      'version',
      'init',
      'generate',
      'discover',
      'parameters',
      'preserveFileMode',
      'provideGitCreds',
    ];
    expect(Object.keys(plugin.spec).filter((k) => !specFields.includes(k))).toEqual([]);
    expect(plugin.spec.version).toBe(`v${version}`);
    const parameterFields = [
      'name',
      'title',
      'tooltip',
      'required',
      'itemType',
      'collectionType',
      'string',
      'array',
      'map',
    ];
    for (const parameter of plugin.spec.parameters.static)
      expect(Object.keys(parameter).filter((k) => !parameterFields.includes(k))).toEqual([]);
    // The preset and the build options, then one map parameter per function, in pipeline order (the registry is
    // the one list of functions).
    expect(plugin.spec.parameters.static.map((p) => p.name)).toEqual([
      'preset',
      'kustomizeBuildOptions',
      'functions',
      ...pipelineOrder,
    ]);
    // The preset parameter's tooltip names every preset there is.
    const tooltip = String(plugin.spec.parameters.static[0]?.tooltip);
    for (const preset of presets) expect(tooltip).toContain(preset.name);
  });

  it("generate with the app's meshscrape.yaml gives what the kustomize pipeline gives", () => {
    const generated = generate(app());
    expect(generated.code, generated.stderr).toBe(0);
    const kustomize = kustomizeWithPlugins(join(repoRoot, 'pipelines', 'kustomize'));
    expect(kustomize.code, kustomize.stderr).toBe(0);
    expect(normalize(streamResources(generated.stdout))).toEqual(
      normalize(streamResources(kustomize.stdout)),
    );
  });

  it("takes the example Application's parameters (ConfigMap encoding) and applies them", () => {
    const application = parse(
      readFileSync(join(repoRoot, 'pipelines', 'argocd', 'application.yaml'), 'utf8'),
    ) as {
      spec: { source: { plugin: { parameters: unknown[] } } };
    };
    const parameters = application.spec.source.plugin.parameters;
    expect(parameterSteps(JSON.stringify(parameters))).toMatchObject({ ok: true, problems: [] });
    const generated = generate(makePackage('argocd-params', example), parameters);
    expect(generated.code, generated.stderr).toBe(0);
    // Each step ran with its parameters: mount-istio-certs' inbound mode shows in its summary.
    expect(generated.stderr).toMatch(/mount-istio-certs: summary: .*\(inbound: mesh\)/);
    expect(generated.stderr).toMatch(/set-monitor-tls: summary: 1 endpoint\(s\) set to https/);
    const monitor = findResource(streamResources(generated.stdout), 'ServiceMonitor', 'checkout');
    expect(monitor).toMatchObject({ spec: { endpoints: [{ scheme: 'https' }] } });
  });

  it('fails the sync loudly, printing nothing, rather than print an empty or half-done list', () => {
    const cases: [string, unknown, RegExp][] = [
      [makePackage('argocd-none', example), undefined, /nothing to run/],
      [app(), [{ name: 'bogus', string: 'x' }], /unknown parameter "bogus"/],
      [
        app(),
        [{ name: 'set-monitor-tls', map: { overwrite: 'maybe' } }],
        /parameter set-monitor-tls overwrite="maybe": expected true or false, got "maybe"/,
      ],
      [app(), [{ name: 'preset', string: 'big-bang' }], /parameter preset: unknown preset "big-bang"/],
      [
        app(),
        [
          { name: 'functions', array: ['mount-istio-certs'] },
          { name: 'set-monitor-tls', map: { unknownTargets: 'skip' } },
        ],
        /parameter set-monitor-tls configures a function that does not run.*meshscrape\.yaml runs with its own config/,
      ],
      [tempDir('argocd-empty'), [{ name: 'functions', array: ['set-monitor-tls'] }], /no resources/],
    ];
    const broken = app();
    writeFileSync(join(broken, 'kustomization.yaml'), 'resources:\n- missing.yaml\n');
    cases.push([broken, undefined, /kubectl kustomize .* failed/]);
    for (const [dir, parameters, message] of cases) {
      const generated = generate(dir, parameters);
      expect(generated.code, `${dir}: ${generated.stderr}`).toBe(1);
      expect(generated.stdout).toBe('');
      expect(generated.stderr).toMatch(message);
    }
  });

  it('names the parameter, key and value the user set, never the ConfigMap a map becomes', () => {
    const generated = generate(makePackage('argocd-named', example), [
      { name: 'set-monitor-tls', map: { unknownTarget: 'skip' } },
    ]);
    expect(generated).toMatchObject({ code: 1, stdout: '' });
    expect(generated.stderr).toContain(
      '[error] (parameters.set-monitor-tls.unknownTarget): parameter set-monitor-tls unknownTarget="skip": set-monitor-tls has no config field unknownTarget; its fields:',
    );
    expect(generated.stderr).not.toMatch(/ConfigMap|argocd-set-monitor-tls|data\./);
  });

  it('the preset parameter runs the preset, after meshscrape.yaml and before the function maps', () => {
    const generated = generate(makePackage('argocd-preset', example), [
      { name: 'preset', string: 'istio-strict-monitoring' },
      { name: 'validate-mesh-metrics', map: { failOn: 'warning' } },
    ]);
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stderr).toContain(
      'ran: mount-istio-certs (preset istio-strict-monitoring), set-sidecar-options (preset istio-strict-monitoring)',
    );
    expect(generated.stderr).toContain(
      'validate-mesh-metrics (preset istio-strict-monitoring), validate-mesh-metrics (parameters)',
    );
    const rendered = render(makePackage('argocd-preset-render', example), 'istio-strict-monitoring');
    expect(normalize(streamResources(generated.stdout))).toEqual(normalize(streamResources(rendered.stdout)));
  });

  it('passes kustomizeBuildOptions to the kustomize build', () => {
    const dir = tempDir('argocd-build-options');
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [app.yaml]\n');
    writeFileSync(
      join(dir, 'app.yaml'),
      'apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: shop}\nspec: {ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n',
    );
    const kinds = (options: string) =>
      streamResources(
        generate(dir, [
          { name: 'functions', array: ['set-monitor-tls'] },
          { name: 'kustomizeBuildOptions', string: options },
        ]).stdout,
      ).map((r) => r.kind);
    expect(kinds('')).toEqual(['Namespace', 'Service']);
    expect(kinds('--reorder none')).toEqual(['Service', 'Namespace']);
  });

  it('refuses build options that would run or reach beyond the app, naming the parameter (red-team finding)', () => {
    const dir = tempDir('argocd-unsafe-options');
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [app.yaml]\n');
    writeFileSync(join(dir, 'app.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
    writeFileSync(join(dir, 'evil.sh'), `#!/bin/sh\necho ran > ${join(dir, 'ran')}\n`, { mode: 0o755 });
    for (const options of [
      '--enable-helm --helm-command ./evil.sh',
      '--load-restrictor=LoadRestrictionsNone',
      '--output /tmp/elsewhere',
      '--enable-alpha-plugins',
    ]) {
      const out = generate(dir, [
        { name: 'functions', array: ['set-monitor-tls'] },
        { name: 'kustomizeBuildOptions', string: options },
      ]);
      expect(out.code, options).toBe(1);
      expect(out.stdout).toBe('');
      expect(out.stderr).toContain(`parameter kustomizeBuildOptions="${options}"`);
    }
    expect(existsSync(join(dir, 'ran'))).toBe(false);
  });

  it('renders a Kptfile package as kpt fn render does', () => {
    const pkg = makePackage('argocd-kpt', example, join(repoRoot, 'pipelines', 'kpt'));
    rmSync(join(pkg, 'kustomization.yaml'));
    const generated = generate(pkg);
    expect(generated.code, generated.stderr).toBe(0);
    const real = makePackage('argocd-kpt-real', example, join(repoRoot, 'pipelines', 'kpt'));
    rmSync(join(real, 'kustomization.yaml'));
    expect(run('kpt', ['fn', 'render', real, '--allow-exec']).code).toBe(0);
    expect(normalize(streamResources(generated.stdout))).toEqual(normalize(packageResources(real)));
  });

  it('the sidecar patch applies to an argocd-repo-server Deployment', () => {
    const dir = tempDir('argocd-install');
    cpSync(join(repoRoot, 'pipelines', 'argocd', 'repo-server-sidecar.yaml'), join(dir, 'sidecar.yaml'));
    writeFileSync(
      join(dir, 'repo-server.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: argocd-repo-server\nspec:\n  template:\n    spec:\n      containers:\n      - name: argocd-repo-server\n        image: quay.io/argoproj/argocd\n      volumes:\n      - name: var-files\n        emptyDir: {}\n      - name: plugins\n        emptyDir: {}\n',
    );
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      'resources:\n- repo-server.yaml\npatches:\n- path: sidecar.yaml\n',
    );
    const built = run('kubectl', ['kustomize', dir]);
    expect(built.code, built.stderr).toBe(0);
    const [deployment] = streamResources(built.stdout) as {
      spec: { template: { spec: { containers: { name: string }[]; volumes: { name: string }[] } } };
    }[];
    expect(deployment?.spec.template.spec.containers.map((c) => c.name)).toEqual([
      'meshscrape',
      'argocd-repo-server',
    ]);
    expect(deployment?.spec.template.spec.volumes.map((v) => v.name).sort()).toEqual([
      'meshscrape-tmp',
      'plugins',
      'var-files',
    ]);
  });

  it.skipIf(!hasPodman)('runs in the sidecar image as uid 999, read-only, with no network', () => {
    const dir = app();
    chmodSync(dir, 0o755);
    const env = podmanEnv;
    const image = `localhost/meshscrape-argocd:v${version}`;
    const plugin = run(
      'podman',
      [
        'run',
        '--rm',
        '--entrypoint',
        '/usr/local/bin/node',
        image,
        '-e',
        "process.stdout.write(require('fs').readFileSync('/home/argocd/cmp-server/config/plugin.yaml','utf8'))",
      ],
      { env },
    );
    expect(plugin.stdout).toBe(readFileSync(join(repoRoot, 'plugin.yaml'), 'utf8'));
    const inImage = argocdGenerateInSidecar(dir);
    expect(inImage.code, inImage.stderr).toBe(0);
    expect(normalize(streamResources(inImage.stdout))).toEqual(
      normalize(streamResources(generate(dir).stdout)),
    );
  });

  it.skipIf(!hasPodman)('renders a Kptfile package in the sidecar image as kpt fn render does', () => {
    const pkg = makePackage('argocd-kpt-image', example, join(repoRoot, 'pipelines', 'kpt'));
    rmSync(join(pkg, 'kustomization.yaml'));
    chmodSync(pkg, 0o755);
    const inImage = argocdGenerateInSidecar(pkg);
    expect(inImage.code, inImage.stderr).toBe(0);
    const real = makePackage('argocd-kpt-image-real', example, join(repoRoot, 'pipelines', 'kpt'));
    rmSync(join(real, 'kustomization.yaml'));
    expect(run('kpt', ['fn', 'render', real, '--allow-exec']).code).toBe(0);
    expect(normalize(streamResources(inImage.stdout))).toEqual(normalize(packageResources(real)));
  });
});
