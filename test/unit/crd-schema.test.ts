/**
 * The structural CRD validator (src/domain/crd-schema.ts) and its bundle: the bundle matches the CRD files, every
 * real-world resource of the bundled kinds passes, each keyword the validator reads catches what it should, and
 * ajv on the full CRD (test/support/crd-schema.ts) agrees on type, enum and required errors.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { checkAgainstCrd } from '../../src/domain/crd-schema.js';
import type { Json } from '../../src/krm/index.js';
import { crdValidator } from '../support/crd-schema.js';
import { sharedFixture } from '../support/shared-fixtures.js';

const root = join(import.meta.dirname, '..', '..');
type Resource = { apiVersion: string; kind: string; [key: string]: Json };

const problemsOf = (resource: Resource): string[] => {
  const [group, version] = resource.apiVersion.split('/') as [string, string];
  const result = checkAgainstCrd(group, version, resource.kind, resource);
  return result.checked
    ? result.problems.map((p) => `${p.path}: ${p.message}`)
    : [`unchecked: ${result.reason}`];
};

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

const bundledGroups = ['networking.istio.io', 'security.istio.io', 'monitoring.coreos.com'];
const realWorld = [
  ...['kube-prometheus', 'istio'].flatMap((dir) => {
    const found = sharedFixture(dir, `CRD schema checks on ${dir}'s manifests`);
    return found ? yamlFiles(found) : [];
  }),
  join(root, 'test', 'fixtures', 'ama-metrics', 'rendered.yaml'),
  // Every golden case's input but those that feed invalid resources on purpose.
  ...yamlFiles(join(root, 'functions')).filter(
    (f) =>
      f.endsWith('/resources.yaml') && !f.includes('/missing-endpoints/') && !f.includes('/schema-errors/'),
  ),
].flatMap((file) =>
  parseAllDocuments(readFileSync(file, 'utf8'), { version: '1.1' })
    .map((d) => d.toJS() as Resource | null)
    .filter((r): r is Resource => !!r && bundledGroups.some((g) => r.apiVersion?.startsWith(`${g}/`)))
    .filter((r) => problemsOf(r)[0] !== 'unchecked: no-schema')
    .map((r) => ({ file: file.slice(root.length), resource: r })),
);

describe('the bundled CRD schemas', () => {
  it('match the CRD files (scripts/crd-schemas.mjs --check)', () => {
    expect(() => execFileSync('node', [join(root, 'scripts', 'crd-schemas.mjs'), '--check'])).not.toThrow();
  });

  it('accept every real-world and golden-case resource of their kinds', () => {
    const kinds = new Set(realWorld.map((r) => r.resource.kind));
    expect([...kinds].sort()).toEqual([
      'Alertmanager',
      'AuthorizationPolicy',
      'DestinationRule',
      'PeerAuthentication',
      'PodMonitor',
      'Probe',
      'Prometheus',
      'PrometheusAgent',
      'ScrapeConfig',
      'ServiceEntry',
      'ServiceMonitor',
      'Sidecar',
      'VirtualService',
    ]);
    for (const { file, resource } of realWorld)
      expect(problemsOf(resource), `${file} ${resource.kind}`).toEqual([]);
  });
});

const serviceEntry = (spec: Record<string, Json>): Resource => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  metadata: { name: 'x', namespace: 'shop' },
  spec: { hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], ...spec },
});

describe('checkAgainstCrd', () => {
  it('reports an unknown field, as strict field validation does', () => {
    expect(problemsOf(serviceEntry({ resolutions: 'DNS' }))).toEqual([
      'spec.resolutions: unknown field "resolutions"',
    ]);
  });

  it('reports a value outside an enum', () => {
    expect(problemsOf(serviceEntry({ resolution: 'DNSS' }))[0]).toMatch(
      /^spec\.resolution: Unsupported value: "DNSS": supported values: "NONE", "STATIC", "DNS"/,
    );
  });

  it('reports a wrong type and a missing required field', () => {
    const wrong = serviceEntry({ ports: [{ number: '443', name: 'tls' }] });
    expect(problemsOf(wrong)).toEqual([
      'spec.ports[0].number: Invalid value: string: must be of type integer',
    ]);
    const noHosts = serviceEntry({});
    delete (noHosts.spec as Record<string, Json>).hosts;
    expect(problemsOf(noHosts)).toEqual(['spec.hosts: Required value']);
  });

  it('takes int-or-string both ways and leaves preserve-unknown-fields and metadata alone', () => {
    const monitor: Resource = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'm', labels: { a: 'b' }, whatever: 1 },
      spec: { selector: {}, endpoints: [{ targetPort: 8080 }, { targetPort: 'metrics' }] },
    };
    expect(problemsOf(monitor)).toEqual([]);
    const bad = { ...monitor, spec: { selector: {}, endpoints: [{ targetPort: true }] } };
    expect(problemsOf(bad)).toEqual([
      'spec.endpoints[0].targetPort: Invalid value: boolean: must be of type integer or string',
    ]);
  });

  it('checks azmonitoring.coreos.com kinds with the monitoring.coreos.com schema', () => {
    const monitor: Resource = {
      apiVersion: 'azmonitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'm' },
      spec: { selector: {}, podMetricsEndpoint: [{ port: 'metrics' }] },
    };
    expect(problemsOf(monitor)).toEqual(['spec.podMetricsEndpoint: unknown field "podMetricsEndpoint"']);
  });

  it('says which versions the CRD serves for an unknown one', () => {
    const result = checkAgainstCrd('security.istio.io', 'v2', 'PeerAuthentication', {});
    expect(result).toEqual({ checked: false, reason: 'unknown-version', versions: ['v1', 'v1beta1'] });
  });

  it('agrees with ajv on the full CRD for type, enum and required errors', () => {
    const ajv = crdValidator(join(root, 'test', 'fixtures', 'crds', 'servicemonitor.yaml'), 'v1');
    const cases: Resource[] = [
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'a' },
        spec: { selector: {}, endpoints: [{ scheme: 'HTTPS' }] },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'b' },
        spec: { selector: {}, endpoints: [{ port: 8080 }] },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'c' },
        spec: { endpoints: [] },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'd' },
        spec: { selector: {}, endpoints: [{ port: 'web', scheme: 'https' }] },
      },
    ];
    for (const resource of cases)
      expect(
        problemsOf(resource).length > 0,
        String(resource.metadata && (resource.metadata as { name: string }).name),
      ).toBe(ajv(resource).length > 0);
  });
});

describe('values the parser reads unlike kubectl', () => {
  it("takes Istio's exportTo: [.] as kubectl does (the yaml package's YAML 1.1 reads a lone . as NaN)", () => {
    const [doc] = parseAllDocuments(
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: a}\nspec:\n  host: a\n  exportTo: [.]\n',
      { version: '1.1' },
    );
    expect(problemsOf(doc?.toJS() as Resource)).toEqual([]);
  });
});
