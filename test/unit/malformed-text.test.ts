/**
 * An item the function does not read, whose text the parser refuses: its text would go out as it came, and the
 * output would not be YAML. The input is refused as a whole, as the full parser (and kpt) refuse it: exit 1, an
 * error naming the item, and output that parses (KRM) or nothing on stdout (the stream modes).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { runKrm } from '../../src/cli/krm-mode.js';
import { runKustomizePlugin } from '../../src/cli/kustomize-plugin.js';
import { runPostRender } from '../../src/cli/post-render.js';
import { indentSuspect } from '../../src/text/indent-screen.js';
import { repoRoot } from '../support/orchestrators.js';
import { resourceList } from '../support/resource-list.js';

const malformed = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n     name: a\n  namespace: shop\n';
// A plain scalar continued on lines of different columns: valid YAML the screen only suspects.
const continued =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  note: one\n      two\n    three\n';
const stream = `${continued}---\n${malformed}`;
const message =
  /items\[1\] \(ConfigMap\/a\) has malformed YAML: All mapping items must start at the same column/;

describe('indentSuspect', () => {
  it.each([
    ['a key between two open blocks', malformed, 0, true],
    ['a line deeper than a scalar value', 'kind: A\nmetadata:\n  name: a\n    x: 1\n', 0, true],
    ['a plain scalar continued (parsed to tell)', continued, 0, true],
    ['an entry: keys at the column after its dash', '- kind: A\n  metadata:\n    name: a\n', 2, false],
    [
      'kpt and kubectl list styles',
      'spec:\n  a:\n  - x: 1\n    y: 2\n  b:\n    - x: 1\n      y: 2\n',
      0,
      false,
    ],
    ['block scalar content at any column', 'data:\n  a: |\n     x\n    y\n  b: >-\n      z\n', 0, false],
    ['comments at any column', 'metadata:\n  name: a\n     # deep\n # shallow\n  labels: {}\n', 0, false],
  ])('%s', (_, text, indent, suspect) => {
    expect(indentSuspect(text, indent)).toBe(suspect);
  });
});

describe('a malformed item no function reads', () => {
  it('KRM mode: an error with its resourceRef, no items, output that parses', () => {
    const out = runKrm(resourceList(stream), 'set-monitor-tls');
    expect(out.code).toBe(1);
    expect(parseDocument(out.stdout).errors).toEqual([]);
    const output = parse(out.stdout) as { items: unknown[]; results: unknown[] };
    expect(output.items).toEqual([]);
    expect(output.results).toEqual([
      {
        message: expect.stringMatching(message),
        severity: 'error',
        resourceRef: { apiVersion: 'v1', kind: 'ConfigMap', name: 'a' },
      },
    ]);
  });

  it('post-render: an error naming it on stderr, nothing on stdout', () => {
    const out = runPostRender([join(repoRoot, 'pipelines', 'helm', 'meshscrape.yaml')], stream);
    expect(out).toMatchObject({ code: 1, stdout: '' });
    expect(out.stderr).toMatch(/^\[error\] ConfigMap\/a: document 1 \(ConfigMap\/a\) has malformed YAML/m);
  });

  it('kustomize-plugin: an error naming it on stderr, nothing on stdout', () => {
    const config = join(repoRoot, 'pipelines', 'kustomize', 'set-monitor-tls.yaml');
    const out = runKustomizePlugin('set-monitor-tls', config, stream);
    expect(out).toMatchObject({ code: 1, stdout: '' });
    expect(out.stderr).toMatch(/^\[error\] ConfigMap\/a: document 1 \(ConfigMap\/a\) has malformed YAML/m);
  });

  it('a valid item the screen suspects passes through as it came', () => {
    const out = runKustomizePlugin(
      'set-monitor-tls',
      join(repoRoot, 'pipelines', 'kustomize', 'set-monitor-tls.yaml'),
      continued,
    );
    expect(out).toMatchObject({ code: 0, stdout: continued });
  });
});
