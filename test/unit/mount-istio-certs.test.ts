/** mount-istio-certs on malformed Prometheus resources: an error naming the field, never a silent skip. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runKrm } from '../../src/cli/krm-mode.js';
import { asEntry, resourceList } from '../support/resource-list.js';

const prometheus = (spec: string): string =>
  `apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: k8s\n  namespace: monitoring\nspec:\n${spec}`;

function errors(spec: string): { code: number; paths: (string | undefined)[] } {
  const out = runKrm(resourceList(prometheus(spec)), 'mount-istio-certs');
  const results = (parse(out.stdout) as { results?: { severity: string; field?: { path: string } }[] })
    .results;
  return {
    code: out.code,
    paths: (results ?? []).filter((r) => r.severity === 'error').map((r) => r.field?.path),
  };
}

describe('mount-istio-certs on malformed input', () => {
  it('alertmanagers that is not a list', () => {
    expect(errors('  alerting:\n    alertmanagers:\n      name: main\n')).toEqual({
      code: 1,
      paths: ['spec.alerting.alertmanagers'],
    });
  });
  it('an alertmanagers entry that is not a map', () => {
    expect(errors('  alerting:\n    alertmanagers:\n    - main\n')).toEqual({
      code: 1,
      paths: ['spec.alerting.alertmanagers[0]'],
    });
  });
  it('pod annotations that are not a map', () => {
    expect(errors('  podMetadata:\n    annotations: [a]\n')).toEqual({
      code: 1,
      paths: ['spec.podMetadata.annotations'],
    });
  });
  it('volumes that is not a list', () => {
    expect(errors('  volumes: 5\n')).toEqual({ code: 1, paths: ['spec.volumes'] });
  });
});

describe('mount-istio-certs edits a scraper whole or not at all', () => {
  it('an error leaves the Prometheus byte-identical, comments included, and generates nothing for it', () => {
    const spec =
      '  replicas: 2 # two replicas\n  podMetadata:\n    labels:\n      sidecar.istio.io/inject: "false"\n';
    const config =
      'apiVersion: meshscrape.dev/v1alpha1\nkind: MountIstioCerts\nmetadata:\n  name: c\ninbound: bypass\n';
    const input = resourceList(prometheus(spec), config);
    const out = runKrm(input, 'mount-istio-certs');
    expect(out.code).toBe(1);
    const written = parse(out.stdout) as { items: { kind: string }[] };
    expect(written.items.map((i) => i.kind)).toEqual(['Prometheus']);
    expect(out.stdout).toContain(asEntry(prometheus(spec).trimEnd()));
  });
});
