/**
 * The plain-scalar rule against the full parser (parseDocument with the project's options), the oracle: wherever a
 * line reader answers, it answers what the parser gives; where the parser would give a non-string, the readers
 * that want strings decline.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseOptions } from '../../src/krm/yaml-options.js';
import { itemLines } from '../../src/text/item-lines.js';
import { readScalar } from '../../src/text/plain-scalar.js';
import { readBlockMapping } from '../../src/text/read-block.js';
import { readHeader } from '../../src/text/read-header.js';

/** Scalars whose meaning differs between YAML 1.1 and 1.2, or that need quoting, or that are not plain at all. */
const table = [
  ...['yes', 'Yes', 'YES', 'no', 'No', 'NO', 'y', 'Y', 'n', 'N', 'on', 'On', 'ON', 'off', 'Off', 'OFF'],
  ...['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL', '~', 'nULL', 'yES', 'tRUE'],
  ...[
    '0',
    '7',
    '42',
    '-1',
    '+1',
    '007',
    '0755',
    '08',
    '0x1F',
    '0X1F',
    '0b101',
    '0o17',
    '1_000',
    '1e3',
    '1E3',
  ],
  ...[
    '1.5',
    '.5',
    '5.',
    '.',
    '+.',
    '-.',
    '._',
    '1.2.3',
    '-.inf',
    '.inf',
    '.Inf',
    '.NaN',
    '.nan',
    'inf',
    'nan',
    '12:30',
    '1:20:30.5',
  ],
  ...[
    '123456789012345',
    '1234567890123456',
    '2001-12-14',
    '2001-12-14t21:59:43.10-05:00',
    '2001-12-14 21:59:43',
  ],
  ...[
    '2001-1-1',
    '2001-12-14x',
    '<<',
    '<',
    '=',
    'v1',
    'apps/v1',
    'my-app',
    '-a.b_c/d',
    'a-b',
    'app.kubernetes.io',
  ],
  ...[
    '"quoted"',
    "'single'",
    '""',
    "''",
    "'it''s'",
    '"esc\\"aped"',
    '"a\\tb"',
    "'a\\b'",
    '"a" # c',
    "'a' #c",
  ],
  ...[
    '"a"#c',
    '"a" x',
    '"open',
    "'open",
    'a # comment',
    'a#b',
    'a #b',
    'a: b',
    'a:b',
    'a:',
    ':a',
    '-a',
    '- a',
  ],
  ...[
    '?a',
    '? a',
    '-',
    '?',
    ':',
    ',a',
    'a,b',
    'a]',
    '[a]',
    '{a}',
    'a}',
    '#c',
    '&a',
    '*a',
    '!a',
    '|',
    '>',
    '%a',
  ],
  ...['@a', '`a', 'a b', 'a  b  ', '  a', 'a\tb', '', ' ', 'yes # c', '1 # c', 'Yes#c', 'a"b', "a'b", 'a\\b'],
];

const alphabet = [...'abynoftNOTYF0123456789_-+.:~<x#\'" ,[]{}!&*|>%@`\\eEinfa'];
const key = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9./-]{0,6}$/),
  fc.constantFrom('yes', 'on', 'N', '1', '0x1', 'null', 'True', 'e1', '.5'),
);
const generated = fc.oneof(
  fc.constantFrom(...table),
  fc.array(fc.constantFrom(...alphabet), { maxLength: 8 }).map((chars) => chars.join('')),
  fc
    .tuple(
      fc.constantFrom('', '+', '-'),
      fc.stringMatching(/^[0-9_.:eE]{1,8}$/),
      fc.constantFrom('', ' # c', ' '),
    )
    .map((parts) => parts.join('')),
);

/** The parser's data for a text; undefined when it reports errors or cannot resolve an alias. */
function oracle(text: string): unknown {
  const document = parseDocument(text, parseOptions);
  if (document.errors.length > 0) return undefined;
  try {
    return document.toJS() as unknown;
  } catch {
    return undefined;
  }
}

/** What the parser gives for `key: <text>`: the value, or undefined when the document has errors. */
function parsed(text: string): { value: unknown } | undefined {
  const data = oracle(`key: ${text}\n`) as { key: unknown } | undefined;
  return data && { value: data.key };
}

function agrees(text: string): void {
  const read = readScalar(text);
  if (read === undefined) return;
  expect(parsed(text), JSON.stringify(text)).toEqual({ value: read });
}

describe('the plain-scalar rule', () => {
  it('answers what the parser gives, on the table', () => {
    for (const text of table) agrees(text);
  });

  it('answers what the parser gives, on generated scalars', () => {
    fc.assert(
      fc.property(generated, (text) => agrees(text)),
      { numRuns: 5000 },
    );
  });

  it('declines every scalar the parser reads as another type', () => {
    for (const text of [
      'yes',
      'no',
      'on',
      'off',
      'True',
      'TRUE',
      'null',
      '~',
      '0x1F',
      '1e3',
      '.inf',
      '2001-12-14',
    ])
      expect(readScalar(text), text).toBeUndefined();
    expect(readScalar('42')).toBe(42);
    expect(readScalar('"yes"')).toBe('yes');
  });

  it('answers often enough to matter', () => {
    const answered = table.filter((text) => readScalar(text) !== undefined);
    expect(answered.length).toBeGreaterThan(40);
  });
});

describe('readers using the rule', () => {
  it('reads a header as the parser reads the resource, or declines', () => {
    let answered = 0;
    fc.assert(
      fc.property(generated, generated, fc.boolean(), (name, kind, continued) => {
        const text = `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n${continued ? '   more\n' : ''}  namespace: ns\n`;
        const data = oracle(text) as { kind?: unknown; metadata?: { name?: unknown } } | undefined;
        if (!data) return;
        const header = readHeader(text, 0);
        if (!header.simple) return;
        answered++;
        expect(header.kind, text).toBe(data.kind);
        expect(header.name, text).toBe(data.metadata?.name);
      }),
      { numRuns: 3000 },
    );
    expect(answered).toBeGreaterThan(300);
  });

  it('declines `name: yes`, which the parser reads as true', () => {
    const header = readHeader('kind: A\nmetadata:\n  name: yes\n', 0);
    expect(header.simple).toBe(false);
    expect(header.name).toBeUndefined();
  });

  it('reads label blocks as the parser reads them, or declines', () => {
    let answered = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(key, generated), { maxLength: 4 }), (pairs) => {
        const lines = ['labels:', ...pairs.map(([key, value]) => `  ${key}: ${value}`)];
        const data = oracle(lines.join('\n')) as { labels: unknown } | undefined;
        if (!data) return;
        const read = readBlockMapping(itemLines(lines.join('\n'), 0), 0, lines.length, 0);
        if (read === undefined) return;
        answered++;
        expect(read, lines.join('\n')).toEqual(data);
      }),
      { numRuns: 3000 },
    );
    expect(answered).toBeGreaterThan(150);
  });
});
