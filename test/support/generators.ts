/**
 * fast-check generators of resources and resource lists, shared by the property tests (test/unit/properties.test.ts)
 * and the fuzz suite (test/fuzz/fuzz.test.ts).
 */
import fc from 'fast-check';
import { Document, isMap, isPair, isSeq, visit } from 'yaml';

export const dnsName = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
// Scalars that change meaning or form between YAML 1.1 and 1.2, or need quoting.
export const trickyText = fc.oneof(
  fc.constantFrom(
    'yes',
    'no',
    'on',
    'off',
    'y',
    '0755',
    '1e3',
    '0x1F',
    'null',
    '~',
    '',
    ' ',
    'a: b',
    '#x',
    '- x',
  ),
  fc.constantFrom(
    'line one\nline two\n',
    'tab\there',
    '"quoted"',
    "it's",
    '{a}',
    '[b]',
    '*star',
    '&amp',
    '@at',
  ),
  fc.string({ maxLength: 12 }),
);
export const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  leaf: fc.oneof(trickyText, fc.integer(), fc.boolean(), fc.constant(null)),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(dnsName, tie('node'), { maxKeys: 3 }),
  ),
})).node;

/** Comment texts and where they go: each choice picks a node to comment on, before or after. */
export const comments = fc.array(fc.tuple(fc.nat(), fc.boolean(), fc.stringMatching(/^[ -~]{0,20}$/)), {
  maxLength: 4,
});

/** Renders a resource as YAML text with comments attached to some of its nodes, in one of the two list styles. */
export function render(resource: unknown, notes: [number, boolean, string][], indentSeq: boolean): string {
  const document = new Document(resource, { version: '1.1' });
  const nodes: { commentBefore?: string | null; comment?: string | null }[] = [];
  // Comments go on non-empty collections (block style); the yaml package misplaces one after an empty `[]`.
  visit(document, {
    Pair(_, pair) {
      const v = isPair(pair) ? pair.value : undefined;
      if ((isMap(v) || isSeq(v)) && v.items.length > 0) nodes.push(v);
    },
    Seq(_, seq) {
      if (isSeq(seq))
        for (const item of seq.items) if (isMap(item) && item.items.length > 0) nodes.push(item);
    },
  });
  for (const [at, before, text] of notes) {
    const node = nodes[at % Math.max(nodes.length, 1)];
    if (!node) continue;
    if (before) node.commentBefore = ` ${text}`;
    else node.comment = ` ${text}`;
  }
  return document.toString({ indentSeq, lineWidth: 0 });
}

export const configMap = fc.record({
  name: dnsName,
  namespace: fc.option(dnsName, { nil: undefined }),
  labels: fc.dictionary(dnsName, trickyText, { maxKeys: 3 }),
  data: fc.dictionary(dnsName, trickyText, { maxKeys: 4 }),
  extra: fc.dictionary(dnsName, value, { maxKeys: 2 }),
});

export const untargetedList = fc.tuple(
  fc.array(fc.tuple(configMap, comments), { minLength: 1, maxLength: 6 }),
  fc.boolean(),
);

export type Generated<A> = A extends fc.Arbitrary<infer T> ? T : never;

export function untargetedText([entries, indentSeq]: Generated<typeof untargetedList>): string {
  return entries
    .map(([cm, notes]) =>
      render(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: cm.name,
            ...(cm.namespace ? { namespace: cm.namespace } : {}),
            ...(Object.keys(cm.labels).length > 0 ? { labels: cm.labels } : {}),
          },
          data: cm.data,
          ...(Object.keys(cm.extra).length > 0 ? { spec: cm.extra } : {}),
        },
        notes,
        indentSeq,
      ),
    )
    .join('---\n');
}

export const portName = fc.constantFrom('metrics', 'http', 'web', 'http-envoy-prom', 'http-monitoring');
export const endpoint = fc.record(
  {
    port: portName,
    scheme: fc.constantFrom('http', 'https'),
    interval: fc.constantFrom('15s', '30s'),
    tlsConfig: fc.constant({ insecureSkipVerify: true }),
    path: fc.constantFrom('/metrics', '/stats/prometheus'),
  },
  { requiredKeys: ['port'] },
);
export const scene = fc.record({
  injected: fc.boolean(),
  hostNetwork: fc.boolean(),
  app: fc.constantFrom('cart', 'shop', 'db'),
  selected: fc.constantFrom('cart', 'shop', 'db'),
  endpoints: fc.array(endpoint, { minLength: 1, maxLength: 3 }),
  podMonitor: fc.boolean(),
  notes: comments,
  indentSeq: fc.boolean(),
  // A ConfigMap holding a tab (kept on the line splitter, read through the parser), and one holding an anchor
  // (which sends the whole list through the full parser).
  tab: fc.boolean(),
  anchor: fc.boolean(),
});

/** A scene's resources: a Namespace, a Deployment, its Service, a monitor selecting it or another app. */
export function sceneResources(s: Generated<typeof scene>): Record<string, unknown>[] {
  const ns = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'apps', ...(s.injected ? { labels: { 'istio-injection': 'enabled' } } : {}) },
  };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: s.app, namespace: 'apps' },
    spec: {
      selector: { matchLabels: { app: s.app } },
      template: {
        metadata: { labels: { app: s.app } },
        spec: {
          ...(s.hostNetwork ? { hostNetwork: true } : {}),
          containers: [{ name: 'app', ports: [{ name: 'metrics', containerPort: 8080 }] }],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: s.app, namespace: 'apps', labels: { app: s.app } },
    spec: { selector: { app: s.app }, ports: [{ name: 'metrics', port: 80, targetPort: 'metrics' }] },
  };
  const monitor = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: s.podMonitor ? 'PodMonitor' : 'ServiceMonitor',
    metadata: { name: `${s.selected}-monitor`, namespace: 'apps' },
    spec: {
      selector: { matchLabels: { app: s.selected } },
      [s.podMonitor ? 'podMetricsEndpoints' : 'endpoints']: s.endpoints,
    },
  };
  const tabbed = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'tabbed', namespace: 'apps' },
    data: { v: 'a\tb' },
  };
  return s.tab ? [ns, deployment, service, monitor, tabbed] : [ns, deployment, service, monitor];
}

/** A ConfigMap holding an anchor: it sends the whole list through the full parser. */
export const anchored =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: anchored\ndata: &shared\n  k: v\n';

/** A scene's resources as YAML documents (`---` between them), commented, in the scene's list style. */
export function sceneText(s: Generated<typeof scene>): string {
  const texts = sceneResources(s).map((r) => render(r, s.notes, s.indentSeq));
  return (s.anchor ? [...texts, anchored] : texts).join('---\n');
}
