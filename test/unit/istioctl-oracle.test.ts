/**
 * The IST rules against istioctl analyze's own analyzer testdata (istio/istio pkg/config/analysis/analyzers/testdata,
 * copied to test/fixtures/istioctl, see SOURCE there) and the messages its analyzers_test.go expects from them: for
 * the codes validate-mesh-metrics carries, it reports the same resources, no more, no fewer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../functions/validate-mesh-metrics/analyze.js';
import { validateMeshMetricsSchema } from '../../functions/validate-mesh-metrics/config.js';
import { readResourceList } from '../../src/krm/index.js';
import { resourceList } from '../support/resource-list.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'istioctl');

/** Each case: its files, the codes compared, and what analyzers_test.go expects (`Kind name`, namespace left out). */
const cases: { name: string; files: string[]; codes: string[]; expected: string[] }[] = [
  {
    name: 'istioInjection',
    files: ['injection.yaml'],
    codes: ['IST0102', 'IST0103', 'IST0123'],
    expected: [
      'IST0102 Namespace bar',
      'IST0103 Pod noninjectedpod',
      'IST0123 Namespace busted',
      'IST0123 Namespace multi-ns-1',
      'IST0123 Namespace multi-ns-2',
      'IST0123 Namespace multi-ns-3',
    ],
  },
  {
    name: 'authorizationpolicies',
    files: ['authorizationpolicies.yaml'],
    codes: ['IST0127'],
    expected: [
      'IST0127 AuthorizationPolicy meshwide-httpbin-v1',
      'IST0127 AuthorizationPolicy httpbin-empty-namespace-wide',
      'IST0127 AuthorizationPolicy httpbin-nopods',
      'IST0127 AuthorizationPolicy no-workload',
    ],
  },
  ...(
    [
      ['destinationrule-simple-destination', ['IST0128 DestinationRule db-tls']],
      ['destinationrule-mutual-destination', ['IST0128 DestinationRule db-mtls']],
      ['destinationrule-simple-port', ['IST0129 DestinationRule db-tls']],
      ['destinationrule-simple-destination-credentialname', ['IST0128 DestinationRule db-tls']],
      ['destinationrule-simple-destination-credentialname-selector', []],
      ['destinationrule-simple-port-credentialname', ['IST0129 DestinationRule db-tls']],
      ['destinationrule-simple-port-credentialname-selector', []],
      ['destinationrule-mutual-port', ['IST0129 DestinationRule db-mtls']],
      [
        'destinationrule-compound-simple-mutual',
        ['IST0128 DestinationRule db-mtls', 'IST0129 DestinationRule db-mtls'],
      ],
      [
        'destinationrule-compound-mutual-simple',
        ['IST0128 DestinationRule db-mtls', 'IST0129 DestinationRule db-mtls'],
      ],
      ['destinationrule-with-ca', []],
    ] as const
  ).map(([file, expected]) => ({
    name: file,
    files: [`${file}.yaml`],
    codes: ['IST0128', 'IST0129'],
    expected: [...expected],
  })),
  {
    name: 'serviceentry missing addresses',
    files: ['serviceentry-missing-addresses-protocol.yaml'],
    codes: ['IST0134'],
    expected: [
      'IST0134 ServiceEntry service-entry-test-03',
      'IST0134 ServiceEntry service-entry-test-04',
      'IST0134 ServiceEntry service-entry-test-07',
    ],
  },
  {
    name: 'serviceentry lowercase protocol',
    files: ['serviceentry-address-required-lowercase.yaml'],
    codes: ['IST0134'],
    expected: ['IST0134 ServiceEntry address-missing-lowercase'],
  },
  {
    name: 'serviceentry uppercase protocol',
    files: ['serviceentry-address-required-uppercase.yaml'],
    codes: ['IST0134'],
    expected: ['IST0134 ServiceEntry address-missing-uppercase'],
  },
  {
    name: 'serviceentry conflicting protocols',
    files: ['serviceentry-conflicting-protocol.yaml'],
    codes: ['IST0177'],
    expected: ['IST0177 ServiceEntry se-http', 'IST0177 ServiceEntry se-https'],
  },
  {
    name: 'serviceentry same protocol',
    files: ['serviceentry-no-conflict-protocol.yaml'],
    codes: ['IST0177'],
    expected: [],
  },
  {
    name: 'serviceentry exportTo apart',
    files: ['serviceentry-conflicting-exportto.yaml'],
    codes: ['IST0177'],
    expected: [],
  },
  {
    name: 'misannotated',
    files: ['misannotated.yaml'],
    codes: ['IST0107', 'IST0108', 'IST0125', 'IST0135'],
    expected: [
      'IST0108 Service httpbin',
      'IST0125 Pod invalid-annotations',
      'IST0107 Pod grafana-test',
      'IST0107 Deployment fortio-deploy',
      'IST0107 Namespace staging',
      'IST0135 Deployment fortio-deploy',
    ],
  },
];

const config = validateMeshMetricsSchema.parse({});

describe.each(cases)('istioctl testdata: $name', ({ files, codes, expected }) => {
  it('reports what istioctl reports', () => {
    // istioctl analyzes its testdata as live cluster state; IST0103 here applies to Pods read from a cluster only
    // (a Pod manifest of a render gets its proxy at admission), so the Pods get the status a live Pod has.
    const text = files
      .map((f) => readFileSync(join(fixtures, f), 'utf8'))
      .join('\n---\n')
      .replace(/^kind: Pod\n/gm, 'kind: Pod\nstatus: {phase: Running}\n');
    const list = readResourceList(resourceList(text));
    if (!list.ok) throw new Error(JSON.stringify(list.problems));
    const found = analyze(list.value.items, config)
      .findings.filter((f) => codes.includes(f.code))
      .map((f) => `${f.code} ${f.item?.kind} ${f.item?.name}`);
    expect([...new Set(found)].sort()).toEqual([...expected].sort());
  });
});
