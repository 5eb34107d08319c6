/**
 * `meshscrape render` on each kind of directory: a Kptfile package (compared with the real `kpt fn render` of the
 * same package), a kustomization (compared with the kustomize pipeline through kubectl kustomize, build options
 * passed), plain manifest files; stdout holds manifests only, stderr the summary, --results kpt's results file;
 * every failure exits 1 with nothing on stdout.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  kustomizeWithPlugins,
  makePackage,
  meshscrape,
  normalize,
  packageResources,
  repoRoot,
  run,
  streamResources,
  tempDir,
} from '../support/orchestrators.js';

const example = join(repoRoot, 'pipelines', 'example');
const kptPipeline = join(repoRoot, 'pipelines', 'kpt');

/** The bundled kpt package: the example's resources and the kpt pipeline (without the kustomization). */
function kptPackage(prefix: string): string {
  const dir = makePackage(prefix, example, kptPipeline);
  rmSync(join(dir, 'kustomization.yaml'));
  return dir;
}

const render = (args: string[], env: NodeJS.ProcessEnv = {}) => run(meshscrape, ['render', ...args], { env });

/** What `kpt fn render` leaves in the package, as render prints it (no Kptfile, configs or local config). */
function kptRendered(dir: string): ReturnType<typeof normalize> {
  const rendered = run('kpt', ['fn', 'render', dir, '--allow-exec']);
  expect(rendered.code, rendered.stderr).toBe(0);
  return normalize(packageResources(dir));
}

/** A Kptfile with these pipeline steps, over the example's resources and the kpt configs. */
function packageWith(prefix: string, kptfile: string): string {
  const dir = kptPackage(prefix);
  writeFileSync(join(dir, 'Kptfile'), kptfile);
  return dir;
}

const kptfileHead = `apiVersion: kpt.dev/v1
kind: Kptfile
metadata:
  name: example
  annotations:
    config.kubernetes.io/local-config: "true"
pipeline:
`;

describe('meshscrape render', () => {
  it('renders a Kptfile package exactly as kpt fn render does, in process', () => {
    const mine = render([kptPackage('render-kpt')]);
    expect(mine.code, mine.stderr).toBe(0);
    const resources = streamResources(mine.stdout);
    // Only manifests: no Kptfile, no step config, nothing local-config.
    expect(resources.map((r) => r.kind)).not.toContain('Kptfile');
    expect(resources.filter((r) => String(r.apiVersion).startsWith('meshscrape.dev/'))).toEqual([]);
    expect(normalize(resources)).toEqual(kptRendered(kptPackage('render-kpt-real')));
    expect(normalize(resources)).toHaveLength(resources.length);
    expect(mine.stderr).toMatch(/^meshscrape render .* \(kpt package\): 18 resources written; 0 errors/);
    expect(mine.stderr).toContain('ran: mount-istio-certs (Kptfile), set-sidecar-options (Kptfile)');
  });

  it('runs image steps (any registry and tag, meshscrape or meshscrape-FUNCTION) and exec steps with configMap', () => {
    const steps = `  mutators:
    - image: ghcr.io/example/meshscrape:v0.1.0
      configPath: mount-istio-certs.yaml
    - image: localhost/meshscrape-set-sidecar-options:v0.1
      configMap:
        preset: alertmanager-cluster
    - exec: /opt/tools/bin/meshscrape fix-pod-monitors
      configPath: fix-pod-monitors.yaml
    - image: meshscrape-set-monitor-tls@sha256:0123
  validators:
    - exec: meshscrape validate-mesh-metrics
`;
    const mine = render([packageWith('render-images', kptfileHead + steps)]);
    expect(mine.code, mine.stderr).toBe(0);
    // The same steps as exec steps kpt can run here.
    const asExec = `  mutators:
    - exec: ./bin/meshscrape
      configPath: mount-istio-certs.yaml
    - exec: ./bin/meshscrape set-sidecar-options
      configMap:
        preset: alertmanager-cluster
    - exec: ./bin/meshscrape fix-pod-monitors
      configPath: fix-pod-monitors.yaml
    - exec: ./bin/meshscrape set-monitor-tls
  validators:
    - exec: ./bin/meshscrape validate-mesh-metrics
`;
    expect(normalize(streamResources(mine.stdout))).toEqual(
      kptRendered(packageWith('render-images-real', kptfileHead + asExec)),
    );
  });

  it("refuses a step that is not meshscrape's, naming it and the Kptfile, before running anything", () => {
    const steps = `  mutators:
    - exec: ./bin/meshscrape
      configPath: mount-istio-certs.yaml
    - image: ghcr.io/kptdev/krm-functions-catalog/set-namespace:v0.4.1
      configMap:
        namespace: shop
`;
    const mine = render([packageWith('render-foreign', kptfileHead + steps)]);
    expect(mine.code).toBe(1);
    expect(mine.stdout).toBe('');
    expect(mine.stderr).toContain(
      'Kptfile pipeline.mutators[1]: image ghcr.io/kptdev/krm-functions-catalog/set-namespace:v0.4.1 is not a meshscrape function',
    );
    expect(mine.stderr).toContain('FAILED, nothing written');
    expect(mine.stderr).toContain('ran: no function');
  });

  it('renders a kustomization with its meshscrape.yaml as the kustomize pipeline does', () => {
    const dir = makePackage('render-kustomize', example);
    cpSync(join(repoRoot, 'pipelines', 'helm', 'meshscrape.yaml'), join(dir, 'meshscrape.yaml'));
    const mine = render([dir]);
    expect(mine.code, mine.stderr).toBe(0);
    const kustomize = kustomizeWithPlugins(join(repoRoot, 'pipelines', 'kustomize'));
    expect(normalize(streamResources(mine.stdout))).toEqual(normalize(streamResources(kustomize.stdout)));
    expect(mine.stderr).toContain('(kustomization): 18 resources written');
    expect(mine.stderr).toMatch(
      /ServiceMonitor\/shop\/checkout\n {4}\[info\] set-monitor-tls: set https with the cert files/,
    );
  });

  it("passes the user's kustomize build options, and names them when kustomize refuses them", () => {
    const dir = tempDir('render-options');
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [app.yaml]\n');
    writeFileSync(
      join(dir, 'app.yaml'),
      'apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: shop}\nspec: {ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n',
    );
    const kinds = (args: string[]) => streamResources(render(args).stdout).map((r) => r.kind);
    // kustomize's legacy order puts the Namespace first; `--reorder none` keeps the file's order.
    expect(kinds([dir])).toEqual(['Namespace', 'Service']);
    expect(kinds([dir, '--kustomize-build-options', '--reorder none'])).toEqual(['Service', 'Namespace']);
    const refused = render([dir, '--kustomize-build-options=--no-such-flag']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`kubectl kustomize ${dir} --no-such-flag failed`);
  });

  it('renders plain manifest files, leaving local-config objects out', () => {
    const dir = tempDir('render-plain');
    writeFileSync(
      join(dir, 'app.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kept, namespace: shop}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: local\n  annotations: {config.kubernetes.io/local-config: "true"}\n',
    );
    const mine = render([dir]);
    expect(mine.code, mine.stderr).toBe(0);
    expect(streamResources(mine.stdout).map((r) => (r.metadata as { name: string }).name)).toEqual(['kept']);
    expect(mine.stderr).toContain('(manifest files): 1 resource written');
  });

  it('never prints an empty stream as success', () => {
    const empty = render([tempDir('render-empty')]);
    expect(empty).toMatchObject({ code: 1, stdout: '' });
    expect(empty.stderr).toContain('refusing to render, an empty source would make Argo CD prune');
  });

  it('says how to render the bundled kustomize pipeline, whose transformers are exec plugins', () => {
    const out = render([join(repoRoot, 'pipelines', 'kustomize')]);
    expect(out).toMatchObject({ code: 1, stdout: '' });
    expect(out.stderr).toContain(
      '--enable-alpha-plugins --enable-exec, or list the function configs in meshscrape.yaml',
    );
  });

  it('says a missing directory is missing (not a broken symlink)', () => {
    const missing = render([join(tempDir('render-missing'), 'nowhere')]);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toContain('no such directory');
  });

  it('refuses an empty source even when the pipeline would generate resources (red-team finding)', () => {
    // A preset generates a Namespace and policies: alone, they would be a success Argo CD syncs, pruning the rest.
    const dir = tempDir('render-empty-preset');
    const viaFlag = render([dir, '--preset', 'istio-strict-monitoring']);
    expect(viaFlag).toMatchObject({ code: 1, stdout: '' });
    expect(viaFlag.stderr).toContain('an empty source would make Argo CD prune');
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources: []\n');
    const viaArgo = run(meshscrape, ['argocd-generate'], {
      cwd: dir,
      env: { ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: 'preset', string: 'istio-strict-monitoring' }]) },
    });
    expect(viaArgo).toMatchObject({ code: 1, stdout: '' });
  });

  it('an error result prints nothing, and --results writes kpt results with exit codes', () => {
    const dir = makePackage('render-error', example);
    writeFileSync(
      join(dir, 'meshscrape.yaml'),
      'apiVersion: meshscrape.dev/v1alpha1\nkind: SetMonitorTLS\nmetadata: {name: x}\nunknownTargets: maybe\n',
    );
    const results = join(tempDir('render-results'), 'results.yaml');
    const failed = render([dir, '--results', results]);
    expect(failed).toMatchObject({ code: 1, stdout: '' });
    expect(failed.stderr).toMatch(
      /errors and warnings:\n.*\n {4}\[error\] set-monitor-tls: config field unknownTargets/,
    );
    const written = parse(readFileSync(results, 'utf8')) as {
      kind: string;
      exitCode: number;
      items: { exec: string; exitCode: number; results: { severity: string }[] }[];
    };
    expect(written).toMatchObject({ apiVersion: 'kpt.dev/v1', kind: 'FunctionResultList', exitCode: 1 });
    expect(written.items).toMatchObject([{ exec: 'meshscrape set-monitor-tls', exitCode: 1 }]);
    expect(written.items[0]?.results[0]?.severity).toBe('error');
  });

  it('npm run demo (pipelines/demo.sh) prints the short summary first, then what the kustomize pipeline gives', () => {
    const demo = run('bash', [join(repoRoot, 'pipelines', 'demo.sh')]);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stderr).toMatch(
      /^meshscrape render pipelines\/example \(kustomization\): 18 resources written; 0 errors/,
    );
    expect(demo.stderr).toContain(
      '    ServiceMonitor/shop/checkout: set-monitor-tls: set https with the cert files',
    );
    const kustomize = kustomizeWithPlugins(join(repoRoot, 'pipelines', 'kustomize'));
    expect(normalize(streamResources(demo.stdout))).toEqual(normalize(streamResources(kustomize.stdout)));
  });

  it('usage errors exit 2', () => {
    expect(render(['--bogus']).code).toBe(2);
    expect(render(['a', 'b']).stderr).toContain('one directory at most');
    expect(render(['--preset']).stderr).toContain('--preset needs a value');
    expect(render(['--summary', 'long']).stderr).toContain('--summary takes short or full, not long');
  });
});
