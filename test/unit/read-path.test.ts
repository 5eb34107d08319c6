/** Reading one block by indentation must give exactly what the full parser gives, or say it cannot. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseBlock } from '../../src/krm/parse-block.js';
import { itemLines } from '../../src/text/item-lines.js';
import { digPath, fallback, type PathStep, readPath } from '../../src/text/read-path.js';
import { dedent } from '../../src/text/reindent.js';
import { splitResourceList } from '../../src/text/split-list.js';
import { streamFiles } from '../support/corpus.js';
import { read, resourceList } from '../support/resource-list.js';

const paths = [
  ['metadata', 'labels'],
  ['metadata', 'annotations'],
  ['metadata', 'name'],
  ['spec', 'selector'],
  ['spec', 'ports'],
  ['spec', 'template', 'metadata', 'labels'],
  ['spec', 'template', 'metadata', 'annotations'],
  ['spec', 'template', 'spec', 'hostNetwork'],
  ['spec', 'template', 'spec', 'containers', '*', 'ports'],
  ['spec', 'template', 'spec', 'containers', '*'],
  ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers', '*', 'ports'],
  ['spec', 'endpoints'],
  ['data'],
  ['missing', 'path'],
];

/** readPath on an item given as lines, prepared as Item.read prepares it. */
function readLines(lines: readonly string[], indent: number, path: readonly PathStep[]) {
  return readPath(itemLines(lines.join('\n'), indent), indent, path, parseBlock);
}

describe('readPath', () => {
  it('agrees with the full parser on every item of the project fixtures (and kube-prometheus when present)', () => {
    let answered = 0;
    for (const file of streamFiles()) {
      const split = splitResourceList(resourceList(read(file)));
      if (!split) continue;
      for (const item of split.items) {
        const lines = item.text.split('\n');
        const full = parse(dedent(lines, item.indent), { version: '1.1' }) as unknown;
        for (const path of paths) {
          const value = readLines(lines, item.indent, path);
          if (value === fallback) continue;
          answered++;
          expect(value, `${file} ${path.join('.')}`).toEqual(digPath(full, path));
        }
      }
    }
    expect(answered).toBeGreaterThan(500);
  });

  it('handles compact and indented lists, comments, block scalars and flow values', () => {
    const lines = [
      '- # head',
      '  kind: Deployment',
      '  spec:',
      '    template:',
      '      spec:',
      '        containers:',
      '        - name: a # first',
      '          ports:',
      '          - containerPort: 80',
      '        # between',
      '        - name: b',
      '          ports: [{containerPort: 81, name: x}]',
      '          args:',
      '            - |',
      '              ports: not a key',
      '  data:',
      '    ports: |',
      '      - a',
    ];
    expect(readLines(lines, 2, ['spec', 'template', 'spec', 'containers', '*', 'ports'])).toEqual([
      [{ containerPort: 80 }],
      [{ containerPort: 81, name: 'x' }],
    ]);
    expect(readLines(lines, 2, ['data', 'ports'])).toBe('- a\n');
    expect(readLines(lines, 2, ['spec', 'selector'])).toBeUndefined();
  });

  it('reads tricky YAML 1.1 scalars exactly as the full parser does', () => {
    const values = [
      'yes',
      'on',
      'No',
      '~',
      '0755',
      '0x1F',
      '1_000',
      '1.5',
      '-1',
      '8080',
      '0',
      'web',
      '"8080"',
      "'on'",
      'a b',
      'v1.2.3',
      'x # comment',
      '"a # b"',
      'true',
      'Null',
      '.inf',
      '2024-01-01',
      'a:b',

      'é',
      '""',
    ];
    for (const value of values) {
      const lines = ['metadata:', '  labels:', `    key: ${value}`, `    other: plain`];
      const full = parse(lines.join('\n'), { version: '1.1' }) as unknown;
      const read = readLines(lines, 0, ['metadata', 'labels']);
      if (read === fallback) continue;
      expect(read, value).toEqual(digPath(full, ['metadata', 'labels']));
    }
    const ports = [
      'ports:',
      '- name: http',
      '  containerPort: 8080',
      '  protocol: TCP',
      '- containerPort: 0755',
    ];
    const full = parse(ports.join('\n'), { version: '1.1' }) as unknown;
    const read = readLines(ports, 0, ['ports']);
    expect(read === fallback ? digPath(full, ['ports']) : read).toEqual(digPath(full, ['ports']));
  });

  it('leaves duplicate and quoted keys to the full parser', () => {
    expect(readLines(['metadata:', '  name: a', '  name: b'], 0, ['metadata', 'name'])).toBe(fallback);
    expect(readLines(['metadata:', '  "name": a'], 0, ['metadata', 'name'])).toBe(fallback);
  });

  it('does not read keys out of a list entry that is a block scalar (found by the oracle test)', () => {
    const lines = ['spec:', '  endpoints:', '  - port: a', '  - |', '    port: b', '    path: /x'];
    expect(parse(lines.join('\n'))).toEqual({ spec: { endpoints: [{ port: 'a' }, 'port: b\npath: /x\n'] } });
    expect(readLines(lines, 0, ['spec', 'endpoints', '*', 'port'])).toBe(fallback);
    expect(
      readLines(['spec:', '  endpoints:', '  - >-', '    port: b'], 0, ['spec', 'endpoints', '*', 'port']),
    ).toBe(fallback);
  });

  it('reads a key that starts with dashes as a key, not as a list (found by the oracle test)', () => {
    const lines = ['spec:', '  --- a: b', '  selector:', '    app: x'];
    expect(parse(lines.join('\n'))).toEqual({ spec: { '--- a': 'b', selector: { app: 'x' } } });
    expect(readLines(lines, 0, ['spec', 'selector'])).toEqual({ app: 'x' });
  });
});
