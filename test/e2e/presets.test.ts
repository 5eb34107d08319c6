/**
 * Presets: each rendered on its sample gives the reviewed presets/NAME/expected.yaml (manifests) and
 * expected-summary.txt (what render tells a person); `--preset`, a meshscrape.yaml `preset: NAME` document and
 * Argo CD's `preset` parameter give the same result; the scrapes the result sets up work (explain); and each runs
 * on the real manifests (kube-prometheus from ../shared, the hand-written ama-metrics chart rendering).
 * Regenerate the expected files with UPDATE_GOLDEN=1, then read the diff.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { presets } from '../../src/cli/presets.js';
import {
  findResource,
  makePackage,
  meshscrape,
  normalize,
  repoRoot,
  run,
  streamResources,
  tempDir,
} from '../support/orchestrators.js';
import { presetSamples } from '../support/preset-samples.js';

const update = process.env.UPDATE_GOLDEN === '1';
const samples = presetSamples;

const render = (dir: string, preset?: string) =>
  run(meshscrape, ['render', dir, ...(preset ? ['--preset', preset] : [])]);

function golden(path: string, actual: string): void {
  const file = join(repoRoot, path);
  if (update) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

/** The pod template labels of a workload in the output. */
const templateLabels = (resources: ReturnType<typeof streamResources>, kind: string, name: string) =>
  (
    findResource(resources, kind, name) as {
      spec: { template: { metadata: { labels: Record<string, string> } } };
    }
  ).spec.template.metadata.labels;

describe('presets', () => {
  it('every preset has a sample and a README', () => {
    expect(presets.map((p) => p.name).sort()).toEqual(Object.keys(samples).sort());
    for (const preset of presets)
      expect(readFileSync(join(repoRoot, 'presets', preset.name, 'README.md'), 'utf8')).toContain(
        `# ${preset.name}`,
      );
  });

  for (const [name, sample] of Object.entries(samples))
    it(`${name} on its sample gives the reviewed manifests and summary`, () => {
      const rendered = render(sample, name);
      expect(rendered.code, rendered.stderr).toBe(0);
      golden(`presets/${name}/expected.yaml`, rendered.stdout);
      golden(`presets/${name}/expected-summary.txt`, rendered.stderr);
    });

  for (const [name, sample] of Object.entries(samples))
    it(`${name}: --preset, a meshscrape.yaml preset document and Argo CD's preset parameter agree`, () => {
      const byFlag = render(sample, name);
      const dir = makePackage(`preset-${name}`, join(repoRoot, sample));
      writeFileSync(join(dir, 'meshscrape.yaml'), `# the preset as a pipeline step\npreset: ${name}\n`);
      const byFile = render(dir);
      expect(byFile.code, byFile.stderr).toBe(0);
      const byParameter = run(meshscrape, ['argocd-generate'], {
        cwd: makePackage(`preset-argocd-${name}`, join(repoRoot, sample)),
        env: { ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: 'preset', string: name }]) },
      });
      expect(byParameter.code, byParameter.stderr).toBe(0);
      const expected = normalize(streamResources(byFlag.stdout));
      expect(normalize(streamResources(byFile.stdout))).toEqual(expected);
      expect(normalize(streamResources(byParameter.stdout))).toEqual(expected);
    });

  it('istio-strict-monitoring: every scrape of the example works, and the namespace goes STRICT', () => {
    const rendered = render(samples['istio-strict-monitoring'] as string, 'istio-strict-monitoring');
    const out = tempDir('preset-explain');
    writeFileSync(join(out, 'rendered.yaml'), rendered.stdout);
    const explained = run(meshscrape, ['explain', '--json', join(out, 'rendered.yaml')]);
    const report = JSON.parse(explained.stdout) as { summary: Record<string, number> };
    expect(report.summary).toMatchObject({ broken: 0 });
    const resources = streamResources(rendered.stdout);
    expect(findResource(resources, 'PeerAuthentication', 'default')).toMatchObject({
      metadata: { namespace: 'monitoring' },
      spec: { mtls: { mode: 'STRICT' } },
    });
    expect(findResource(resources, 'ServiceMonitor', 'checkout')).toMatchObject({
      spec: { endpoints: [{ scheme: 'https', tlsConfig: { certFile: '/etc/prom-certs/cert-chain.pem' } }] },
    });
    // No ALLOW policy: a first ALLOW policy would deny the app's own clients (the preset README says why).
    expect(resources.filter((r) => r.kind === 'AuthorizationPolicy')).toEqual([]);
  });

  it('ama-metrics-istio: collectors in monitoring with the cert mount; Windows collector and KSM out of the mesh', () => {
    const resources = streamResources(
      render(samples['ama-metrics-istio'] as string, 'ama-metrics-istio').stdout,
    );
    const namespaceOf = (kind: string, n: string) =>
      (findResource(resources, kind, n)?.metadata as { namespace?: string }).namespace;
    expect(namespaceOf('Deployment', 'ama-metrics')).toBe('monitoring');
    expect(namespaceOf('DaemonSet', 'ama-metrics-node')).toBe('monitoring');
    expect(namespaceOf('Deployment', 'ama-metrics-operator-targets')).toBe('kube-system');
    expect(templateLabels(resources, 'Deployment', 'ama-metrics')['sidecar.istio.io/inject']).toBe('true');
    expect(templateLabels(resources, 'DaemonSet', 'ama-metrics-node')['sidecar.istio.io/inject']).toBe(
      'true',
    );
    expect(templateLabels(resources, 'DaemonSet', 'ama-metrics-win-node')['sidecar.istio.io/inject']).toBe(
      'false',
    );
    expect(templateLabels(resources, 'Deployment', 'ama-metrics-ksm')['sidecar.istio.io/inject']).toBe(
      'false',
    );
    expect(findResource(resources, 'Deployment', 'ama-metrics')).toMatchObject({
      spec: {
        template: {
          spec: {
            volumes: expect.arrayContaining([{ name: 'istio-certs', emptyDir: { medium: 'Memory' } }]),
          },
        },
      },
    });
  });

  it('a preset document naming no preset fails the render, naming the file and document', () => {
    const dir = makePackage('preset-unknown', join(repoRoot, 'pipelines', 'example'));
    writeFileSync(join(dir, 'meshscrape.yaml'), 'preset: big-bang\n');
    const rendered = render(dir);
    expect(rendered).toMatchObject({ code: 1, stdout: '' });
    expect(rendered.stderr).toContain(
      `document 0 of ${join(dir, 'meshscrape.yaml')}: unknown preset "big-bang"; known presets: istio-strict-monitoring, ama-metrics-istio`,
    );
    writeFileSync(join(dir, 'meshscrape.yaml'), 'preset: istio-strict-monitoring\nkind: SetMonitorTLS\n');
    expect(render(dir).code).toBe(1);
    const unknown = render(dir, 'nope');
    // A usage error (2), as an unknown option is: nothing rendered, the help printed.
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toContain(
      '--preset: unknown preset "nope"; known presets: istio-strict-monitoring',
    );
  });

  const kubePrometheus = join(
    repoRoot,
    '..',
    'shared',
    'fixtures',
    'real-world',
    'kube-prometheus',
    'manifests',
  );
  it.skipIf(!existsSync(kubePrometheus))(
    'istio-strict-monitoring on kube-prometheus (needs ../shared/fixtures): renders, and no scrape is broken',
    () => {
      const rendered = render(kubePrometheus, 'istio-strict-monitoring');
      expect(rendered.code, rendered.stderr).toBe(0);
      expect(rendered.stderr).toContain('validate-mesh-metrics: summary: 0 error(s)');
      // kube-prometheus' Namespace has no injection label: the one warning says so, and names the fix.
      expect(rendered.stderr).toContain('the Namespace monitoring does not enable sidecar injection');
      const out = tempDir('preset-kube-prometheus');
      writeFileSync(join(out, 'rendered.yaml'), rendered.stdout);
      const report = JSON.parse(
        run(meshscrape, ['explain', '--json', join(out, 'rendered.yaml')]).stdout,
      ) as {
        summary: Record<string, number>;
      };
      expect(report.summary).toMatchObject({ broken: 0 });
      // Big Bang style, the namespace injected: 20 endpoints work, the 2 of kube-apiserver (no pods) are unknown.
      const injected = tempDir('preset-kube-prometheus-injected');
      cpSync(kubePrometheus, injected, { recursive: true });
      const namespace = join(injected, 'setup', 'namespace.yaml');
      writeFileSync(
        namespace,
        readFileSync(namespace, 'utf8').replace('  labels:\n', '  labels:\n    istio-injection: enabled\n'),
      );
      const meshed = render(injected, 'istio-strict-monitoring');
      expect(meshed.code, meshed.stderr).toBe(0);
      writeFileSync(join(out, 'meshed.yaml'), meshed.stdout);
      const meshedReport = JSON.parse(
        run(meshscrape, ['explain', '--json', join(out, 'meshed.yaml')]).stdout,
      ) as {
        summary: Record<string, number>;
      };
      expect(meshedReport.summary).toMatchObject({ rows: 22, works: 20, broken: 0, unknown: 2 });
    },
  );
  if (!existsSync(kubePrometheus))
    console.warn(`presets.test.ts: ${kubePrometheus} is missing, the kube-prometheus case is skipped`);

  it('ama-metrics-istio on the full hand-written rendering of the add-on chart', () => {
    const dir = tempDir('preset-ama-full');
    writeFileSync(
      join(dir, 'rendered.yaml'),
      readFileSync(join(repoRoot, 'test', 'fixtures', 'ama-metrics', 'rendered.yaml'), 'utf8'),
    );
    const rendered = render(dir, 'ama-metrics-istio');
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(rendered.stderr).toMatch(/0 errors, \d+ warnings/);
    expect(rendered.stderr).toContain('validate-mesh-metrics: summary: 0 error(s), 0 warning(s)');
  });
});
