/** Document origins read off the lines agree with the parser's, or the parser counts. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentOrigins, originsByLines } from '../../src/cli/manifest-file.js';
import { realWorldFiles, streamFiles } from '../support/corpus.js';

describe('originsByLines', () => {
  it('gives the parser origins on the fixtures and real-world manifests', () => {
    let compared = 0;
    for (const file of [...streamFiles(), ...realWorldFiles('the origins oracle on real-world manifests')]) {
      const text = readFileSync(file, 'utf8');
      const parsed = documentOrigins('f.yaml', text);
      const quick = originsByLines('f.yaml', text);
      if (!parsed.ok || !quick) continue;
      compared++;
      expect(quick, file).toEqual(parsed.value);
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('counts empty documents and a leading comment as the parser does, and declines directives', () => {
    for (const text of [
      'a: 1\n---\n---\nb: 2\n',
      '# c\n---\na: 1\n',
      '---\na: 1\n---\n',
      '\n\n# x\na: 1\n---\n# only a comment\n---\nb: 1\n',
    ]) {
      const parsed = documentOrigins('f.yaml', text);
      expect(originsByLines('f.yaml', text), text).toEqual(parsed.value);
    }
    expect(originsByLines('f.yaml', '%YAML 1.1\n---\na: 1\n')).toBeUndefined();
    expect(originsByLines('f.yaml', 'a: 1\n...\n')).toBeUndefined();
  });
});
