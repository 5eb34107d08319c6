/**
 * Properties over generated resource lists (fast-check): resources a function does not target come out
 * byte-identical (comments, quoting, YAML 1.1 scalars and all), no resource is lost, every function is idempotent,
 * and what set-monitor-tls writes stays valid for the ServiceMonitor CRD.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { runKrm } from '../../src/cli/krm-mode.js';
import { functions } from '../../src/cli/registry.js';
import { crdValidator } from '../support/crd-schema.js';
import { scene, sceneText, untargetedList, untargetedText } from '../support/generators.js';
import { resourceList, withoutResults } from '../support/resource-list.js';

const functionNames = functions.map((fn) => fn.name);
/** Functions that need a config: one for untargeted lists (names no namespace there) and one for the scene. */
const configs: Record<string, { untargeted: string; scene: string }> = {
  'relocate-namespace': {
    untargeted:
      'apiVersion: meshscrape.dev/v1alpha1\nkind: RelocateNamespace\nfrom: unused-from-9\nto: unused-to-9\n',
    scene: 'apiVersion: meshscrape.dev/v1alpha1\nkind: RelocateNamespace\nfrom: apps\nto: moved-apps\n',
  },
};
const validateMonitor = crdValidator(
  join(import.meta.dirname, '..', 'fixtures', 'crds', 'servicemonitor.yaml'),
  'v1',
);

type Item = { kind: string; metadata: { name: string } };
const items = (output: string): Item[] => (parse(output, { version: '1.1' }) as { items: Item[] }).items;

describe('properties', () => {
  it.each(functionNames)('%s leaves resources it does not target byte-identical', (fn) => {
    fc.assert(
      fc.property(untargetedList, (list) => {
        const text = untargetedText(list);
        fc.pre(parseAllDocuments(text).every((d) => d.errors.length === 0));
        const config = configs[fn]?.untargeted;
        const input = resourceList(text, config);
        const output = runKrm(input, fn);
        expect(output.code).toBe(0);
        expect(withoutResults(output.stdout)).toBe(input);
      }),
      { numRuns: 60 },
    );
  });

  it.each(functionNames)('%s is idempotent and loses no resource', (fn) => {
    fc.assert(
      fc.property(scene, (s) => {
        const input = resourceList(sceneText(s), configs[fn]?.scene);
        const first = runKrm(input, fn);
        const second = runKrm(first.stdout, fn);
        expect(withoutResults(second.stdout)).toBe(withoutResults(first.stdout));
        const before = items(input).map((i) => `${i.kind}/${i.metadata.name}`);
        const after = new Set(items(first.stdout).map((i) => `${i.kind}/${i.metadata.name}`));
        // fix-pod-monitors may replace a PodMonitor; nothing else leaves.
        for (const id of before) if (!id.startsWith('PodMonitor/')) expect(after.has(id), id).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('set-monitor-tls keeps ServiceMonitors valid for the CRD', () => {
    fc.assert(
      fc.property(scene, (s) => {
        const output = runKrm(resourceList(sceneText({ ...s, podMonitor: false })), 'set-monitor-tls');
        for (const item of items(output.stdout).filter((i) => i.kind === 'ServiceMonitor'))
          expect(validateMonitor(item)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
