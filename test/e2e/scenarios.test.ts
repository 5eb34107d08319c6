/**
 * The two scenarios meshscrape exists for, each a preset with one runnable example per path in pipelines/NAME/:
 * kustomize's legacy plugins (kustomize/), a kpt package (kpt/, rendered by the real `kpt fn render` as its
 * .expected/ says, and by `meshscrape render` in process), an Argo CD Application (argocd/, its parameters given to
 * argocd-generate as Argo CD gives them) and the Helm post-renderer (helm/, on the sample laid out as `helm template`
 * prints it). Every path must give what `meshscrape render SAMPLE --preset NAME` gives (the reviewed
 * presets/NAME/expected.yaml), and each path's files must hold exactly the preset's steps, so none drifts from it.
 */
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { presets } from '../../src/cli/presets.js';
import { byKind } from '../../src/cli/registry.js';
import { helmTemplateStream } from '../support/helm-stream.js';
import { copyPackage, type KptRender, renderKptPackage } from '../support/kpt-expected.js';
import {
  argocdGenerateInSidecar,
  hasPodman,
  installPlugins,
  makePackage,
  meshscrape,
  normalize,
  packageResources,
  repoRoot,
  run,
  streamResources,
  tempDir,
  version,
} from '../support/orchestrators.js';
import { presetSamples } from '../support/preset-samples.js';

type Config = Record<string, unknown> & { kind: string; metadata: { name: string; annotations?: object } };

/** A config file's document without the local-config annotation the kpt package needs to keep it out of the output. */
function withoutLocalConfig(config: Config): Config {
  const { annotations: _local, ...metadata } = config.metadata;
  return { ...config, metadata };
}

interface KptStep {
  image: string;
  configPath: string;
}

describe.each(presets)('scenario $name (pipelines/$name)', (preset) => {
  const dir = join(repoRoot, 'pipelines', preset.name);
  const sample = presetSamples[preset.name] as string;
  const byPreset = run(meshscrape, ['render', sample, '--preset', preset.name]);
  const expected = normalize(streamResources(byPreset.stdout));
  const configs = preset.configs as readonly Config[];

  it('the preset renders its sample as presets/NAME/expected.yaml says', () => {
    expect(byPreset.code, byPreset.stderr).toBe(0);
    expect(byPreset.stdout).toBe(
      readFileSync(join(repoRoot, 'presets', preset.name, 'expected.yaml'), 'utf8'),
    );
  });

  it('kustomize: pipeline.yaml holds the preset steps; kubectl kustomize with the plugins gives the same', () => {
    const steps = parseAllDocuments(readFileSync(join(dir, 'kustomize', 'pipeline.yaml'), 'utf8')).map((d) =>
      d.toJS(),
    );
    expect(steps).toEqual(configs);
    // kubectl kustomize throws the plugins' stderr away on success: MESHSCRAPE_RESULTS_FILE keeps their results.
    const log = join(tempDir(`scenario-kustomize-${preset.name}`), 'results.log');
    const built = run('kubectl', ['kustomize', '--enable-alpha-plugins', join(dir, 'kustomize')], {
      env: { KUSTOMIZE_PLUGIN_HOME: installPlugins(), MESHSCRAPE_RESULTS_FILE: log },
    });
    expect(built.code, built.stderr).toBe(0);
    expect(normalize(streamResources(built.stdout))).toEqual(expected);
    const results = readFileSync(log, 'utf8');
    expect(results.match(/^# meshscrape kustomize-plugin [a-z-]+: ok$/gm)).toEqual(
      configs.map((c) => `# meshscrape kustomize-plugin ${byKind(c.kind)?.name}: ok`),
    );
    expect(results).toMatch(
      /# meshscrape kustomize-plugin validate-mesh-metrics: ok\n(?:.*\n)*?\[info\]: summary: 0 error\(s\)/,
    );
  });

  describe('kpt package', () => {
    const pkg = join(dir, 'kpt');
    // One real kpt render of the package, shared by the checks that read it.
    let kptRender: KptRender | undefined;
    const renderedByKpt = (): KptRender => {
      kptRender ??= renderKptPackage(pkg);
      return kptRender;
    };
    const kptfile = parse(readFileSync(join(pkg, 'Kptfile'), 'utf8')) as {
      pipeline: { mutators: KptStep[]; validators: KptStep[] };
    };
    const steps = [...kptfile.pipeline.mutators, ...kptfile.pipeline.validators];

    it("its steps are the preset's: each function's image, its config as local config", () => {
      const read = steps.map((step) => {
        const [config] = parseAllDocuments(readFileSync(join(pkg, step.configPath), 'utf8')).map(
          (d) => d.toJS() as Config,
        );
        expect(config?.metadata.annotations).toEqual({ 'config.kubernetes.io/local-config': 'true' });
        expect(step.image).toBe(`localhost/meshscrape-${byKind(config?.kind ?? '')?.name}:v${version}`);
        return withoutLocalConfig(config as Config);
      });
      expect(read).toEqual(configs);
      // The validator is the package's validator, as kpt runs validators after every mutator.
      expect(kptfile.pipeline.validators.map((s) => s.configPath)).toEqual(['validate-mesh-metrics.yaml']);
    });

    it("holds the sample's manifests as they are", () => {
      const manifests = readdirSync(join(repoRoot, sample)).filter(
        (f) => f.endsWith('.yaml') && f !== 'kustomization.yaml',
      );
      for (const file of manifests)
        expect(readFileSync(join(pkg, file), 'utf8'), file).toBe(
          readFileSync(join(repoRoot, sample, file), 'utf8'),
        );
    });

    it('kpt fn render changes what .expected/ says and gives the same resources', () => {
      const render = renderedByKpt();
      expect(render.code, render.stderr).toBe(0);
      expect(render.diff.actual).toBe(render.diff.expected);
      expect(render.results.actual).toBe(render.results.expected);
      expect(normalize(packageResources(render.rendered))).toEqual(expected);
    });

    it('meshscrape render runs its pipeline in process and gives the same', () => {
      const rendered = run(meshscrape, ['render', pkg]);
      expect(rendered.code, rendered.stderr).toBe(0);
      expect(normalize(streamResources(rendered.stdout))).toEqual(expected);
      expect(rendered.stderr).toContain('validate-mesh-metrics: summary: 0 error(s)');
    });

    it.skipIf(!hasPodman)('renders in the Argo CD sidecar image as kpt fn render does', () => {
      const copy = tempDir(`scenario-sidecar-${preset.name}`);
      copyPackage(pkg, copy);
      chmodSync(copy, 0o755);
      const inImage = argocdGenerateInSidecar(copy);
      expect(inImage.code, inImage.stderr).toBe(0);
      const render = renderedByKpt();
      expect(normalize(streamResources(inImage.stdout))).toEqual(
        normalize(packageResources(render.rendered)),
      );
    });
  });

  it("Argo CD: the Application's plugin parameters on its source path give the same", () => {
    const application = parse(readFileSync(join(dir, 'argocd', 'application.yaml'), 'utf8')) as {
      apiVersion: string;
      kind: string;
      spec: {
        source: { path: string; plugin: { name: string; parameters: unknown[] } };
        destination: { server: string };
      };
    };
    expect(application).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' });
    expect(application.spec.destination.server).toBe('https://kubernetes.default.svc');
    const { source } = application.spec;
    expect(source.path).toBe(sample);
    expect(source.plugin.name).toBe(`meshscrape-v${version}`);
    expect(source.plugin.parameters).toEqual([{ name: 'preset', string: preset.name }]);
    const generated = run(meshscrape, ['argocd-generate'], {
      cwd: makePackage(`scenario-argocd-${preset.name}`, join(repoRoot, source.path)),
      env: { ARGOCD_APP_PARAMETERS: JSON.stringify(source.plugin.parameters) },
    });
    expect(generated.code, generated.stderr).toBe(0);
    expect(normalize(streamResources(generated.stdout))).toEqual(expected);
  });

  describe('Helm', () => {
    const pipeline = join(dir, 'helm', 'meshscrape.yaml');
    /** The preset's Namespace steps, turned off: Helm keeps namespaces out of releases. */
    const noNamespaces = (config: Config): Config =>
      config.kind === 'GenerateMeshPolicies'
        ? { ...config, createNamespaces: false }
        : config.kind === 'RelocateNamespace'
          ? { ...config, createNamespace: false }
          : config;
    const generatedNamespace = (r: { kind?: unknown; metadata?: { annotations?: Record<string, string> } }) =>
      r.kind === 'Namespace' && r.metadata?.annotations?.['meshscrape.dev/generated-by'] !== undefined;

    it("helm/meshscrape.yaml holds the preset's steps, generating no Namespace", () => {
      const steps = parseAllDocuments(readFileSync(pipeline, 'utf8')).map((d) => d.toJS());
      expect(steps).toEqual(configs.map(noNamespaces));
    });

    it('the post-renderer on the chart as helm template prints it gives the same, less generated Namespaces', () => {
      const input = helmTemplateStream(join(repoRoot, sample), preset.name);
      // Helm 3 shows a post-renderer's stderr only when it fails: MESHSCRAPE_RESULTS_FILE keeps the results.
      const log = join(tempDir(`scenario-helm-${preset.name}`), 'results.log');
      const rendered = run(meshscrape, ['post-render', pipeline], {
        input,
        env: { MESHSCRAPE_RESULTS_FILE: log },
      });
      expect(rendered.code, rendered.stderr).toBe(0);
      expect(normalize(streamResources(rendered.stdout))).toEqual(
        expected.filter((r) => !generatedNamespace(r)),
      );
      expect(rendered.stderr).toContain('validate-mesh-metrics: summary: 0 error(s)');
      expect(readFileSync(log, 'utf8')).toBe(`# meshscrape post-render ${pipeline}: ok\n${rendered.stderr}`);
    });

    it('a chart without a Namespace object renders with none in the release', () => {
      const input = helmTemplateStream(join(repoRoot, sample), preset.name)
        .split(/^(?=---\n)/m)
        .filter((doc) => !/^kind: Namespace$/m.test(doc))
        .join('');
      const rendered = run(meshscrape, ['post-render', pipeline], { input });
      expect(rendered.code, rendered.stderr).toBe(0);
      expect(streamResources(rendered.stdout).filter((r) => r.kind === 'Namespace')).toEqual([]);
    });
  });
});
