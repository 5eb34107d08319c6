/**
 * What the executable knows of its own package, read from the package.json beside the bundle (dist/ of a clone, an
 * npm install, /app in the image): the version, and the repository URL, the one setting every absolute link is
 * built from (help's docs links; metadata.yaml and the image labels are checked against it).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package's version and repository web address (`undefined` when no package.json is found). */
export interface PackageManifest {
  version: string;
  repositoryUrl: string | undefined;
}

/** `git+https://host/owner/name.git` (package.json `repository.url`) as the repository's web address. */
export function repositoryWebUrl(url: string): string {
  return url.replace(/^git\+/, '').replace(/\.git$/, '');
}

/** The web address of a file or folder of the repository at this version's tag (`vX.Y.Z`). */
export function repositoryLink(
  manifest: PackageManifest,
  path: string,
  view: 'blob' | 'tree',
): string | undefined {
  return manifest.repositoryUrl && `${manifest.repositoryUrl}/${view}/v${manifest.version}/${path}`;
}

let cached: PackageManifest | undefined;

/** The nearest meshscrape package.json above this module (dist/ bundle or compiled tree). */
export function packageManifest(): PackageManifest {
  if (cached) return cached;
  for (const up of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const file = fileURLToPath(new URL(up, import.meta.url));
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
        name?: string;
        version?: string;
        repository?: { url?: string } | string;
      };
      if (manifest.name !== 'meshscrape' || !manifest.version) continue;
      const url = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
      cached = { version: manifest.version, repositoryUrl: url ? repositoryWebUrl(url) : undefined };
      return cached;
    } catch {
      // not at this level
    }
  }
  cached = { version: 'unknown', repositoryUrl: undefined };
  return cached;
}

/** A docs page of this version in the repository, as help prints it (the path alone when no URL is known). */
export function docsLink(path: string): string {
  return repositoryLink(packageManifest(), path, 'blob') ?? `${path} in the meshscrape repository`;
}
