/**
 * List documents in the stream modes (Helm post-render, legacy kustomize plugin): flattened into their resources as
 * kubectl does (`kind: List`, and kube-prometheus' ConfigMapList, RoleList, RoleBindingList), each a plain input
 * item the functions edit and the output writes as a document of its own; a List that holds no resources is refused
 * naming its document.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { flattenLists, readResourceStream } from '../../src/cli/flatten-lists.js';
import { runKustomizePlugin } from '../../src/cli/kustomize-plugin.js';
import { runPostRender } from '../../src/cli/post-render.js';
import { readStream } from '../../src/krm/resource-list.js';
import { findResource, normalize, repoRoot, streamResources } from '../support/orchestrators.js';

const example = join(repoRoot, 'pipelines', 'example');
const helmPipeline = join(repoRoot, 'pipelines', 'helm', 'meshscrape.yaml');
const tlsConfig = join(repoRoot, 'pipelines', 'kustomize', 'set-monitor-tls.yaml');
const certsConfig = join(repoRoot, 'pipelines', 'kustomize', 'mount-istio-certs.yaml');

/** The example app's resources as one plain stream. */
const stream = ['namespaces.yaml', 'monitoring.yaml', 'shop.yaml']
  .map((file) => readFileSync(join(example, file), 'utf8'))
  .join('---\n');
const resources = parseAllDocuments(stream)
  .map((d) => d.toJS() as Record<string, unknown> | null)
  .filter((r) => r !== null);

/** The same resources inside a `kind: List` (block style, items indented under the key, as kubectl writes). */
const asList = (kind = 'List', items: unknown = resources): string =>
  stringify({ apiVersion: 'v1', kind, items }, { indentSeq: true });

describe('List documents', () => {
  it('post-render edits the resources inside a List as it edits the same resources unwrapped', () => {
    const plain = runPostRender([helmPipeline], stream);
    const listed = runPostRender([helmPipeline], asList());
    expect(plain.code, plain.stderr).toBe(0);
    expect(listed.code, listed.stderr).toBe(0);
    expect(normalize(streamResources(listed.stdout))).toEqual(normalize(streamResources(plain.stdout)));
    expect(findResource(streamResources(listed.stdout), 'ServiceMonitor', 'checkout')).toMatchObject({
      spec: { endpoints: [{ scheme: 'https' }] },
    });
  });

  it('the kustomize plugin flattens kube-prometheus style *List kinds, between other documents', () => {
    const roles = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' } };
    const input = `${asList('ConfigMapList', [])}---\n${stream}---\n${asList('RoleList', [roles, roles])}`;
    const mounted = runKustomizePlugin('mount-istio-certs', certsConfig, input);
    expect(mounted.code, mounted.stderr).toBe(0);
    const output = runKustomizePlugin('set-monitor-tls', tlsConfig, mounted.stdout);
    expect(output.code, output.stderr).toBe(0);
    const out = streamResources(output.stdout);
    const generated = out.filter(
      (r) =>
        (r.metadata as { annotations?: Record<string, string> }).annotations?.['meshscrape.dev/generated-by'],
    );
    expect(out.filter((r) => !generated.includes(r)).map((r) => r.kind)).toEqual([
      ...resources.map((r) => r.kind),
      'Role',
      'Role',
    ]);
    expect(findResource(out, 'ServiceMonitor', 'checkout')).toMatchObject({
      spec: { endpoints: [{ scheme: 'https' }] },
    });
  });

  it('gives plain input items, untouched ones written as their own text, comments kept above them', () => {
    const list =
      '# the namespaces\napiVersion: v1\nkind: NamespaceList\nitems:\n  # first\n  - apiVersion: v1\n    kind: Namespace\n    metadata:\n      name: a # keep\n  - apiVersion: v1\n    kind: List\n    items:\n      - {apiVersion: v1, kind: Namespace, metadata: {name: b}}\n';
    const read = readResourceStream(list);
    if (!read.ok) throw new Error(JSON.stringify(read.problems));
    expect(read.value.map((item) => [item.name, item.generated])).toEqual([
      ['a', false],
      ['b', false],
    ]);
    expect(read.value[0]?.leading).toEqual(['# the namespaces', '# first']);
    expect(read.value[0]?.toDocument()).toBe(
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a # keep\n',
    );
  });

  it('leaves alone what kubectl would not read as a list: no items key, or a kind not ending in List', () => {
    const texts = [
      'apiVersion: example.com/v1\nkind: AllowList\nmetadata:\n  name: x\nspec:\n  items: [1]\n',
      'apiVersion: example.com/v1\nkind: Listing\nmetadata:\n  name: y\nitems:\n  - 1\n',
    ];
    for (const text of texts) {
      const items = readStream(text).value ?? [];
      expect(flattenLists(items, () => ({ label: 'x' })).items).toEqual(items);
    }
  });

  it('empty Lists give nothing; a List holding no resources is refused, naming its document', () => {
    expect(
      readResourceStream(
        'apiVersion: v1\nkind: List\nitems:\n---\napiVersion: v1\nkind: List\nitems: null\n',
      ),
    ).toEqual({ ok: true, value: [], problems: [] });
    expect(readResourceStream(asList('List', []))).toEqual({ ok: true, value: [], problems: [] });
    const cases: [string, RegExp][] = [
      [
        `${stream}---\n${asList('List', 'x')}`,
        new RegExp(`document ${resources.length} of the input: the items of the List are not a list`),
      ],
      [
        asList('RoleList', [resources[0], 'x', 3]),
        /document 0 .*items\[1\], items\[2\] of the RoleList are not/,
      ],
      [
        asList('List', [{ apiVersion: 'v1', kind: 'List', items: [7] }]),
        /document 0 .* items\[0\]: items\[0\]/,
      ],
    ];
    for (const [input, message] of cases) {
      const output = runPostRender([helmPipeline], input);
      expect(output).toMatchObject({ code: 1, stdout: '' });
      expect(output.stderr).toMatch(message);
    }
  });
});
