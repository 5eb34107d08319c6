/** A directory's manifests as `helm template` prints them, for playing Helm's part (no helm binary here). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Each document of the directory's YAML files (its kustomization left out) after `---` and a `# Source:` line. */
export function helmTemplateStream(dir: string, chart: string): string {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .sort()
    .flatMap((file) =>
      readFileSync(join(dir, file), 'utf8')
        .split(/^---\n/m)
        .filter((doc) => doc.trim() !== '')
        .map((doc) => `---\n# Source: ${chart}/templates/${file}\n${doc}`),
    )
    .join('');
}
