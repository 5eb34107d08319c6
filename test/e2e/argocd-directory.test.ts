/**
 * argocd-generate on a plain (non-kustomization) application directory, driven as Argo CD's CMP server drives it:
 * the built executable in the directory. Argo CD prunes what the output leaves out, so every manifest Argo CD's
 * own directory apps would read must come out (.json too, Lists flattened), and whatever cannot be read safely
 * fails the sync naming the file, with nothing on stdout and no stack trace.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findResource,
  meshscrape,
  repoRoot,
  run,
  streamResources,
  tempDir,
} from '../support/orchestrators.js';

const example = join(repoRoot, 'pipelines', 'example');
const exampleFiles = ['namespaces.yaml', 'monitoring.yaml', 'shop.yaml'];
const isRoot = process.getuid?.() === 0;

/** A plain app: the example's manifests (no kustomization) and the Helm pipeline as meshscrape.yaml. */
function plainApp(): string {
  const dir = tempDir('argocd-dir');
  for (const file of ['namespaces.yaml', 'monitoring.yaml', 'shop.yaml'])
    cpSync(join(example, file), join(dir, file));
  cpSync(join(repoRoot, 'pipelines', 'helm', 'meshscrape.yaml'), join(dir, 'meshscrape.yaml'));
  return dir;
}

/** The resources of the example's manifest files. */
const exampleResources = () =>
  exampleFiles.flatMap((file) => streamResources(readFileSync(join(example, file), 'utf8')));

const generate = (dir: string, env: NodeJS.ProcessEnv = {}) =>
  // The timeout catches a reader that blocks (on a FIFO, say) instead of refusing.
  run(meshscrape, ['argocd-generate'], {
    cwd: dir,
    env: { ARGOCD_APP_PARAMETERS: '', ...env },
    timeout: 20_000,
  });

const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
const configMapYaml = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

/** Expects the sync to fail with nothing printed, a message matching `message` and no stack trace. */
function expectRefused(dir: string, message: RegExp, env: NodeJS.ProcessEnv = {}): void {
  const generated = generate(dir, env);
  expect(generated.code, generated.stderr).toBe(1);
  expect(generated.stdout).toBe('');
  expect(generated.stderr).toMatch(message);
  expect(generated.stderr).not.toMatch(/\n\s+at /);
}

describe('Argo CD plugin on a plain directory', () => {
  it('reads .yaml, .yml and .json manifests, Lists flattened, each resource once', () => {
    const dir = plainApp();
    mkdirSync(join(dir, 'extra'));
    writeFileSync(join(dir, 'extra', 'cm.yml'), configMapYaml('from-yml'));
    const monitor = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'json-cart', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'checkout' } }, endpoints: [{ port: 'http-metrics' }] },
    };
    writeFileSync(join(dir, 'extra', 'monitor.json'), JSON.stringify(monitor, null, '\t'));
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [{ ...configMap('from-json-list'), data: { n: 1e3 } }],
    };
    writeFileSync(join(dir, 'extra', 'list.json'), JSON.stringify(list));
    // kube-prometheus ships these kinds.
    writeFileSync(
      join(dir, 'extra', 'config-map-list.yaml'),
      'apiVersion: v1\nkind: ConfigMapList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: from-configmaplist\n',
    );
    const generated = generate(dir);
    expect(generated.code, generated.stderr).toBe(0);
    const out = streamResources(generated.stdout);
    const id = (r: Record<string, unknown>) => `${String(r.kind)}/${(r.metadata as { name: string }).name}`;
    const added = ['ConfigMap/from-configmaplist', 'ConfigMap/from-json-list', 'ConfigMap/from-yml'];
    // mount-istio-certs opens the two-replica example Prometheus' self-scrape ports.
    const generatedHere = ['PeerAuthentication/prometheus-k8s-self-scrape'];
    const expected = [...exampleResources().map(id), ...added, ...generatedHere, 'ServiceMonitor/json-cart'];
    expect(out.map(id).sort()).toEqual(expected.sort());
    expect(findResource(out, 'ConfigMap', 'from-json-list')).toMatchObject({ data: { n: 1000 } });
    expect(findResource(out, 'ServiceMonitor', 'json-cart')).toMatchObject({
      spec: { endpoints: [{ scheme: 'https' }] },
    });
  });

  it('reads each file on its own: a %YAML directive is fine, a parse error names file, document and line', () => {
    const dir = plainApp();
    writeFileSync(join(dir, 'a-directive.yaml'), `%YAML 1.1\n---\n${configMapYaml('d')}`);
    const generated = generate(dir);
    expect(generated.code, generated.stderr).toBe(0);
    expect(findResource(streamResources(generated.stdout), 'ConfigMap', 'd')).toBeDefined();

    mkdirSync(join(dir, 'sub'));
    writeFileSync(
      join(dir, 'sub', 'broken.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n',
    );
    expectRefused(dir, /sub\/broken\.yaml document 1 \(line 10\): malformed YAML: Map keys must be unique/);
  });

  it('skips empty documents, as kubectl does: a file ending in --- (Istio bookinfo.yaml), one holding only a comment', () => {
    const dir = plainApp();
    writeFileSync(join(dir, 'trailing.yaml'), `${configMapYaml('trailing')}---\n`);
    writeFileSync(join(dir, 'comment.yaml'), `${configMapYaml('commented')}---\n# nothing more\n`);
    const generated = generate(dir);
    expect(generated.code, generated.stderr).toBe(0);
    const out = streamResources(generated.stdout);
    expect(findResource(out, 'ConfigMap', 'trailing')).toBeDefined();
    expect(findResource(out, 'ConfigMap', 'commented')).toBeDefined();
  });

  it('refuses a .json manifest holding a key given twice, naming the file (JSON.parse would keep the last silently)', () => {
    const dir = plainApp();
    writeFileSync(
      join(dir, 'dup.json'),
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","name":"d","namespace":"shop"}}',
    );
    expectRefused(dir, /dup\.json: not valid for Kubernetes: Map keys must be unique/);
  });

  it('names the file and document of what is not a resource', () => {
    const cases: [string, string, RegExp][] = [
      [
        'scalar.yaml',
        `${JSON.stringify(configMap('x'))}\n---\n- 1\n`,
        /scalar\.yaml document 1 \(line 3\): not a resource/,
      ],
      [
        'nokind.yaml',
        'metadata:\n  name: x\n',
        /nokind\.yaml document 0 \(line 1\): not a Kubernetes resource \(no kind\)/,
      ],
      ['array.json', '[{}]', /array\.json: a \.json manifest must hold one JSON object/],
      ['bad.json', '{"kind": }', /bad\.json: not valid JSON/],
      [
        'list.yaml',
        'apiVersion: v1\nkind: RoleList\nitems: [1]\n',
        /list\.yaml document 0 \(line 1\): items\[0\] of the RoleList/,
      ],
    ];
    for (const [file, text, message] of cases) {
      const dir = plainApp();
      writeFileSync(join(dir, file), text);
      expectRefused(dir, message);
    }
  });

  it('follows symlinks inside the directory, files and folders', () => {
    const dir = plainApp();
    mkdirSync(join(dir, '.shared'));
    writeFileSync(join(dir, '.shared', 'cm.yaml'), configMapYaml('linked'));
    symlinkSync('.shared/cm.yaml', join(dir, 'cm.yaml'));
    symlinkSync('.shared', join(dir, 'folder'));
    const generated = generate(dir);
    expect(generated.code, generated.stderr).toBe(0);
    const linked = streamResources(generated.stdout).filter((r) => r.kind === 'ConfigMap');
    expect(linked).toHaveLength(2);
  });

  it('refuses symlinks out of the directory, non-regular files, loops and broken links, naming them', () => {
    const elsewhere = tempDir('argocd-elsewhere');
    writeFileSync(
      join(elsewhere, 'secret.yaml'),
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: stolen\n',
    );
    const cases: [(dir: string) => void, RegExp][] = [
      [
        (d) => symlinkSync(join(elsewhere, 'secret.yaml'), join(d, 'secret.yaml')),
        /secret\.yaml: a symlink to .*, outside the application directory/,
      ],
      [
        (d) => symlinkSync(elsewhere, join(d, 'other')),
        /other: a symlink to .*, outside the application directory/,
      ],
      [
        (d) => symlinkSync('/dev/zero', join(d, 'zero.yaml')),
        /zero\.yaml: a symlink to \/dev\/zero, outside/,
      ],
      [(d) => execFileSync('mkfifo', [join(d, 'pipe.yaml')]), /pipe\.yaml: a FIFO, not a regular file/],
      [
        (d) => {
          mkdirSync(join(d, 'sub'));
          symlinkSync('..', join(d, 'sub', 'up'));
        },
        /sub\/up: a symlink loop: it links back to \./,
      ],
      [(d) => symlinkSync('loop.yaml', join(d, 'loop.yaml')), /loop\.yaml: cannot follow it: a symlink loop/],
      [
        (d) => symlinkSync('missing.yaml', join(d, 'dangling.yaml')),
        /dangling\.yaml: cannot follow it: a broken symlink/,
      ],
    ];
    for (const [make, message] of cases) {
      const dir = plainApp();
      make(dir);
      expectRefused(dir, message);
    }
  });

  it('refuses files over the size caps, which the environment sets', () => {
    const dir = plainApp();
    expectRefused(
      dir,
      /monitoring\.yaml: \d+ bytes, over the cap of 100 bytes a file \(MESHSCRAPE_MAX_FILE_BYTES\)/,
      {
        MESHSCRAPE_MAX_FILE_BYTES: '100',
      },
    );
    expectRefused(dir, /exceed the cap of 3000 bytes in all \(MESHSCRAPE_MAX_INPUT_BYTES\)/, {
      MESHSCRAPE_MAX_INPUT_BYTES: '3000',
    });
    expectRefused(dir, /MESHSCRAPE_MAX_INPUT_BYTES must be a positive integer, not 16M/, {
      MESHSCRAPE_MAX_INPUT_BYTES: '16M',
    });
  });

  it('refuses an unreadable file or folder naming it (as an unprivileged user when run as root)', () => {
    const dir = plainApp();
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'locked.yaml'), configMapYaml('locked'));
    chmodSync(join(dir, 'locked.yaml'), 0o000);
    mkdirSync(join(dir, 'closed'), { mode: 0o000 });
    // root reads anything: run as nobody, as the sidecar runs as an unprivileged user too.
    const [command, args] = isRoot
      ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', meshscrape, 'argocd-generate']]
      : [meshscrape, ['argocd-generate']];
    const generated = run(command, args, { cwd: dir, env: { ARGOCD_APP_PARAMETERS: '' } });
    expect(generated.code, generated.stderr).toBe(1);
    expect(generated.stdout).toBe('');
    expect(generated.stderr).toMatch(/locked\.yaml: cannot read it: permission denied/);
    expect(generated.stderr).toMatch(/closed: cannot list the folder: permission denied/);
    expect(generated.stderr).not.toMatch(/\n\s+at /);
  });
});
