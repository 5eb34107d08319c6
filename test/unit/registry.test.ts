/**
 * The registry (src/cli/registry.ts) is the one list of functions: every other list (the schema script, the
 * Argo CD plugin's parameters, the README table, the pipeline order) is checked against it, so a new function is
 * its folder plus one registry line, and a list that forgets it fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { functions, pipelineOrder } from '../../src/cli/registry.js';

const root = join(import.meta.dirname, '..', '..');
const names = functions.map((fn) => fn.name).sort();

describe('the function registry', () => {
  it('lists every function folder', () => {
    const folders = readdirSync(join(root, 'functions')).filter((f) =>
      statSync(join(root, 'functions', f)).isDirectory(),
    );
    expect(folders.sort()).toEqual(names);
  });

  it('orders every function for pipelines', () => {
    expect([...pipelineOrder].sort()).toEqual(names);
  });

  it("is what package.json's schema script writes", () => {
    const script = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts.schemas as string;
    const listed = /for f in ([^;]+);/.exec(script)?.[1]?.trim().split(/\s+/) ?? [];
    expect(listed.sort()).toEqual(names);
  });

  it('is what the Argo CD plugin announces as map parameters', () => {
    const plugin = parse(readFileSync(join(root, 'plugin.yaml'), 'utf8')) as {
      spec: { parameters: { static: { name: string; collectionType: string }[] } };
    };
    const maps = plugin.spec.parameters.static.filter((p) => p.collectionType === 'map').map((p) => p.name);
    expect(maps.sort()).toEqual(names);
  });

  it("is the README's function table, with each config kind", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const rows = [
      ...readme.matchAll(/^\| \[`([a-z-]+)`\]\(functions\/[a-z-]+\/README\.md\) \| `(\w+)` \|/gm),
    ].map((m) => `${m[1]}:${m[2]}`);
    expect(rows.sort()).toEqual(functions.map((fn) => `${fn.name}:${fn.kind}`).sort());
  });
});
