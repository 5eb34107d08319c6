/**
 * The container image (Dockerfile, container/build-image.sh) through the real orchestrators: kpt runs it with
 * podman (`KPT_FN_RUNTIME=podman`), kubectl kustomize through the docker shim. It must run as nobody with no
 * network, answer `kpt fn doc`, and give the same resources as the exec and legacy-plugin paths.
 * Needs podman and runc (.ci/run installs them); without podman the suite is skipped and says why.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findResource,
  hasPodman,
  kustomizeWithPlugins,
  makePackage,
  normalize,
  packageResources,
  podmanEnv,
  repoRoot,
  run,
  streamResources,
  version,
} from '../support/orchestrators.js';

if (!hasPodman)
  console.warn('container e2e skipped: no podman (apt-get install --no-install-recommends podman runc)');

const env = { ...podmanEnv, KPT_FN_RUNTIME: 'podman' };
const example = join(repoRoot, 'pipelines', 'example');
const kptConfigs = join(repoRoot, 'pipelines', 'kpt');

describe.skipIf(!hasPodman)('the container image', () => {
  // test/support/global-setup.ts built the images before any test file started.
  const image = `localhost/meshscrape:v${version}`;

  it('runs as nobody (uid 65534) from a root filesystem without a shell', () => {
    const inspect = run('podman', ['image', 'inspect', '--format', '{{.Config.User}}', image], { env });
    expect(inspect.stdout.trim()).toBe('65534:65534');
    const shell = run('podman', ['run', '--rm', '--entrypoint', '/bin/sh', image, '-c', 'true'], { env });
    expect(shell.code).not.toBe(0);
  });

  it('is tagged with the version and the floating vX.Y and vX, never latest', () => {
    const [major, minor] = version.split('.');
    for (const name of ['meshscrape', 'meshscrape-set-monitor-tls', 'meshscrape-argocd']) {
      for (const tag of [version, `${major}.${minor}`, `${major}`])
        expect(run('podman', ['image', 'exists', `localhost/${name}:v${tag}`], { env }).code, tag).toBe(0);
      expect(run('podman', ['image', 'exists', `localhost/${name}:latest`], { env }).code).not.toBe(0);
    }
  });

  it('carries the OCI labels: source from package.json repository.url, version, licenses, title', () => {
    const labels = run('podman', ['image', 'inspect', '--format', '{{json .Config.Labels}}', image], { env });
    expect(JSON.parse(labels.stdout)).toMatchObject({
      'org.opencontainers.image.source': 'https://github.com/meshscrape/meshscrape',
      'org.opencontainers.image.version': version,
      'org.opencontainers.image.licenses': 'Apache-2.0',
      'org.opencontainers.image.title': 'meshscrape',
    });
  });

  it('answers kpt fn doc with the usage and the functions', () => {
    const doc = run('kpt', ['fn', 'doc', '--image', image], { env });
    expect(doc.code, doc.stderr).toBe(0);
    for (const fn of ['set-monitor-tls', 'mount-istio-certs', 'fix-pod-monitors'])
      expect(doc.stdout).toContain(fn);
  });

  it('kpt fn render with the image gives what the exec pipeline gives', () => {
    const withImage = makePackage(
      'image-render',
      example,
      kptConfigs,
      join(repoRoot, 'pipelines', 'kpt-container'),
    );
    const rendered = run('kpt', ['fn', 'render', withImage, '--image-pull-policy', 'never'], { env });
    expect(rendered.code, rendered.stderr).toBe(0);
    const withExec = makePackage('exec-render', example, kptConfigs);
    const exec = run('kpt', ['fn', 'render', withExec, '--allow-exec']);
    expect(exec.code, exec.stderr).toBe(0);
    const resources = normalize(packageResources(withImage));
    expect(resources.some((r) => r.kind === 'ServiceMonitor')).toBe(true);
    expect(resources).toEqual(normalize(packageResources(withExec)));
  });

  it('kpt fn eval runs the per-function image with key=value config, and fails loudly on a bad one', () => {
    const fnImage = image.replace('/meshscrape:', '/meshscrape-set-monitor-tls:');
    const pkg = makePackage('image-eval', example);
    const evaluate = (args: string[]) =>
      run('kpt', ['fn', 'eval', pkg, '--image', fnImage, '--image-pull-policy', 'never', '--', ...args], {
        env,
      });
    const before = packageResources(pkg);
    const bad = evaluate(['bogus=1']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/bogus/);
    expect(packageResources(pkg)).toEqual(before);
    // As the pipelines do: the cert mount first (set-monitor-tls refuses https toward an unmounted Prometheus).
    const mountImage = image.replace('/meshscrape:', '/meshscrape-mount-istio-certs:');
    const mount = run('kpt', ['fn', 'eval', pkg, '--image', mountImage, '--image-pull-policy', 'never'], {
      env,
    });
    expect(mount.code, mount.stderr).toBe(0);
    const good = evaluate(['unknownTargets=skip']);
    expect(good.code, good.stderr).toBe(0);
    const monitor = findResource(packageResources(pkg), 'ServiceMonitor', 'checkout');
    expect(monitor).toMatchObject({ spec: { endpoints: [{ scheme: 'https' }] } });
  });

  it('kubectl kustomize runs it as a container function (docker shim) with the legacy plugins result', () => {
    const shim = join(repoRoot, 'container', 'docker-shim');
    const container = run(
      'kubectl',
      ['kustomize', '--enable-alpha-plugins', join(repoRoot, 'pipelines', 'kustomize-container')],
      { env: { ...env, PATH: `${shim}:${process.env.PATH ?? ''}` } },
    );
    expect(container.code, container.stderr).toBe(0);
    const legacy = kustomizeWithPlugins(join(repoRoot, 'pipelines', 'kustomize'));
    expect(legacy.code, legacy.stderr).toBe(0);
    expect(normalize(streamResources(container.stdout))).toEqual(normalize(streamResources(legacy.stdout)));
  });
});
