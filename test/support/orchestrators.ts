/** Drives the real orchestrators (kpt, kubectl kustomize) and the built executable, for e2e tests. */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** The repository root. */
export const repoRoot = join(import.meta.dirname, '..', '..');
/** The built executable. */
export const meshscrape = join(repoRoot, 'bin', 'meshscrape');

/** The package version, as the images are tagged (`v` + it). */
export const version = (
  JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }
).version;

/**
 * Whether podman is installed: the container tests need it (.ci/run installs it). MESHSCRAPE_SKIP_CONTAINERS=1 turns
 * them off for a local run beside another checkout (two checkouts building the same image tags at once race);
 * CI never sets it.
 */
export const hasPodman =
  process.env.MESHSCRAPE_SKIP_CONTAINERS !== '1' && spawnSync('podman', ['--version']).status === 0;

/** Environment for podman with the settings in container/podman (see container/podman/env.sh). */
export const podmanEnv = {
  CONTAINERS_CONF: join(repoRoot, 'container', 'podman', 'containers.conf'),
  CONTAINERS_STORAGE_CONF: join(repoRoot, 'container', 'podman', 'storage.conf'),
};

/** A fresh temporary directory. */
export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `meshscrape-${prefix}-`));

/** Result of a process run. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command, never throwing on a non-zero exit (a process killed at `timeout` ms gives code -1). */
export function run(
  command: string,
  args: readonly string[],
  options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): Run {
  const result = spawnSync(command, args, {
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    input: options.input ?? '',
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error && (result.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Copies directories' files into one new package directory. */
export function makePackage(prefix: string, ...sources: string[]): string {
  const dir = tempDir(prefix);
  for (const source of sources) {
    for (const file of readdirSync(source)) {
      if (file.endsWith('.yaml') || file === 'Kptfile') cpSync(join(source, file), join(dir, file));
    }
  }
  return dir;
}

/** Writes legacy kustomize plugin wrappers into a new directory and returns it (KUSTOMIZE_PLUGIN_HOME). */
export function installPlugins(): string {
  const dir = tempDir('plugins');
  execFileSync(meshscrape, ['install-kustomize-plugins', dir]);
  return dir;
}

/** `kubectl kustomize --enable-alpha-plugins DIR` with meshscrape's legacy plugins installed for it. */
export function kustomizeWithPlugins(dir: string): Run {
  return run('kubectl', ['kustomize', '--enable-alpha-plugins', dir], {
    env: { KUSTOMIZE_PLUGIN_HOME: installPlugins() },
  });
}

type Resource = Record<string, unknown> & { metadata?: { annotations?: Record<string, string> } };

const orchestratorAnnotation =
  /^(config\.kubernetes\.io|internal\.config\.kubernetes\.io|kustomize\.config\.k8s\.io|config\.k8s\.io)\//;

/** Resources without orchestrator annotations and local config, sorted by identity: comparable across paths. */
export function normalize(resources: readonly Resource[]): Resource[] {
  const out: Resource[] = [];
  for (const resource of resources) {
    const copy = structuredClone(resource);
    const annotations = copy.metadata?.annotations;
    if (annotations?.['config.kubernetes.io/local-config'] === 'true' || copy.kind === 'Kptfile') continue;
    if (annotations) {
      for (const key of Object.keys(annotations))
        if (orchestratorAnnotation.test(key)) delete annotations[key];
      if (Object.keys(annotations).length === 0 && copy.metadata) delete copy.metadata.annotations;
    }
    out.push(copy);
  }
  const id = (r: Resource): string => {
    const m = r.metadata as { name?: string; namespace?: string } | undefined;
    return `${String(r.apiVersion)}|${String(r.kind)}|${m?.namespace ?? ''}|${m?.name ?? ''}`;
  };
  return out.sort((a, b) => id(a).localeCompare(id(b)));
}

/** The resource of that kind and name, if the list has it. */
export function findResource(
  resources: readonly Resource[],
  kind: string,
  name: string,
): Resource | undefined {
  return resources.find(
    (r) => r.kind === kind && (r.metadata as { name?: string } | undefined)?.name === name,
  );
}

/** Resources of a YAML stream. */
export function streamResources(text: string): Resource[] {
  return parseAllDocuments(text, { version: '1.1' })
    .map((d) => d.toJS() as Resource | null)
    .filter((r): r is Resource => r !== null);
}

/** Resources of a ResourceList's items. */
export function listResources(text: string): Resource[] {
  return ((parse(text, { version: '1.1' }) as { items?: Resource[] }).items ?? []) as Resource[];
}

/** Resources in a package directory's YAML files, subfolders included (kpt writes new resources there). */
export function packageResources(dir: string): Resource[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => streamResources(readFileSync(join(dir, f), 'utf8')));
}

/**
 * `meshscrape argocd-generate` in the Argo CD sidecar image, as the CMP server runs it: uid 999, read-only root and
 * source directory, no network, the app's source as the working directory.
 */
export function argocdGenerateInSidecar(source: string): Run {
  return run(
    'podman',
    [
      'run',
      '--rm',
      '--network',
      'none',
      '--user',
      '999',
      '--read-only',
      '--tmpfs',
      '/tmp',
      '-v',
      `${source}:/src:ro`,
      '-w',
      '/src',
      '--entrypoint',
      '/usr/local/bin/node',
      `localhost/meshscrape-argocd:v${version}`,
      '/app/bin/meshscrape',
      'argocd-generate',
    ],
    { env: podmanEnv },
  );
}
