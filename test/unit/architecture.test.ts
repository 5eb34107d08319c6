/**
 * The layering the project keeps (README, Development): src/cli -> functions/<name> -> src/domain -> src/krm ->
 * src/text, each importing only the layers below it, no function importing another, and no import cycle, type
 * imports included.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'testdata') return [];
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const files = [...sources('src'), ...sources('functions')];
const imports = new Map(
  files.map((file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const targets = [...text.matchAll(/from '(\.[^']+)'/g)].map((m) =>
      relative(root, normalize(join(root, dirname(file), (m[1] as string).replace(/\.js$/, '.ts')))),
    );
    return [file, targets] as const;
  }),
);

function layer(file: string): number {
  if (file.startsWith('src/cli/')) return 4;
  if (file.startsWith('functions/')) return 3;
  if (file.startsWith('src/domain/')) return 2;
  if (file.startsWith('src/krm/')) return 1;
  if (file.startsWith('src/text/')) return 0;
  throw new Error(`${file} is in no layer`);
}

describe('architecture', () => {
  it('imports only from the same layer or below, and no function from another', () => {
    const wrong: string[] = [];
    for (const [file, targets] of imports) {
      for (const target of targets) {
        if (layer(target) > layer(file)) wrong.push(`${file} -> ${target}`);
        const [top, fn] = file.split('/');
        const [targetTop, targetFn] = target.split('/');
        if (top === 'functions' && targetTop === 'functions' && fn !== targetFn)
          wrong.push(`${file} -> ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets src/cli, functions and src/domain reach the runtime only through src/krm/index.ts, the text layer never', () => {
    const wrong: string[] = [];
    for (const [file, targets] of imports) {
      if (layer(file) < 2) continue;
      for (const target of targets) {
        if (layer(target) < 2 && target !== 'src/krm/index.ts') wrong.push(`${file} -> ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps the text layer to line-level work: no import from above, no package but yaml', () => {
    const wrong: string[] = [];
    for (const file of files.filter((f) => f.startsWith('src/text/'))) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const m of text.matchAll(/from '([^']+)'/g)) {
        const target = m[1] as string;
        if (target.startsWith('.') ? !target.startsWith('./') : target !== 'yaml')
          wrong.push(`${file} -> ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      state.set(file, 'open');
      for (const target of imports.get(file) ?? []) {
        if (state.get(target) === 'open')
          cycles.push([...path.slice(path.indexOf(target)), target].join(' -> '));
        else if (!state.has(target)) visit(target, [...path, target]);
      }
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file, [file]);
    expect(cycles).toEqual([]);
  });
});
