/** One malformed resource does not stop the run: it is reported, passed through unchanged, and the rest is edited. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runKrm } from '../../src/cli/krm-mode.js';
import * as splitter from '../../src/text/split-list.js';

const input = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'duplicate-key-monitor.yaml'), 'utf8');
type Output = {
  items: { metadata: { name: string }; spec: { endpoints: { scheme?: string }[] } }[];
  results: { severity: string; message: string; resourceRef?: { name: string } }[];
};

describe('a malformed item beside valid ones', () => {
  it('a key given twice: a warning naming resource and key, the item as it came, the other monitor edited', () => {
    const out = runKrm(input, 'set-monitor-tls');
    expect(out.code).toBe(0);
    const output = parse(out.stdout, { uniqueKeys: false }) as Output;
    expect(output.items.map((i) => i.metadata.name)).toEqual(['broken', 'cart']);
    expect(output.items[1]?.spec.endpoints[0]?.scheme).toBe('https');
    expect(out.stdout).toContain('    - port: metrics\n      port: web\n- apiVersion');
    expect(output.results[0]).toMatchObject({
      severity: 'warning',
      resourceRef: { name: 'broken' },
      message: expect.stringMatching(/the key port appears twice in one mapping \(line 12 of the resource\)/),
    });
  });

  it.each([
    ['an alias in a result message', 'results:\n- message: carried *over\n  severity: info\n'],
    ['an anchor and alias elsewhere', 'extra: &a 1\nagain: *a\n'],
  ])('a key given twice, the list read through the full parser (%s): the same warning, item and edits', (_, tail) => {
    const { splitResourceList } = splitter;
    const full = `${input}${tail}`;
    expect(splitResourceList(full), 'the full parser reads it').toBeUndefined();
    const split = runKrm(input, 'set-monitor-tls');
    const out = runKrm(full, 'set-monitor-tls');
    expect(out.code).toBe(0);
    const output = parse(out.stdout, { uniqueKeys: false }) as Output;
    expect(output.items.map((i) => i.metadata.name)).toEqual(['broken', 'cart']);
    expect(output.items[1]?.spec.endpoints[0]?.scheme).toBe('https');
    expect(out.stdout).toContain('    - port: metrics\n      port: web\n- apiVersion');
    const warnings = (text: string) =>
      (parse(text, { uniqueKeys: false }) as Output).results.filter((r) => r.severity !== 'info');
    expect(warnings(out.stdout)).toEqual(warnings(split.stdout));
  });

  it('a header key given twice: the same results on both reading paths, and a second run agrees', () => {
    const header = input.replace(
      '  metadata:\n    name: broken',
      '  metadata:\n  metadata:\n    name: broken',
    );
    const full = `${header}extra: &a 1\nagain: *a\n`;
    expect(splitter.splitResourceList(full)).toBeUndefined();
    const results = (text: string) => (parse(text, { uniqueKeys: false }) as Output).results;
    const split = runKrm(header, 'set-monitor-tls');
    const out = runKrm(full, 'set-monitor-tls');
    expect(out.code).toBe(split.code);
    expect(results(out.stdout)).toEqual(results(split.stdout));
    const again = runKrm(out.stdout, 'set-monitor-tls');
    expect(again.code).toBe(out.code);
  });

  it('YAML the parser cannot read: an error naming the resource, the rest still edited', () => {
    const broken = input.replace('      port: web\n', '      path: web: x\n');
    const out = runKrm(broken, 'set-monitor-tls');
    expect(out.code).toBe(1);
    const output = parse(out.stdout.replace('      path: web: x\n', '')) as Output;
    expect(output.items[1]?.spec.endpoints[0]?.scheme).toBe('https');
    expect(output.results[0]).toMatchObject({ severity: 'error', resourceRef: { name: 'broken' } });
    expect(out.stdout).toContain('    - port: metrics\n      path: web: x\n- apiVersion');
  });
});
