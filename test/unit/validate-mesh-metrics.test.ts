/**
 * validate-mesh-metrics beyond its golden cases: schemas parsed lazily, resources passed through as their text, the
 * code catalog documented and exercised, and `meshscrape validate`'s three formats and exit codes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../functions/validate-mesh-metrics/analyze.js';
import { codes } from '../../functions/validate-mesh-metrics/codes.js';
import { validateMeshMetricsSchema } from '../../functions/validate-mesh-metrics/config.js';
import { runKrm } from '../../src/cli/krm-mode.js';
import { runValidate } from '../../src/cli/validate.js';
import { parsedSchemaCount } from '../../src/domain/crd-schema.js';
import { readResourceList } from '../../src/krm/index.js';
import { read, resourceList } from '../support/resource-list.js';

const root = join(import.meta.dirname, '..', '..');
const folder = join(root, 'functions', 'validate-mesh-metrics');
const testdata = (name: string): string => join(folder, 'testdata', name, 'resources.yaml');
const itemsOf = (text: string) => {
  const list = readResourceList(text);
  if (!list.ok) throw new Error('unreadable');
  return list.value.items;
};
const defaults = validateMeshMetricsSchema.parse({});
const noStdin = (): 'tty' => 'tty';

describe('the CRD schemas', () => {
  // First in this file: the module's cache is fresh.
  it('are parsed only for the kinds the list holds', () => {
    analyze(itemsOf(resourceList(read(testdata('injection')))), defaults);
    expect(parsedSchemaCount()).toBe(0);
    analyze(itemsOf(resourceList(read(testdata('service-entries')))), defaults);
    expect(parsedSchemaCount()).toBe(2);
  });
});

describe('validate-mesh-metrics', () => {
  it('writes every resource back as its input text, comments included', () => {
    const input = resourceList(
      `# a comment before\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a # trailing\n  namespace: shop\ndata:\n  k: "0755"\n---\n${read(testdata('recipe-resources'))}`,
    );
    const output = runKrm(input, 'validate-mesh-metrics').stdout;
    const items = (text: string): string => text.slice(text.indexOf('items:'), text.indexOf('\nresults:'));
    expect(items(output)).toBe(items(input).replace(/\n$/, ''));
  });

  it('documents every code in its README, with its meaning', () => {
    const readme = readFileSync(join(folder, 'README.md'), 'utf8');
    for (const [code, info] of Object.entries(codes)) {
      expect(readme, code).toContain(`\`${code}\` | ${info.severity} | ${info.meaning} | ${info.fix} |`);
    }
  });

  it('has a golden case where each code fires', () => {
    const expected = readdirSync(join(folder, 'testdata'))
      .map((c) => readFileSync(join(folder, 'testdata', c, 'expected.yaml'), 'utf8'))
      .join('\n');
    const fired = Object.keys(codes).filter(
      (code) => expected.includes(`message: "${code}: `) || expected.includes(`message: '${code}: `),
    );
    // MS0029 is the command's only (a ResourceList with a bad item is refused whole): tested under 'meshscrape validate'.
    const cliOnly = ['MS0029'];
    expect(Object.keys(codes).filter((code) => !fired.includes(code) && !cliOnly.includes(code))).toEqual([]);
  });

  it('reports the what-if findings only with assumeStrict', () => {
    const items = itemsOf(resourceList(read(testdata('assume-strict'))));
    expect(analyze(items, defaults).findings).toEqual([]);
    const whatIf = analyze(items, { ...defaults, assumeStrict: ['legacy'] }).findings;
    expect(whatIf.map((f) => f.code).sort()).toEqual(['MS0001', 'MS0010', 'MS0020']);
    expect(
      whatIf.every((f) => f.message.startsWith('what-if, legacy switched to STRICT (assumeStrict): ')),
    ).toBe(true);
    expect(analyze(items, { ...defaults, assumeStrict: 'all' }).findings.length).toBe(3);
    // shop is no namespace of the list: nothing breaks there, and MS0030 says it was not evaluated.
    expect(analyze(items, { ...defaults, assumeStrict: ['shop'] }).findings.map((f) => f.code)).toEqual([
      'MS0030',
    ]);
  });

  it('drops the codes in skip', () => {
    const items = itemsOf(resourceList(read(testdata('recipe-resources'))));
    const all = analyze(items, defaults).findings.map((f) => f.code);
    expect(all).toContain('IST0106');
    const skipped = analyze(items, { ...defaults, skip: ['IST0106'] }).findings.map((f) => f.code);
    expect(skipped).toEqual(all.filter((c) => c !== 'IST0106'));
  });
});

describe('meshscrape validate', () => {
  const run = (...args: string[]) => runValidate(args, noStdin, process.env, '0.0.0-test');

  it('prints a table and exits 1 on an error', () => {
    const out = run(testdata('recipe-resources'));
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/^#\s+SEVERITY\s+CODE\s+RESOURCE\s+FIELD$/m);
    expect(out.stdout).toMatch(
      /^\d+\s+error\s+IST0106\s+ServiceEntry\/monitoring\/azure-monitor\s+spec\.hosts\[0\]$/m,
    );
    expect(out.stdout).toMatch(/^3 error\(s\), 4 warning\(s\), 0 info$/m);
  });

  it('prints the same findings as JSON', () => {
    const table = run(testdata('recipe-resources'));
    const json = run('--format', 'json', testdata('recipe-resources'));
    const report = JSON.parse(json.stdout) as {
      kind: string;
      summary: { errors: number; warnings: number };
      findings: { code: string; resource: { kind: string } | null; field: string | null }[];
    };
    expect(json.code).toBe(1);
    expect(report.kind).toBe('ValidationReport');
    expect(report.summary).toEqual({ errors: 3, warnings: 4, info: 0 });
    for (const f of report.findings) expect(table.stdout).toContain(`${f.code} ${f.resource?.kind}/`);
  });

  it('prints SARIF 2.1.0 with the codes as rules and the file as location', () => {
    const out = run('--format=sarif', testdata('stack-traffic'));
    const lines = readFileSync(testdata('stack-traffic'), 'utf8').split('\n');
    const sarif = JSON.parse(out.stdout) as {
      version: string;
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
          }[];
        }[];
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const [runOf] = sarif.runs;
    const ids = runOf?.tool.driver.rules.map((r) => r.id) ?? [];
    expect(ids.length).toBeGreaterThan(3);
    for (const result of runOf?.results ?? []) {
      expect(ids[result.ruleIndex]).toBe(result.ruleId);
      expect(['error', 'warning', 'note']).toContain(result.level);
      expect(result.locations[0]?.physicalLocation.artifactLocation.uri).toBe(testdata('stack-traffic'));
      // The region is the first line of the resource's document.
      const line = result.locations[0]?.physicalLocation.region?.startLine ?? 0;
      expect(lines[line - 1], `line ${line}`).toMatch(/^apiVersion: /);
    }
  });

  it('says in SARIF that meshMtls was assumed, as a run notification', () => {
    const sarif = JSON.parse(run('--format', 'sarif', testdata('authorization-dry-run')).stdout) as {
      runs: {
        invocations?: {
          executionSuccessful: boolean;
          toolExecutionNotifications: { message: { text: string } }[];
        }[];
      }[];
    };
    const invocation = sarif.runs[0]?.invocations?.[0];
    expect(invocation?.executionSuccessful).toBe(true);
    expect(invocation?.toolExecutionNotifications.map((n) => n.message.text).join('\n')).toContain(
      'meshMtls STRICT was assumed',
    );
  });

  it('fails on warnings with --fail-on warning only', () => {
    expect(run(testdata('fail-on-warning')).code).toBe(0);
    expect(run('--fail-on', 'warning', testdata('fail-on-warning')).code).toBe(1);
  });

  it('takes --assume-strict and --skip', () => {
    expect(run(testdata('assume-strict')).code).toBe(0);
    const out = run('--assume-strict', 'legacy', '--skip', 'MS0010', testdata('assume-strict'));
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('what-if, legacy switched to STRICT');
    expect(out.stdout).not.toContain('MS0010');
  });

  it('reports a malformed or oversized file as MS0029 and validates the rest, in every format', () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-bad-'));
    cpSync(testdata('recipe-resources'), join(dir, 'recipe.yaml'));
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n  bad: [\n');
    const sarif = runValidate(['--format', 'sarif', dir], noStdin, process.env, '0');
    expect(sarif.code).toBe(1);
    const results = (
      JSON.parse(sarif.stdout) as {
        runs: {
          results: {
            ruleId: string;
            locations: {
              physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
            }[];
          }[];
        }[];
      }
    ).runs[0]?.results;
    const bad = results?.find((r) => r.ruleId === 'MS0029');
    expect(bad?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(join(dir, 'bad.yaml'));
    expect(bad?.locations[0]?.physicalLocation.region?.startLine).toBe(3);
    // The other file's findings are all there.
    expect(results?.some((r) => r.ruleId === 'IST0106')).toBe(true);
    const json = JSON.parse(runValidate(['--format', 'json', dir], noStdin, process.env, '0').stdout) as {
      findings: { code: string; file: string | null }[];
    };
    expect(json.findings.filter((f) => f.code === 'MS0029').map((f) => f.file)).toContain(
      join(dir, 'bad.yaml'),
    );
    // One file over the size cap: a finding, not an empty output with exit 2.
    // The caps are read at the entry: run the binary.
    const big = spawnSync(
      join(import.meta.dirname, '..', '..', 'bin', 'meshscrape'),
      ['validate', join(dir, 'recipe.yaml')],
      {
        encoding: 'utf8',
        env: { ...process.env, MESHSCRAPE_MAX_FILE_BYTES: '10' },
      },
    );
    expect(big.status).toBe(1);
    expect(big.stdout).toMatch(/MS0029[\s\S]*over the cap of 10 bytes/);
  });

  it('names the depth bound for a resource nested too deep, in the command and in KRM', () => {
    const deep = `${'['.repeat(300)}${']'.repeat(300)}`;
    const dir = mkdtempSync(join(tmpdir(), 'validate-deep-'));
    writeFileSync(
      join(dir, 'deep.yaml'),
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep, namespace: shop}\ndata:\n  x: ${deep}\n`,
    );
    const out = runValidate([join(dir, 'deep.yaml')], noStdin, process.env, '0');
    expect(out.stdout).toMatch(/MS0029[\s\S]*nest deeper than \d+ levels \(MESHSCRAPE_MAX_DEPTH\)/);
    expect(out.stdout).not.toContain('no kind');
    const krm = runKrm(
      `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: deep}\n  data:\n    x: ${deep}\n`,
      'validate-mesh-metrics',
    );
    expect(krm.stdout).toMatch(
      /items\[0\] is refused and passed through unchanged: its collections nest deeper than/,
    );
    expect(krm.stdout).not.toContain('is not a resource');
  });

  it('refuses bad usage with exit 2', () => {
    expect(run('--format', 'xml').code).toBe(2);
    expect(run('--fail-on', 'info', testdata('injection')).stderr).toContain('--fail-on');
    expect(run('--skip', 'XX0001', testdata('injection')).code).toBe(2);
    expect(run().stderr).toContain('give a PATH');
    expect(run('--help').stdout).toContain('--format FORMAT');
  });
});

describe('the bundled Istio annotation catalog', () => {
  it('matches istio/api annotations.yaml (scripts/istio-annotations.mjs --check)', () => {
    expect(() =>
      execFileSync('node', [join(root, 'scripts', 'istio-annotations.mjs'), '--check']),
    ).not.toThrow();
  });
});
