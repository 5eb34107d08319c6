/**
 * The Helm post-renderer (`bin/meshscrape post-render PIPELINE`, pipelines/helm/post-render.sh) on a stream laid
 * out as `helm template` writes it (`# Source:` comments, a leading `---`). No helm binary can be installed on these
 * machines, so the test plays Helm's part: manifests on stdin, no arguments for the wrapper, exit code checked.
 * The result must be what the kustomize pipeline gives, with untouched documents byte-identical.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repositoryWebUrl } from '../../src/cli/package-manifest.js';
import { helmTemplateStream } from '../support/helm-stream.js';
import {
  findResource,
  kustomizeWithPlugins,
  meshscrape,
  normalize,
  repoRoot,
  run,
  streamResources,
  tempDir,
} from '../support/orchestrators.js';

const example = join(repoRoot, 'pipelines', 'example');
const wrapper = join(repoRoot, 'pipelines', 'helm', 'post-render.sh');

/** The example as `helm template` would print it. */
const helmStream = () => helmTemplateStream(example, 'example');

describe('Helm post-renderer', () => {
  it('gives what the kustomize pipeline gives, untouched documents as they came', () => {
    const input = helmStream();
    const rendered = run(wrapper, [], { input });
    expect(rendered.code, rendered.stderr).toBe(0);
    const kustomize = kustomizeWithPlugins(join(repoRoot, 'pipelines', 'kustomize'));
    expect(kustomize.code, kustomize.stderr).toBe(0);
    expect(normalize(streamResources(rendered.stdout))).toEqual(normalize(streamResources(kustomize.stdout)));
    const outputDocuments = new Set(rendered.stdout.split(/^---\n/m));
    const namespaces = input.split(/^---\n/m).filter((doc) => doc.includes('kind: Namespace'));
    expect(namespaces.length).toBeGreaterThan(0);
    // Namespace/monitoring holds generated wave -1 policies, so it gains the wave (src/domain/namespace-wave.ts).
    const wave = '  annotations:\n    argocd.argoproj.io/sync-wave: "-1"\n';
    for (const doc of namespaces)
      expect(outputDocuments.has(doc.includes('name: monitoring') ? `${doc.trimEnd()}\n${wave}` : doc)).toBe(
        true,
      );
    expect(rendered.stderr).toMatch(/\[info\].*set-monitor-tls: /);
    expect(rendered.stdout.startsWith('---\n# Source: example/templates/')).toBe(true);
  });

  it("keeps Helm's own annotations on the resources it edits", () => {
    const input = helmStream().replace(
      /(kind: ServiceMonitor\nmetadata:\n {2}name: checkout\n)/,
      '$1  annotations:\n    postrenderer.helm.sh/postrender-filename: example/templates/shop.yaml\n',
    );
    const rendered = run(
      meshscrape,
      ['post-render', join(repoRoot, 'pipelines', 'helm', 'meshscrape.yaml')],
      { input },
    );
    expect(rendered.code, rendered.stderr).toBe(0);
    const monitor = findResource(streamResources(rendered.stdout), 'ServiceMonitor', 'checkout');
    expect(monitor).toMatchObject({
      metadata: {
        annotations: { 'postrenderer.helm.sh/postrender-filename': 'example/templates/shop.yaml' },
      },
      spec: { endpoints: [{ scheme: 'https' }] },
    });
  });

  it('fails the release loudly, printing nothing, on a bad pipeline or an error result', () => {
    const dir = tempDir('helm');
    const badKind = join(dir, 'bad-kind.yaml');
    writeFileSync(badKind, 'apiVersion: meshscrape.dev/v1alpha1\nkind: MakeCoffee\nmetadata:\n  name: x\n');
    const unknown = run(meshscrape, ['post-render', badKind], { input: helmStream() });
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toMatch(/unknown kind "MakeCoffee".*SetMonitorTLS/);

    const broken = helmStream().replace(/ {2}endpoints:\n(?: {4}.*\n)+/, '');
    const failed = run(meshscrape, ['post-render', join(repoRoot, 'pipelines', 'helm', 'meshscrape.yaml')], {
      input: broken,
    });
    expect(failed).toMatchObject({ code: 1, stdout: '' });
    expect(failed.stderr).toMatch(/\[error\] ServiceMonitor\/.*\(spec\.endpoints\)/);

    expect(run(meshscrape, ['post-render'], { input: helmStream() }).code).toBe(2);

    // No resources in: nothing invented out of an empty rendering (generated policies alone).
    const empty = run(meshscrape, ['post-render', join(repoRoot, 'pipelines', 'helm', 'meshscrape.yaml')], {
      input: '---\n# Source: empty/templates/none.yaml\n',
    });
    expect(empty).toMatchObject({ code: 1, stdout: '' });
    expect(empty.stderr).toContain('post-render read no resources on stdin');
  });

  it('fails, printing nothing, when MESHSCRAPE_RESULTS_FILE cannot be written or is relative', () => {
    const missing = join(tempDir('helm-results'), 'no-such-dir', 'results.log');
    const out = run(meshscrape, ['post-render', join(repoRoot, 'pipelines', 'helm', 'meshscrape.yaml')], {
      input: helmStream(),
      env: { MESHSCRAPE_RESULTS_FILE: missing },
    });
    expect(out).toMatchObject({ code: 1, stdout: '' });
    expect(out.stderr).toContain(`could not append the results to ${missing} (MESHSCRAPE_RESULTS_FILE)`);
    const relative = run(
      meshscrape,
      ['post-render', join(repoRoot, 'pipelines', 'helm', 'meshscrape.yaml')],
      {
        input: helmStream(),
        env: { MESHSCRAPE_RESULTS_FILE: 'results.log' },
      },
    );
    expect(relative).toMatchObject({ code: 1, stdout: '' });
    expect(relative.stderr).toContain('MESHSCRAPE_RESULTS_FILE=results.log must be an absolute path');
  });
});

describe('Helm 4 post-renderer plugin (pipelines/helm/plugin)', () => {
  const pluginDir = join(repoRoot, 'pipelines', 'helm', 'plugin');
  const plugin = parse(readFileSync(join(pluginDir, 'plugin.yaml'), 'utf8')) as {
    apiVersion: string;
    type: string;
    name: string;
    version: string;
    runtime: string;
    sourceURL: string;
    runtimeConfig: { platformCommand: { command: string; args?: string[]; os?: string }[] };
  };
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
    repository: { url: string };
  };
  // As Helm's subprocess runtime runs it: HELM_PLUGIN_DIR set, the command's variables expanded, meshscrape on PATH.
  const env = { HELM_PLUGIN_DIR: pluginDir, PATH: `${join(repoRoot, 'bin')}:${process.env.PATH ?? ''}` };
  const [entry] = plugin.runtimeConfig.platformCommand;
  const command = (entry?.command ?? '').replace(/\$\{HELM_PLUGIN_DIR\}/g, pluginDir);

  it('is a plugin API v1 postrenderer/v1 subprocess plugin of this version and repository', () => {
    expect(plugin).toMatchObject({
      apiVersion: 'v1',
      type: 'postrenderer/v1',
      name: 'meshscrape',
      version: manifest.version,
      runtime: 'subprocess',
      sourceURL: repositoryWebUrl(manifest.repository.url),
    });
    expect(plugin.runtimeConfig.platformCommand).toHaveLength(1);
    expect(entry?.os).toBeUndefined(); // any platform
    expect(command.startsWith(`${pluginDir}/`)).toBe(true);
  });

  it('runs the bundled pipeline without arguments, as the Helm 3 wrapper does', () => {
    const input = helmStream();
    const viaPlugin = run(command, entry?.args ?? [], { input, env });
    expect(viaPlugin.code, viaPlugin.stderr).toBe(0);
    const viaWrapper = run(wrapper, [], { input });
    expect(viaWrapper.code, viaWrapper.stderr).toBe(0);
    expect(viaPlugin.stdout).toBe(viaWrapper.stdout);
    expect(findResource(streamResources(viaPlugin.stdout), 'ServiceMonitor', 'checkout')).toMatchObject({
      spec: { endpoints: [{ scheme: 'https' }] },
    });
  });

  it('runs the pipeline files Helm passes from --post-renderer-args, and fails loudly on a bad one', () => {
    const dir = tempDir('helm4-plugin');
    const mount = join(dir, 'mount.yaml');
    writeFileSync(
      mount,
      'apiVersion: meshscrape.dev/v1alpha1\nkind: MountIstioCerts\nmetadata:\n  name: certs\n',
    );
    const own = run(command, [mount], { input: helmStream(), env });
    expect(own.code, own.stderr).toBe(0);
    expect(findResource(streamResources(own.stdout), 'ServiceMonitor', 'checkout')).not.toMatchObject({
      spec: { endpoints: [{ scheme: 'https' }] },
    });
    expect(own.stdout).toContain('istio-certs');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: meshscrape.dev/v1alpha1\nkind: NoSuchKind\nmetadata:\n  name: x\n');
    const failed = run(command, [bad], { input: helmStream(), env });
    expect(failed.code).not.toBe(0);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(/NoSuchKind/);
  });
});
