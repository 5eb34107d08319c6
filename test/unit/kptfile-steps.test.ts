/** Which Kptfile steps `meshscrape render` runs in process, and the errors for the ones it cannot. */
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type KptStepEntry, recogniseStep } from '../../src/cli/kptfile-steps.js';
import { tempDir } from '../support/orchestrators.js';

const dir = tempDir('kptfile-steps');
writeFileSync(
  join(dir, 'tls.yaml'),
  'apiVersion: meshscrape.dev/v1alpha1\nkind: SetMonitorTLS\nmetadata: {name: tls}\nunknownTargets: skip\n',
);
writeFileSync(join(dir, 'two.yaml'), 'kind: A\n---\nkind: B\n');
// A link inside the package to a file outside it (red-team finding: it was followed).
const outside = tempDir('kptfile-steps-outside');
writeFileSync(
  join(outside, 'secret.yaml'),
  'apiVersion: meshscrape.dev/v1alpha1\nkind: SetMonitorTLS\nmetadata: {name: s}\n',
);
symlinkSync(join(outside, 'secret.yaml'), join(dir, 'linked.txt'));

const recognised = (entry: KptStepEntry) => {
  const step = recogniseStep(entry, 'Kptfile pipeline.mutators[0]', dir);
  if (!step.ok) throw new Error(step.problems.map((p) => p.message).join('; '));
  return {
    fn: step.value.step.fn.name,
    configMap: step.value.step.configMap,
    config: step.value.step.config,
  };
};
const refused = (entry: KptStepEntry): string[] =>
  recogniseStep(entry, 'Kptfile pipeline.mutators[0]', dir).problems.map((p) => p.message);

describe('Kptfile step recognition', () => {
  it.each([
    [{ image: 'meshscrape', configPath: 'tls.yaml' }, 'set-monitor-tls', false],
    [{ image: 'ghcr.io/x/meshscrape:v0.1.0', configPath: 'tls.yaml' }, 'set-monitor-tls', false],
    [{ image: 'localhost:5000/team/meshscrape@sha256:ab', configPath: 'tls.yaml' }, 'set-monitor-tls', false],
    [{ image: 'meshscrape-set-monitor-tls' }, 'set-monitor-tls', true],
    [
      { image: 'ghcr.io/x/meshscrape-mount-istio-certs:v0.1', configMap: { inbound: 'bypass' } },
      'mount-istio-certs',
      true,
    ],
    [{ exec: './bin/meshscrape', configPath: 'tls.yaml' }, 'set-monitor-tls', false],
    [{ exec: 'meshscrape validate-mesh-metrics' }, 'validate-mesh-metrics', true],
    [{ exec: '/usr/local/bin/meshscrape  fix-pod-monitors ', name: 'pods' }, 'fix-pod-monitors', true],
  ])('%j runs %s in process', (entry, fn, configMap) => {
    expect(recognised(entry)).toMatchObject({ fn, configMap });
  });

  it('reads configPath relative to the package, and makes configMap a ConfigMap as kpt does', () => {
    expect(recognised({ image: 'meshscrape', configPath: 'tls.yaml' }).config).toMatchObject({
      kind: 'SetMonitorTLS',
      unknownTargets: 'skip',
    });
    expect(
      recognised({ image: 'meshscrape-set-monitor-tls', configMap: { overwrite: true } }).config,
    ).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'function-input' },
      data: { overwrite: 'true' },
    });
  });

  it.each([
    [
      { image: 'ghcr.io/kptdev/krm-functions-catalog/set-namespace:v0.4.1' },
      /set-namespace:v0.4.1 is not a meshscrape function.*kpt fn render/,
    ],
    [{ exec: './scripts/other.sh' }, /exec "\.\/scripts\/other\.sh" is not a meshscrape function/],
    [
      { image: 'meshscrape-set-everything' },
      /names no meshscrape function "set-everything"; known: set-monitor-tls/,
    ],
    [{ exec: 'meshscrape set-monitor-tls --flag' }, /takes one argument in a pipeline step/],
    [{ image: 'meshscrape' }, /runs the function its config kind names, and the step has no configPath/],
    [{ image: 'meshscrape', configMap: { a: 'b' } }, /kind "ConfigMap" is none of/],
    [{ image: 'meshscrape', exec: 'meshscrape' }, /exactly one of image and exec/],
    [{ configPath: 'tls.yaml' }, /exactly one of image and exec/],
    [
      { image: 'meshscrape-set-monitor-tls', configPath: 'tls.yaml', configMap: {} },
      /configPath or configMap, not both/,
    ],
    [{ image: 'meshscrape-set-monitor-tls', configPath: '../tls.yaml' }, /outside the package/],
    [{ image: 'meshscrape-set-monitor-tls', configPath: 'two.yaml' }, /holds 2 documents/],
    [
      { image: 'meshscrape-set-monitor-tls', configPath: 'linked.txt' },
      /a symlink that resolves outside the package/,
    ],
    [{ image: 'meshscrape-set-monitor-tls', configPath: 'missing.yaml' }, /cannot read config/],
    [
      { image: 'meshscrape-set-monitor-tls', selectors: [{ kind: 'Service' }] },
      /does not support selectors on a step/,
    ],
  ])('%j is refused, naming the step', (entry, message) => {
    const problems = refused(entry as KptStepEntry);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Kptfile pipeline\.mutators\[0\]: /);
    expect(problems[0]).toMatch(message);
  });
});
