/**
 * Acceptance on public manifests the repository does not carry, from ../shared/fixtures (present beside every clone
 * in CI): kube-prometheus through the real `kubectl kustomize` with the legacy plugins, and Istio's samples (addon
 * Prometheus, its operator extras, bookinfo) through `kpt fn eval`.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { crdValidator } from '../support/crd-schema.js';
import { modelProblems } from '../support/operator-models.js';
import { installPlugins, repoRoot, run, streamResources, tempDir } from '../support/orchestrators.js';
import { sharedFixture } from '../support/shared-fixtures.js';

const manifests = join(repoRoot, '..', 'shared', 'fixtures', 'real-world', 'kube-prometheus', 'manifests');
const certFiles = {
  caFile: '/etc/prom-certs/root-cert.pem',
  certFile: '/etc/prom-certs/cert-chain.pem',
  keyFile: '/etc/prom-certs/key.pem',
  insecureSkipVerify: true,
};

type Resource = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: Record<string, unknown>;
};
type Endpoint = { port?: string; scheme?: string; tlsConfig?: Record<string, unknown> };

/** A kustomization over copies of the manifests (kustomize refuses files outside its root), plus `files`. */
function kustomizeDir(files: Record<string, string>, transformers: string[]): string {
  const dir = tempDir('real-world');
  const list = readdirSync(manifests).filter((f) => f.endsWith('.yaml'));
  for (const file of list) cpSync(join(manifests, file), join(dir, file));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const resources = [...list, 'ns.yaml'].map((f) => `- ${f}`).join('\n');
  const transformerList =
    transformers.length > 0 ? `transformers:\n${transformers.map((t) => `- ${t}`).join('\n')}\n` : '';
  writeFileSync(join(dir, 'kustomization.yaml'), `resources:\n${resources}\n${transformerList}`);
  return dir;
}

describe.skipIf(!sharedFixture('kube-prometheus/manifests', 'kube-prometheus through kubectl kustomize'))(
  'kube-prometheus manifests through kubectl kustomize',
  () => {
    let input: Resource[];
    let output: Resource[];
    let pluginHome: string;
    let stderr: string;
    const files = {
      'ns.yaml':
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: monitoring\n  labels:\n    istio-injection: enabled\n',
      'certs.yaml': 'apiVersion: meshscrape.dev/v1alpha1\nkind: MountIstioCerts\nmetadata:\n  name: certs\n',
      'tls.yaml': 'apiVersion: meshscrape.dev/v1alpha1\nkind: SetMonitorTLS\nmetadata:\n  name: tls\n',
    };

    beforeAll(() => {
      pluginHome = installPlugins();
      const before = run('kubectl', ['kustomize', kustomizeDir(files, [])]);
      expect(before.code, before.stderr).toBe(0);
      input = streamResources(before.stdout) as Resource[];
      const build = run(
        'kubectl',
        ['kustomize', '--enable-alpha-plugins', kustomizeDir(files, ['certs.yaml', 'tls.yaml'])],
        {
          env: { KUSTOMIZE_PLUGIN_HOME: pluginHome },
        },
      );
      expect(build.code, build.stderr).toBe(0);
      output = streamResources(build.stdout) as Resource[];
      // kubectl kustomize drops a plugin's stderr when it succeeds: read the results from the same steps run alone.
      const dir = tempDir('real-world-results');
      writeFileSync(join(dir, 'certs.yaml'), files['certs.yaml']);
      writeFileSync(join(dir, 'tls.yaml'), files['tls.yaml']);
      const bin = join(repoRoot, 'bin', 'meshscrape');
      const mounted = run(bin, ['kustomize-plugin', 'mount-istio-certs', join(dir, 'certs.yaml')], {
        input: before.stdout,
      });
      const tls = run(bin, ['kustomize-plugin', 'set-monitor-tls', join(dir, 'tls.yaml')], {
        input: mounted.stdout,
      });
      expect(tls.code, tls.stderr).toBe(0);
      stderr = tls.stderr;
    });

    it('reports endpoints with their own TLS behind a STRICT sidecar with both fixes, and the self-scrape exception', () => {
      for (const name of [
        'kube-state-metrics',
        'blackbox-exporter',
        'prometheus-adapter',
        'prometheus-operator',
      ]) {
        const line = stderr
          .split('\n')
          .find((l) => l.startsWith(`[warning] ServiceMonitor/monitoring/${name} `));
        expect(line, name).toMatch(
          /(has its own TLS|serves TLS itself) on a port Istio captures under STRICT/,
        );
        expect(line, name).toMatch(/excludeInboundPorts/);
        expect(line, name).toMatch(/port-level PERMISSIVE exception/);
      }
      // mount-istio-certs opened the self-scrape ports (PERMISSIVE), so set-monitor-tls has nothing to ask for.
      expect(stderr).not.toMatch(/keeps inbound capture \(inbound: mesh\) and runs 2 pods/);
      expect(stderr).toMatch(
        /ServiceMonitor\/monitoring\/prometheus-k8s \(spec\.endpoints\[0\]\): left as is: port 9090 of Prometheus\/monitoring\/k8s is the scraper's own/,
      );
      expect(stderr).toMatch(/summary: 3 endpoint\(s\) set to https/);
      // prometheus-adapter is also the metrics APIService backend: the kube-apiserver has no mesh identity.
      expect(stderr).toMatch(
        /^\[warning\] APIService\/v1beta1\.metrics\.k8s\.io \(spec\.service\): the kube-apiserver calls/m,
      );
    });

    it('loses no resource, and adds only the self-scrape exception of the two-replica Prometheus', () => {
      const generatedHere = (r: Resource): boolean =>
        (r.metadata as { annotations?: Record<string, string> }).annotations?.[
          'meshscrape.dev/generated-by'
        ] === 'mount-istio-certs';
      expect(
        output
          .filter((r) => !generatedHere(r))
          .map((r) => `${r.kind}/${r.metadata.name}`)
          .sort(),
      ).toEqual(input.map((r) => `${r.kind}/${r.metadata.name}`).sort());
      expect(output.filter(generatedHere).map((r) => `${r.kind}/${r.metadata.name}`)).toEqual([
        'PeerAuthentication/prometheus-k8s-self-scrape',
      ]);
    });

    it('puts in-mesh endpoints on https with the cert files and leaves endpoints with their own TLS untouched', () => {
      const monitors = output.filter((r) => r.kind === 'ServiceMonitor');
      expect(monitors.length).toBeGreaterThan(10);
      let secured = 0;
      for (const monitor of monitors) {
        const original = input.find(
          (r) => r.kind === 'ServiceMonitor' && r.metadata.name === monitor.metadata.name,
        );
        const before = (original?.spec.endpoints ?? []) as Endpoint[];
        const after = monitor.spec.endpoints as Endpoint[];
        for (const [i, endpoint] of after.entries()) {
          const was = before[i] as Endpoint;
          if (was.scheme === 'https' || was.tlsConfig) {
            expect(endpoint, `${monitor.metadata.name}[${i}]`).toEqual(was);
          } else if (
            monitor.metadata.namespace === 'monitoring' &&
            ['alertmanager-main', 'grafana'].includes(monitor.metadata.name)
          ) {
            expect(endpoint).toMatchObject({ scheme: 'https', tlsConfig: certFiles });
            secured++;
          } else if (monitor.metadata.name === 'prometheus-k8s') {
            // The self-scrape: each replica reaches itself directly, in plain text (domain.md section 0, step 7).
            expect(endpoint, `prometheus-k8s[${i}]`).toEqual(was);
          }
        }
      }
      expect(secured).toBe(3);
      const kubelet = output.find((r) => r.kind === 'ServiceMonitor' && r.metadata.name === 'kubelet');
      expect(kubelet).toEqual(
        input.find((r) => r.kind === 'ServiceMonitor' && r.metadata.name === 'kubelet'),
      );
    });

    it('mounts the certs in the Prometheus CR and reaches Alertmanager with them', () => {
      const prometheus = output.find((r) => r.kind === 'Prometheus');
      expect(prometheus?.spec).toMatchObject({
        volumes: [{ name: 'istio-certs', emptyDir: { medium: 'Memory' } }],
        volumeMounts: [{ name: 'istio-certs', mountPath: '/etc/prom-certs/' }],
        podMetadata: {
          labels: { 'sidecar.istio.io/inject': 'true' },
          annotations: { 'traffic.sidecar.istio.io/includeOutboundIPRanges': '' },
        },
        alerting: { alertmanagers: [{ name: 'alertmanager-main', scheme: 'https', tlsConfig: certFiles }] },
      });
    });

    it('writes ServiceMonitors valid for the CRD', () => {
      const validate = crdValidator(join(repoRoot, 'test', 'fixtures', 'crds', 'servicemonitor.yaml'), 'v1');
      for (const monitor of output.filter((r) => r.kind === 'ServiceMonitor')) {
        expect(validate(monitor), monitor.metadata.name).toEqual([]);
      }
    });

    it('writes a Prometheus valid for the operator API types', () => {
      const prometheus = output.filter((r) => r.kind === 'Prometheus');
      expect(prometheus).toHaveLength(1);
      for (const resource of prometheus) expect(modelProblems(resource), resource.metadata.name).toEqual([]);
    });

    it('gives the same output on a second run', () => {
      const again = tempDir('real-world-again');
      const first = run(
        'kubectl',
        ['kustomize', '--enable-alpha-plugins', kustomizeDir(files, ['certs.yaml', 'tls.yaml'])],
        {
          env: { KUSTOMIZE_PLUGIN_HOME: pluginHome },
        },
      );
      writeFileSync(join(again, 'all.yaml'), first.stdout);
      writeFileSync(join(again, 'certs.yaml'), files['certs.yaml']);
      writeFileSync(join(again, 'tls.yaml'), files['tls.yaml']);
      writeFileSync(
        join(again, 'kustomization.yaml'),
        'resources:\n- all.yaml\ntransformers:\n- certs.yaml\n- tls.yaml\n',
      );
      const second = run('kubectl', ['kustomize', '--enable-alpha-plugins', again], {
        env: { KUSTOMIZE_PLUGIN_HOME: pluginHome },
      });
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toBe(first.stdout);
    });
  },
);

const istioSamples = join(repoRoot, '..', 'shared', 'fixtures', 'real-world', 'istio', 'samples');

describe.skipIf(!sharedFixture('istio/samples', "Istio's samples through kpt fn eval"))(
  "Istio's samples through kpt fn eval",
  () => {
    /** A package of Istio's addon Prometheus, its operator extras and bookinfo, in an injected namespace. */
    function istioPackage(): string {
      const dir = tempDir('istio-samples');
      for (const file of [
        'addons/prometheus.yaml',
        'addons/extras/prometheus-operator.yaml',
        'bookinfo/platform/kube/bookinfo.yaml',
      ])
        cpSync(join(istioSamples, file), join(dir, file.replaceAll('/', '-')));
      writeFileSync(
        join(dir, 'namespaces.yaml'),
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: istio-system\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\n  labels:\n    istio-injection: enabled\n',
      );
      return dir;
    }
    const evaluate = (dir: string, fn: string, args: string[] = []) =>
      run('kpt', [
        'fn',
        'eval',
        dir,
        '--exec',
        `${join(repoRoot, 'bin', 'meshscrape')} ${fn}`,
        '--',
        ...args,
      ]);

    it("leaves Istio's own metrics monitors plain and says why", () => {
      // kpt re-formats the files it writes (and drops a blank line in a comment block on every pass): the
      // baseline is one pass-through run on a fresh copy.
      const files = (dir: string) => readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
      const baseline = istioPackage();
      expect(run('kpt', ['fn', 'eval', baseline, '--exec', 'cat']).code).toBe(0);
      const messages = {
        'set-monitor-tls': /istio-component-monitor.*http-monitoring is in plainPorts/,
        'fix-pod-monitors': /envoy-stats-monitor: scrapes only Istio's own metrics ports/,
      };
      for (const [fn, message] of Object.entries(messages)) {
        const dir = istioPackage();
        const result = evaluate(dir, fn);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stderr).toMatch(message);
        expect(files(dir)).toEqual(files(baseline));
      }
    });

    it('refuses to mount the certs in a Prometheus that opts out of injection, changing nothing', () => {
      const dir = istioPackage();
      const before = readFileSync(join(dir, 'addons-prometheus.yaml'), 'utf8');
      // kpt writes nothing when the function exits 1: the file stays exactly as it was.
      const workloads = JSON.stringify([
        {
          kind: 'Deployment',
          name: 'prometheus',
          namespace: 'istio-system',
          containers: ['prometheus-server'],
        },
      ]);
      const result = evaluate(dir, 'mount-istio-certs', [`workloads=${workloads}`]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/sidecar\.istio\.io\/inject is "false", the cert recipe needs "true"/);
      expect(readFileSync(join(dir, 'addons-prometheus.yaml'), 'utf8')).toBe(before);
    });
  },
);
