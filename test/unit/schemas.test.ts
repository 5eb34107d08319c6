/** The published JSON Schemas (functions/<name>/config.schema.json) match the config schemas in code. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configJsonSchema } from '../../src/cli/help.js';
import { functions } from '../../src/cli/registry.js';

const root = join(import.meta.dirname, '..', '..');

describe.each(functions.map((fn) => [fn.name, fn] as const))('%s', (name, fn) => {
  it('config.schema.json is current (regenerate: npm run schemas)', () => {
    const published = JSON.parse(
      readFileSync(join(root, 'functions', name, 'config.schema.json'), 'utf8'),
    ) as unknown;
    expect(published).toEqual(configJsonSchema(fn));
  });

  it("accepts the bundled pipelines' and golden cases' typed configs", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(configJsonSchema(fn));
    const files = [
      // A function the bundled pipelines do not run (relocate-namespace) has no config there.
      ...['kustomize', 'kpt']
        .map((d) => join(root, 'pipelines', d, `${name}.yaml`))
        .filter((file) => existsSync(file)),
      ...readdirSync(join(root, 'functions', name, 'testdata')).map((c) =>
        join(root, 'functions', name, 'testdata', c, 'config.yaml'),
      ),
    ];
    let checked = 0;
    for (const file of files) {
      const config = parse(readFileSync(file, 'utf8')) as { kind?: string };
      if (config.kind !== fn.kind) continue;
      checked++;
      expect(validate(config), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    expect(checked).toBeGreaterThan(2);
  });
});
