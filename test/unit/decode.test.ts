/** Input bytes to text: invalid UTF-8 found and located, never replaced silently; a byte order mark kept. */
import { describe, expect, it } from 'vitest';
import { runKrm } from '../../src/cli/krm-mode.js';
import { runPostRender } from '../../src/cli/post-render.js';
import { decodeInput } from '../../src/krm/decode.js';
import { resourceList } from '../support/resource-list.js';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('decodeInput', () => {
  it.each([
    ['a lone continuation byte', [0x80]],
    ['a cut two-byte sequence', [0xc3]],
    ['an overlong form', [0xc0, 0xaf]],
    ['a surrogate', [0xed, 0xa0, 0x80]],
    ['past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ])('finds %s at its byte offset', (_, bad) => {
    const decoded = decodeInput(bytes('é: "', bad, '"\n'));
    expect(decoded.invalid).toEqual({ byte: 5, char: 4 });
  });

  it('takes valid text as it is, four-byte characters included', () => {
    expect(decodeInput(bytes('a: "é😀"\n'))).toEqual({ text: 'a: "é😀"\n', bom: false });
  });

  it('recognises a byte order mark and takes it off', () => {
    expect(decodeInput(bytes([0xef, 0xbb, 0xbf], 'a: 1\n'))).toEqual({ text: 'a: 1\n', bom: true });
  });
});

const configMap =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bin\n  namespace: shop\ndata:\n  x: "INVALID"\n';

describe('invalid UTF-8 in the input', () => {
  it('fails the KRM run naming the resource, byte and line, and writes no item', () => {
    const list = resourceList(configMap);
    const at = list.indexOf('INVALID');
    const input = decodeInput(bytes(list.slice(0, at), [0xff], list.slice(at + 'INVALID'.length)));
    const out = runKrm(input, 'set-monitor-tls');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`invalid UTF-8 at byte ${at} (line 10) in ConfigMap/shop/bin`);
    expect(out.stdout).not.toContain('\uFFFD');
  });

  it('fails a stream mode with nothing on stdout', () => {
    const at = configMap.indexOf('INVALID');
    const input = decodeInput(bytes(configMap.slice(0, at), [0xfe], '"\n'));
    const out = runPostRender(['pipelines/helm/meshscrape.yaml'], input);
    expect(out).toMatchObject({ code: 1, stdout: '' });
    expect(out.stderr).toContain('in ConfigMap/shop/bin');
  });
});

describe('a byte order mark through the executable', () => {
  it('is read as one and written back', async () => {
    const { run, meshscrape } = await import('../support/orchestrators.js');
    const list = resourceList(configMap);
    const result = run(meshscrape, ['set-monitor-tls'], { input: `\uFEFF${list}` });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.startsWith(`\uFEFF${list.slice(0, 40)}`)).toBe(true);
  });
});

describe('CR LF line ends', () => {
  const monitor =
    'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: cart\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: cart\n  endpoints:\n  - port: metrics\n';

  it('are read as line ends and given back on every line; an untouched resource keeps its bytes', async () => {
    const { run, meshscrape } = await import('../support/orchestrators.js');
    const list = resourceList(`${configMap}---\n${monitor}`).replaceAll('\n', '\r\n');
    const result = run(meshscrape, ['set-monitor-tls'], { input: list });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(resourceList(configMap).split('items:\n')[1]?.replaceAll('\n', '\r\n'));
    expect(result.stdout).toContain('scheme: https\r\n');
    expect(result.stdout.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it('mixed with LF ends are not taken as CR LF text (the full parser reads them)', () => {
    expect(decodeInput(bytes('a: 1\r\nb: 2\n')).crlf).toBeUndefined();
    expect(decodeInput(bytes('a: 1\r\nb: 2\r\n'))).toEqual({ text: 'a: 1\nb: 2\n', bom: false, crlf: true });
  });
});
