/** Bounds on one item's YAML (README, "Limits"): alias bombs and deep nesting refused with a message, never a crash. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, parseDocument } from 'yaml';
import { boundsProblem } from '../../src/krm/bounded-parse.js';
import { readResourceList, readStream } from '../../src/krm/resource-list.js';
import { meshscrape, run } from '../support/orchestrators.js';

const monitor =
  'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: cart\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: cart\n  endpoints:\n  - port: metrics\n';

/** A billion-laughs ConfigMap: 10 levels of 10 aliases each (10^9 strings once expanded). */
function bomb(): string {
  let text =
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\n  namespace: shop\ndata:\n  a0: &a0 "lol"\n';
  for (let i = 1; i < 10; i++)
    text += `  a${i}: &a${i} [${Array(10)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  return text;
}

/** A ConfigMap `depth` flow sequences deep (anchored: the line splitter leaves it to the parser, which checks it). */
const deepFlow = (depth: number): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: &d ${'['.repeat(depth)}${']'.repeat(depth)}\n`;

/** A ConfigMap nested `depth` block mappings deep. */
function deepBlock(depth: number): string {
  let text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\nnest:\n';
  for (let i = 1; i <= depth; i++) text += `${' '.repeat(i)}k:\n`;
  return `${text}${' '.repeat(depth + 1)}v: 1\n`;
}

/** A ConfigMap-like item with 150 aliases of one small anchor (far below the expansion budget). */
function manyAliases(): string {
  let text =
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many\n  namespace: shop\nbase: &b {x: "1"}\nlist:\n';
  for (let i = 0; i < 150; i++) text += '- *b\n';
  return text;
}

const asEntry = (doc: string): string => doc.trimEnd().replace(/^/gm, '  ').replace(/^ {2}/, '- ');
const resourceList = (
  docs: string[],
  config = 'kind: SetMonitorTLS\napiVersion: meshscrape.dev/v1alpha1\nmetadata:\n  name: tls\n',
): string =>
  `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${docs.map(asEntry).join('\n')}\nfunctionConfig:\n${config.replace(/^/gm, '  ').trimEnd()}\n`;

const problemOf = (text: string): string | undefined =>
  boundsProblem(parseDocument(text, { version: '1.1' }), text.length);

describe('boundsProblem', () => {
  it('refuses an alias bomb quickly, naming MESHSCRAPE_ALIAS_EXPANSION', { timeout: 20_000 }, () => {
    expect(problemOf(bomb())).toMatch(/aliases expand .*MESHSCRAPE_ALIAS_EXPANSION/);
  });

  it(
    'refuses nesting deeper than MESHSCRAPE_MAX_DEPTH, flow and block, up to 100,000 levels',
    { timeout: 60_000 },
    () => {
      expect(problemOf(deepFlow(150))).toBeUndefined();
      for (const text of [
        deepFlow(201),
        deepFlow(3000),
        deepFlow(100_000),
        deepBlock(300),
        deepBlock(3000),
      ]) {
        expect(problemOf(text)).toMatch(/nest deeper than 200 levels \(MESHSCRAPE_MAX_DEPTH\)/);
      }
    },
  );

  it('counts nesting an alias brings in', () => {
    const text = `a: &a ${'['.repeat(150)}${']'.repeat(150)}\nb: ${'['.repeat(60)}*a${']'.repeat(60)}\n`;
    expect(problemOf(text)).toMatch(/MESHSCRAPE_MAX_DEPTH/);
  });

  it('lets 150 small aliases through', () => {
    expect(problemOf(manyAliases())).toBeUndefined();
  });
});

describe('reading items', () => {
  it('refuses the bomb item of a ResourceList and keeps the others', { timeout: 20_000 }, () => {
    const read = readResourceList(resourceList([monitor, bomb()]));
    expect(read.problems).toEqual([]);
    expect(read.value?.items.map((item) => item.refusal === undefined)).toEqual([true, false]);
    expect(read.value?.items[1]?.describe()).toBe('ConfigMap/shop/lol');
  });

  it('an alias without its anchor, on the whole-list path, refuses that item (it looped until the stack ran out)', () => {
    // A cross-item alias sends the list to the full parser; the second item's alias names no anchor at all.
    const crossing =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: shop\ndata:\n  k: &x v\n';
    const dangling =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: shop\ndata:\n  k: *x\n  j: *nowhere\n';
    const read = readResourceList(resourceList([crossing, dangling]));
    expect(read.value?.items.map((item) => item.refusal === undefined)).toEqual([true, false]);
  });

  it(
    'reads a stream with 150 aliases, refuses one with a bomb naming the document',
    { timeout: 20_000 },
    () => {
      expect(readStream(`${monitor}---\n${manyAliases()}`).value?.[1]?.data.list).toHaveLength(150);
      const read = readStream(`${monitor}---\n${bomb()}`);
      expect(read.problems[0]?.message).toMatch(
        /document 1 \(ConfigMap\/shop\/lol\) is refused: .*MESHSCRAPE_ALIAS_EXPANSION/,
      );
    },
  );
});

describe('the executable, every mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshscrape-bounds-'));
  const config = join(dir, 'tls.yaml');
  writeFileSync(config, 'apiVersion: meshscrape.dev/v1alpha1\nkind: SetMonitorTLS\nmetadata:\n  name: tls\n');
  const streamModes = [
    { name: 'Helm post-render', args: ['post-render', 'pipelines/helm/meshscrape.yaml'] },
    { name: 'legacy kustomize plugin', args: ['kustomize-plugin', 'set-monitor-tls', config] },
  ];

  it('KRM mode: 150 aliases work', { timeout: 30_000 }, () => {
    const result = run(meshscrape, ['set-monitor-tls'], { input: resourceList([monitor, manyAliases()]) });
    expect(result.stderr).not.toMatch(/at .*\.m?js/);
    // Untouched, the item keeps its anchor and aliases as written.
    const out = parse(result.stdout, { maxAliasCount: -1 }) as {
      items: { list?: unknown[]; spec?: { endpoints: { scheme?: string }[] } }[];
    };
    expect(out.items[0]?.spec?.endpoints[0]?.scheme).toBe('https');
    expect(out.items[1]?.list).toHaveLength(150);
  });

  for (const mode of streamModes) {
    it(`${mode.name}: 150 aliases work`, { timeout: 30_000 }, () => {
      const result = run(meshscrape, mode.args, { input: `${monitor}---\n${manyAliases()}` });
      expect(result.stderr).not.toMatch(/Error|\n\s+at /);
      expect(result.code).toBe(0);
      const docs = parseAllDocuments(result.stdout).map((d) => d.toJS({ maxAliasCount: -1 }));
      expect(docs.find((d) => d.kind === 'ConfigMap')?.list).toHaveLength(150);
    });

    it(`${mode.name}: an alias bomb and deep nesting are refused with a message`, { timeout: 60_000 }, () => {
      for (const [bad, variable] of [
        [bomb(), 'MESHSCRAPE_ALIAS_EXPANSION'],
        [deepFlow(3000), 'MESHSCRAPE_MAX_DEPTH'],
      ] as const) {
        const result = run(meshscrape, mode.args, { input: `${monitor}---\n${bad}`, timeout: 50_000 });
        expect(result.code).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr).toContain(variable);
        expect(result.stderr).not.toMatch(/\n\s+at /);
      }
    });
  }

  it(
    'KRM mode: refused items pass through unchanged with an error naming them; the monitor is still edited',
    { timeout: 60_000 },
    () => {
      for (const [bad, variable, label] of [
        [bomb(), 'MESHSCRAPE_ALIAS_EXPANSION', 'items[1] (ConfigMap/shop/lol)'],
        [deepFlow(3000), 'MESHSCRAPE_MAX_DEPTH', 'items[1] (ConfigMap/deep)'],
        [deepFlow(100_000), 'MESHSCRAPE_MAX_DEPTH', 'items[1] (ConfigMap/deep)'],
      ] as const) {
        const input = resourceList([monitor, bad]);
        const result = run(meshscrape, ['set-monitor-tls'], { input, timeout: 50_000 });
        expect(result.stderr).not.toMatch(/\n\s+at /);
        expect(result.stdout).toContain(asEntry(bad));
        // Not turned into data here: that would expand the bomb.
        const document = parseDocument(result.stdout, { version: '1.1' });
        expect(document.getIn(['items', 0, 'spec', 'endpoints', 0, 'scheme'])).toBe('https');
        const results = document.get('results', true) as { items: unknown[] } | undefined;
        const messages = (results?.items ?? []).map((r) =>
          String((r as { get(k: string): unknown }).get('message')),
        );
        const refusal = messages.find((m) => m.includes(variable));
        expect(refusal, messages.join('\n')).toContain(`${label} is refused and passed through unchanged`);
      }
    },
  );
});
