/** Every config field is documented in its function's README, and every function has its catalog files. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functions } from '../../src/cli/registry.js';

const root = join(import.meta.dirname, '..', '..');

describe.each(functions.map((fn) => [fn.name, fn] as const))('%s', (name, fn) => {
  const folder = join(root, 'functions', name);
  it('has README.md, metadata.yaml and testdata', () => {
    for (const file of ['README.md', 'metadata.yaml', 'testdata'])
      expect(existsSync(join(folder, file)), file).toBe(true);
  });
  it('documents every config field in its README', () => {
    const readme = readFileSync(join(folder, 'README.md'), 'utf8');
    for (const field of Object.keys(fn.schema.shape)) expect(readme, field).toContain(`\`${field}\``);
    for (const section of ['## Overview', '## Usage', '## FunctionConfig', '## Examples'])
      expect(readme).toContain(section);
  });
});
