/**
 * Catalog-grade packaging from one repository setting: package.json `repository.url`. Every function's
 * metadata.yaml links its source and example packages absolutely, at this version's tag, to folders that exist and
 * are kpt packages; the Dockerfile's label defaults name the same repository and version.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repositoryWebUrl } from '../../src/cli/package-manifest.js';
import { functions } from '../../src/cli/registry.js';

const root = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  repository: { url: string };
};
const repository = repositoryWebUrl(manifest.repository.url);
const tree = `${repository}/tree/v${manifest.version}/`;

it('the repository setting is an https URL of a repository', () => {
  expect(repository).toMatch(/^https:\/\/[^/]+\/[^/]+\/[^/]+$/);
});

describe.each(functions.map((fn) => fn.name))('%s metadata.yaml', (name) => {
  const metadata = parse(readFileSync(join(root, 'functions', name, 'metadata.yaml'), 'utf8')) as {
    image: string;
    sourceURL: string;
    examplePackageURLs: string[];
  };

  it('links its source folder absolutely, from package.json repository.url', () => {
    expect(metadata.sourceURL).toBe(`${tree}functions/${name}`);
    expect(metadata.image).toBe(`localhost/meshscrape-${name}:v${manifest.version}`);
  });

  it('links example packages that exist here as kpt packages, its own examples first', () => {
    expect(metadata.examplePackageURLs.length).toBeGreaterThan(0);
    for (const url of metadata.examplePackageURLs) {
      expect(url.startsWith(tree), url).toBe(true);
      const path = url.slice(tree.length);
      expect(existsSync(join(root, path, 'Kptfile')), `${path}/Kptfile`).toBe(true);
    }
    expect(metadata.examplePackageURLs[0]).toContain(`/functions/${name}/examples/`);
  });
});

it("the Dockerfile's OCI label defaults are the repository and version of package.json", () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  expect(dockerfile).toContain(`ARG VERSION=${manifest.version}\n`);
  expect(dockerfile).toContain(`ARG SOURCE_URL=${repository}\n`);
  expect(dockerfile).toMatch(/^ENTRYPOINT \["\/usr\/local\/bin\/node", "\/app\/bin\/meshscrape"\]$/m);
  expect(dockerfile).toMatch(/^USER 65534:65534$/m);
  expect(dockerfile).toMatch(/^FROM runtime AS sidecar$/m);
  expect(dockerfile).toContain('/home/argocd/cmp-server/config/plugin.yaml');
});
