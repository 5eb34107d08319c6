/**
 * The bundled example through every path users take: a plain pipe into bin/meshscrape, `kpt fn eval --exec`,
 * `kpt fn render --allow-exec` with the Kptfile pipeline, and `kubectl kustomize --enable-alpha-plugins` with the
 * legacy plugins. Every path must give the same resources.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  findResource,
  installPlugins,
  listResources,
  makePackage,
  meshscrape,
  normalize,
  packageResources,
  repoRoot,
  run,
  streamResources,
} from '../support/orchestrators.js';

const example = join(repoRoot, 'pipelines', 'example');
const kptPipeline = join(repoRoot, 'pipelines', 'kpt');
const kustomizePipeline = join(repoRoot, 'pipelines', 'kustomize');
/** The pipeline's steps, in the order the Kptfile and the kustomization run them. */
const pipelineConfigs = ['mount-istio-certs.yaml', 'fix-pod-monitors.yaml', 'set-monitor-tls.yaml'];

function configList(configFile: string, input: string): string {
  // Swap in a functionConfig the way kpt does: the typed config under functionConfig.
  const config = readFileSync(configFile, 'utf8')
    .split('\n')
    .map((l) => (l === '' ? '' : `  ${l}`))
    .join('\n');
  const withoutConfig = input
    .replace(/\nfunctionConfig:\n(?: .*\n|\n)*/, '\n')
    .replace(/\nresults:\n[\s\S]*$/, '\n');
  return `${withoutConfig.trimEnd()}\nfunctionConfig:\n${config}\n`;
}

describe('the bundled example through every path', () => {
  let pipe: ReturnType<typeof normalize>;
  let pipeText: string;

  beforeAll(() => {
    const source = run('kpt', ['fn', 'source', example]);
    expect(source.code).toBe(0);
    let text = source.stdout;
    for (const config of pipelineConfigs) {
      const step = run(meshscrape, [], { input: configList(join(kptPipeline, config), text) });
      expect(step.code, step.stderr).toBe(0);
      text = step.stdout;
    }
    pipeText = text;
    pipe = normalize(listResources(text));
  });

  it('pipe: changes what the recipe needs and keeps comments', () => {
    const monitor = findResource(pipe, 'ServiceMonitor', 'checkout');
    expect(monitor).toMatchObject({
      spec: {
        endpoints: [
          {
            scheme: 'https',
            tlsConfig: {
              caFile: '/etc/prom-certs/root-cert.pem',
              certFile: '/etc/prom-certs/cert-chain.pem',
              keyFile: '/etc/prom-certs/key.pem',
              insecureSkipVerify: true,
            },
          },
        ],
      },
    });
    const podMonitor = pipe.find((r) => r.kind === 'PodMonitor');
    expect(podMonitor).toMatchObject({
      spec: {
        scrapeClass: 'istio-mtls',
        podMetricsEndpoints: [{ scheme: 'https', tlsConfig: { insecureSkipVerify: true } }],
      },
    });
    const prometheus = pipe.find((r) => r.kind === 'Prometheus');
    expect(prometheus).toMatchObject({ spec: { scrapeClasses: [{ name: 'istio-mtls' }] } });
    expect(pipeText).toContain("# The application's own metrics: goes https under STRICT mTLS.");
    expect(pipeText).toContain('# scraped by Prometheus');
  });

  it('kpt fn render --allow-exec gives the same resources, keeps comments, and is idempotent', () => {
    const pkg = makePackage('render', example, kptPipeline);
    const render = run('kpt', ['fn', 'render', pkg, '--allow-exec']);
    expect(render.code, render.stderr).toBe(0);
    expect(normalize(packageResources(pkg))).toEqual(pipe);
    const shop = readFileSync(join(pkg, 'shop.yaml'), 'utf8');
    expect(shop).toContain(
      "    # The application's own metrics: goes https under STRICT mTLS.\n    - port: http-metrics",
    );
    expect(shop).toContain('- name: http-metrics # scraped by Prometheus');
    expect(shop.match(/# The application's own metrics/g)).toHaveLength(1);
    const before = packageResources(pkg);
    const again = run('kpt', ['fn', 'render', pkg, '--allow-exec']);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(pkg, 'shop.yaml'), 'utf8')).toBe(shop);
    expect(packageResources(pkg)).toEqual(before);
  });

  it('kpt fn eval --exec with --fn-config gives the same resources', () => {
    const pkg = makePackage('eval', example);
    for (const config of pipelineConfigs) {
      const result = run('kpt', [
        'fn',
        'eval',
        pkg,
        '--exec',
        meshscrape,
        '--fn-config',
        join(kptPipeline, config),
      ]);
      expect(result.code, result.stderr).toBe(0);
    }
    expect(normalize(packageResources(pkg))).toEqual(pipe);
  });

  it('kpt fn eval --exec "meshscrape FUNCTION" -- key=value runs the named function with a ConfigMap config', () => {
    const pkg = makePackage('eval-kv', example);
    const mount = run('kpt', [
      'fn',
      'eval',
      pkg,
      '--exec',
      `${meshscrape} mount-istio-certs`,
      '--',
      'certDir=/etc/other-certs/',
    ]);
    expect(mount.code, mount.stderr).toBe(0);
    const result = run('kpt', [
      'fn',
      'eval',
      pkg,
      '--exec',
      `${meshscrape} set-monitor-tls`,
      '--',
      'certDir=/etc/other-certs/',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const shop = readFileSync(join(pkg, 'shop.yaml'), 'utf8');
    expect(shop).toContain('caFile: /etc/other-certs/root-cert.pem');
  });

  it('kpt fn eval with a bad config fails, names the field, and writes nothing', () => {
    const pkg = makePackage('eval-bad', example);
    const before = readFileSync(join(pkg, 'shop.yaml'), 'utf8');
    const result = run('kpt', [
      'fn',
      'eval',
      pkg,
      '--exec',
      `${meshscrape} set-monitor-tls`,
      '--',
      'overwrite=maybe',
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('data.overwrite');
    expect(readFileSync(join(pkg, 'shop.yaml'), 'utf8')).toBe(before);
  });

  it('kubectl kustomize --enable-alpha-plugins with the legacy plugins gives the same resources', () => {
    const pluginHome = installPlugins();
    const build = run('kubectl', ['kustomize', '--enable-alpha-plugins', kustomizePipeline], {
      env: { KUSTOMIZE_PLUGIN_HOME: pluginHome },
    });
    expect(build.code, build.stderr).toBe(0);
    expect(normalize(streamResources(build.stdout))).toEqual(pipe);
  });

  it('kubectl kustomize fails the build on an error result and shows it', () => {
    const pluginHome = installPlugins();
    const dir = makePackage('kustomize-bad', kustomizePipeline);
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      readFileSync(join(kustomizePipeline, 'kustomization.yaml'), 'utf8').replace(
        '../example',
        relative(dir, example),
      ),
    );
    writeFileSync(
      join(dir, 'set-monitor-tls.yaml'),
      `${readFileSync(join(dir, 'set-monitor-tls.yaml'), 'utf8')}certDri: /x\n`,
    );
    const build = run('kubectl', ['kustomize', '--enable-alpha-plugins', dir], {
      env: { KUSTOMIZE_PLUGIN_HOME: pluginHome },
    });
    expect(build.code).not.toBe(0);
    expect(build.stderr).toContain('unknown config field certDri');
  });
});
