/**
 * `bin/meshscrape explain` as people and tools run it: on kube-prometheus' manifests (from ../shared/fixtures) in an
 * injected namespace, on the bundled example, and on every input form the other modes take.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { meshscrape, repoRoot, run, tempDir } from '../support/orchestrators.js';
import { resourceList } from '../support/resource-list.js';
import { sharedFixture } from '../support/shared-fixtures.js';

const manifests = join(repoRoot, '..', 'shared', 'fixtures', 'real-world', 'kube-prometheus', 'manifests');
const injected =
  'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: monitoring\n  labels:\n    istio-injection: enabled\n';

/** The JSON report's row, as documented in README.md ("explain"). */
interface Row {
  monitor: { kind: string; namespace: string | null; name: string };
  endpoint: { index: number | null; port: string | null };
  scrapers: { kind: string; namespace: string; name: string; loads: boolean | 'unknown' }[];
  notLoaded: string | null;
  target: {
    kind: string | null;
    namespace: string | null;
    name: string | null;
    containerPort: number | null;
  } | null;
  capture: { state: string; reason: string } | null;
  mtls: { mode: string; source: string; assumed: boolean } | null;
  sends: { scheme: string; tls: string } | null;
  needs: { send: string; reason: string } | null;
  verdict: string;
  reason: string;
  fixes: { fix: string; detail: string }[];
}
interface Report {
  kind: string;
  assumptions: { meshMtls: string; rootNamespace: string; meshMtlsUsed: boolean };
  summary: Record<string, number>;
  rows: Row[];
}

const explain = (args: string[], input?: string) =>
  run(meshscrape, ['explain', ...args], input === undefined ? {} : { input });

const missing = sharedFixture('kube-prometheus/manifests', 'explain on kube-prometheus') === undefined;
describe.skipIf(missing)(
  missing
    ? `explain on kube-prometheus (skipped: ${manifests} is missing)`
    : 'explain on kube-prometheus in an injected namespace',
  () => {
    let dir: string;
    let report: Report;
    const row = (monitor: string, index: number): Row => {
      const found = report.rows.filter((r) => r.monitor.name === monitor && r.endpoint.index === index);
      expect(found, `${monitor} endpoint ${index}`).toHaveLength(1);
      return found[0] as Row;
    };

    beforeAll(() => {
      dir = tempDir('explain-kube-prometheus');
      for (const file of readdirSync(manifests).filter((f) => f.endsWith('.yaml')))
        cpSync(join(manifests, file), join(dir, file));
      writeFileSync(join(dir, 'namespace.yaml'), injected);
      const result = explain(['--json', dir]);
      expect(result.code, result.stderr).toBe(1);
      report = JSON.parse(result.stdout) as Report;
    });

    it('reports kube-state-metrics https-main (kube-rbac-proxy) broken under STRICT with both fixes', () => {
      const main = row('kube-state-metrics', 0);
      expect(main).toMatchObject({
        endpoint: { port: 'https-main' },
        scrapers: [{ kind: 'Prometheus', namespace: 'monitoring', name: 'k8s', loads: true }],
        target: {
          kind: 'Deployment',
          namespace: 'monitoring',
          name: 'kube-state-metrics',
          containerPort: 8443,
        },
        capture: { state: 'captured' },
        mtls: { mode: 'STRICT', assumed: true },
        sends: { scheme: 'https', tls: 'own' },
        verdict: 'broken',
      });
      expect(main.fixes.map((f) => f.fix)).toEqual(['exclude-port', 'permissive-port']);
      expect(main.fixes[0]?.detail).toMatch(/port 8443 .*Deployment\/monitoring\/kube-state-metrics/);
    });

    it('reports the prometheus-k8s web endpoint as a self-scrape', () => {
      const web = row('prometheus-k8s', 0);
      expect(web).toMatchObject({
        endpoint: { port: 'web' },
        target: { kind: 'Prometheus', name: 'k8s', containerPort: 9090 },
        sends: { scheme: 'http' },
        needs: { send: 'self' },
      });
      // Two replicas keeping inbound capture: the others' STRICT sidecars refuse its plain http.
      expect(web.verdict).toBe('broken');
      expect(web.reason).toMatch(/scraper's own.*self-scrape.*2 pods/);
      expect(web.fixes.map((f) => f.fix)).toEqual(['permissive-port', 'inbound-bypass']);
    });

    it('reports in-mesh plain monitors broken until mount-istio-certs and set-monitor-tls, and out-of-mesh ones working', () => {
      expect(row('grafana', 0)).toMatchObject({
        verdict: 'broken',
        fixes: [{ fix: 'mount-istio-certs', detail: expect.stringMatching(/, then set-monitor-tls: https/) }],
      });
      expect(row('node-exporter', 0)).toMatchObject({ capture: { state: 'not-captured' }, verdict: 'works' });
      expect(row('kubelet', 0)).toMatchObject({ target: { namespace: 'kube-system' }, verdict: 'works' });
      expect(report.assumptions).toEqual({
        meshMtls: 'STRICT',
        rootNamespace: 'istio-system',
        meshMtlsUsed: true,
      });
      expect(report.summary.rows).toBe(report.rows.length);
    });

    it('prints the same rows as an aligned table', () => {
      const result = explain([dir]);
      expect(result.code).toBe(1);
      const lines = result.stdout.split('\n');
      const header = lines[0] as string;
      expect(header).toMatch(
        /^#\s+MONITOR\s+ENDPOINT\s+SCRAPER\s+TARGET\s+CAPTURED\s+MTLS\s+SENDS\s+VERDICT$/,
      );
      const ksm = lines.find((l) =>
        /ServiceMonitor\/monitoring\/kube-state-metrics\s+0:https-main/.test(l),
      ) as string;
      expect(ksm).toMatch(
        /monitoring\/k8s\s+Deployment\/monitoring\/kube-state-metrics:8443\s+yes\s+STRICT \(assumed\)\s+https \(own TLS\)\s+broken$/,
      );
      // Columns line up: every cell of a column starts where its header does.
      expect(ksm.indexOf('Deployment/')).toBe(header.indexOf('TARGET'));
      expect(ksm.lastIndexOf('broken')).toBe(header.indexOf('VERDICT'));
      expect(result.stdout).toMatch(
        /fix 1: +exclude port 8443 from inbound capture on Deployment\/monitoring\/kube-state-metrics/,
      );
      expect(result.stdout).toMatch(/fix 2: +add a port-level PERMISSIVE exception for port 8443/);
      expect(result.stdout).toMatch(/endpoint target\(s\): \d+ works, \d+ broken/);
    });

    it('with --mesh-mtls PERMISSIVE, plain monitors work and own TLS passes', () => {
      const result = explain(['--json', '--mesh-mtls', 'PERMISSIVE', dir]);
      const permissive = JSON.parse(result.stdout) as Report;
      const find = (name: string) =>
        permissive.rows.find((r) => r.monitor.name === name && r.endpoint.index === 0);
      expect(find('grafana')?.verdict).toBe('works');
      expect(find('kube-state-metrics')?.verdict).toBe('works');
      expect(find('prometheus-k8s')?.verdict).toBe('works');
    });
  },
);

describe('explain input forms and exit status', () => {
  const example = join(repoRoot, 'pipelines', 'example');
  const resources = ['namespaces.yaml', 'shop.yaml', 'monitoring.yaml']
    .map((f) => readFileSync(join(example, f), 'utf8'))
    .join('\n---\n');
  const rowsOf = (stdout: string) =>
    (JSON.parse(stdout) as Report).rows.map((r) => `${r.monitor.name}[${r.endpoint.index}] ${r.verdict}`);

  it('reads a directory with a kustomization, a YAML stream, a ResourceList and a JSON List alike', () => {
    const fromDir = explain(['--json', example]);
    expect(fromDir.code, fromDir.stderr).toBe(1);
    const expected = rowsOf(fromDir.stdout);
    expect(expected.length).toBeGreaterThan(3);
    const stream = explain(['--json'], resources);
    expect(rowsOf(stream.stdout)).toEqual(expected);
    expect(rowsOf(explain(['--json', '-'], resourceList(resources)).stdout)).toEqual(expected);
    const file = join(tempDir('explain-json'), 'list.json');
    const json = run(
      'node',
      [
        '-e',
        `const {parseAllDocuments}=require('yaml');const t=require('fs').readFileSync(0,'utf8');process.stdout.write(JSON.stringify({apiVersion:'v1',kind:'List',items:parseAllDocuments(t).map(d=>d.toJS()).filter(Boolean)}))`,
      ],
      { input: resources },
    );
    writeFileSync(file, json.stdout);
    expect(rowsOf(explain(['--json', file]).stdout)).toEqual(expected);
  });

  it('exits 0 when nothing is broken', () => {
    const fine = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: cart
  namespace: shop
spec:
  selector:
    matchLabels:
      app: cart
  endpoints:
    - port: metrics
`;
    const result = explain([], fine);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/1 endpoint target\(s\): 1 works/);
  });

  it('gives usage errors and unreadable input exit 2 with a message, never a stack', () => {
    for (const args of [
      ['--bogus'],
      ['--mesh-mtls', 'LOOSE'],
      ['a.yaml', 'b.yaml'],
      ['/no/such/file.yaml'],
    ]) {
      const result = explain(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^meshscrape explain: /);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    const malformed = explain([], 'kind: [\n');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/nothing was analysed/);
  });

  it('is documented in --help and explain --help', () => {
    expect(run(meshscrape, ['--help']).stdout).toMatch(/meshscrape explain \[--json\]/);
    const help = explain(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit status: 0 when no row is broken, 1 when one is, 2 for a usage error/);
  });
});
