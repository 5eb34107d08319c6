/**
 * Golden cases: functions/<function>/testdata/<case>/{resources.yaml, config.yaml, expected.yaml}. The expected
 * output is the whole ResourceList the function writes (items and results), reviewed by reading it.
 * Regenerate with `npm run golden:update`, then read the diff.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runKrm } from '../../src/cli/krm-mode.js';
import { crdValidator, crdValidatorOfKind } from '../support/crd-schema.js';
import { modelKinds, modelProblems } from '../support/operator-models.js';
import { read, resourceList, withoutResults } from '../support/resource-list.js';

const root = join(import.meta.dirname, '..', '..', 'functions');
const update = process.env.UPDATE_GOLDEN === '1';
const crds = join(import.meta.dirname, '..', 'fixtures', 'crds');
type Validate = (resource: { apiVersion: string; kind: string }) => string[];
/** Per kind: the apiVersion checked and how. CRD schemas where vendored, else the operator's API type models. */
const validators: Record<string, { apiVersion: string; validate: Validate }> = {
  ServiceMonitor: {
    apiVersion: 'monitoring.coreos.com/v1',
    validate: crdValidator(join(crds, 'servicemonitor.yaml'), 'v1'),
  },
  PodMonitor: {
    apiVersion: 'monitoring.coreos.com/v1',
    validate: crdValidator(join(crds, 'podmonitor.yaml'), 'v1'),
  },
  // Istio's CRDs (served version v1) for every Istio kind a function writes or passes through.
  ...Object.fromEntries(
    [
      ['PeerAuthentication', 'security.istio.io/v1'],
      ['AuthorizationPolicy', 'security.istio.io/v1'],
      ['ServiceEntry', 'networking.istio.io/v1'],
      ['DestinationRule', 'networking.istio.io/v1'],
      ['Sidecar', 'networking.istio.io/v1'],
    ].map(([kind, apiVersion]) => [
      kind,
      { apiVersion, validate: crdValidatorOfKind(join(crds, 'istio.yaml'), kind as string, 'v1') },
    ]),
  ),
  ...Object.fromEntries(
    modelKinds.map(({ apiVersion, kind }) => [kind, { apiVersion, validate: modelProblems }]),
  ),
};

const cases = readdirSync(root).flatMap((fn) => {
  const testdata = join(root, fn, 'testdata');
  if (!existsSync(testdata)) return [];
  return readdirSync(testdata).map((name) => ({ fn, name, dir: join(testdata, name) }));
});

describe.each(cases)('$fn / $name', ({ fn, dir }) => {
  const config = existsSync(join(dir, 'config.yaml')) ? read(join(dir, 'config.yaml')) : undefined;
  const input = resourceList(read(join(dir, 'resources.yaml')), config);
  const first = runKrm(input, fn);

  it('matches expected.yaml', () => {
    const expectedPath = join(dir, 'expected.yaml');
    if (update) writeFileSync(expectedPath, first.stdout);
    expect(first.stdout).toBe(read(expectedPath));
    const errors = first.stdout.includes('  severity: error');
    expect(first.code).toBe(errors ? 1 : 0);
  });

  it.each(Object.keys(validators))('keeps %ss valid for their schema', (kind) => {
    const { apiVersion, validate } = validators[kind] as { apiVersion: string; validate: Validate };
    type Entry = { apiVersion: string; kind: string; metadata: { name: string } };
    const resources = (text: string): Entry[] =>
      (parse(text, { version: '1.1' }) as { items: Entry[] }).items.filter(
        (i) => i.kind === kind && i.apiVersion === apiVersion,
      );
    // Cases that feed an invalid resource on purpose (missing-endpoints) are checked only for those valid on input.
    const validOnInput = new Set(
      resources(input)
        .filter((m) => validate(m).length === 0)
        .map((m) => m.metadata.name),
    );
    const inputNames = new Set(resources(input).map((m) => m.metadata.name));
    for (const resource of resources(first.stdout)) {
      if (inputNames.has(resource.metadata.name) && !validOnInput.has(resource.metadata.name)) continue;
      expect(validate(resource), resource.metadata.name).toEqual([]);
    }
  });

  it('is idempotent: a second run changes no resource', () => {
    const second = runKrm(first.stdout, fn);
    expect(withoutResults(second.stdout)).toBe(withoutResults(first.stdout));
  });
});
