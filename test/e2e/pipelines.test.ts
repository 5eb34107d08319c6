/**
 * The bundled example through every path users take: a plain pipe into bin/meshscrape, `kpt fn eval --exec`,
 * `kpt fn render --allow-exec` with the Kptfile pipeline, and `kubectl kustomize --enable-alpha-plugins` with the
 * legacy plugins. Every path must give the same resources.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { byKind, pipelineOrder } from '../../src/cli/registry.js';
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
/** The pipeline's steps, in the order the Kptfile runs them (checked against the other pipelines below). */
const pipelineConfigs = (
  parse(readFileSync(join(kptPipeline, 'Kptfile'), 'utf8')) as {
    pipeline: { mutators: { configPath: string }[] };
  }
).pipeline.mutators.map((m) => m.configPath);

/** The functions a bundled pipeline runs, in its order, by the config kinds of its steps. */
function functionsOf(dir: string): string[] {
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  const files = dir.endsWith('helm')
    ? ['meshscrape.yaml']
    : dir.includes('kustomize')
      ? (parse(read('kustomization.yaml')) as { transformers: string[] }).transformers
      : (() => {
          const { pipeline } = parse(read('Kptfile')) as {
            pipeline: { mutators: { configPath: string }[]; validators?: { configPath: string }[] };
          };
          return [...pipeline.mutators, ...(pipeline.validators ?? [])].map((m) => m.configPath);
        })();
  // The container Kptfile runs the configs of pipelines/kpt (the README copies them beside it).
  const configDir = dir.endsWith('kpt-container') ? kptPipeline : dir;
  return files.flatMap((f) =>
    parseAllDocuments(readFileSync(join(configDir, f), 'utf8'))
      .map((d) => (d.toJS() as { kind?: string } | null)?.kind)
      .filter((k): k is string => k !== undefined)
      .map((k) => byKind(k)?.name ?? `unknown kind ${k}`),
  );
}

/** The Alertmanager's pod annotations set-sidecar-options' alertmanager-cluster preset writes on the example. */
const gossipExcluded = {
  'traffic.sidecar.istio.io/excludeInboundPorts': '9094',
  'traffic.sidecar.istio.io/excludeOutboundPorts': '9094',
};

/** `kubectl kustomize` of the pipeline's transformers on a directory holding `resources` as one file. */
function kustomizeAgain(resources: string, pluginHome: string) {
  const dir = makePackage('kustomize-again', kustomizePipeline);
  writeFileSync(join(dir, 'resources.yaml'), resources);
  writeFileSync(
    join(dir, 'kustomization.yaml'),
    readFileSync(join(kustomizePipeline, 'kustomization.yaml'), 'utf8').replace(
      '../example',
      'resources.yaml',
    ),
  );
  return run('kubectl', ['kustomize', '--enable-alpha-plugins', dir], {
    env: { KUSTOMIZE_PLUGIN_HOME: pluginHome },
  });
}

describe('the bundled pipelines', () => {
  it('run the same functions, in the registry order (set-sidecar-options after mount-istio-certs)', () => {
    // The example moves nothing, and generates no policies: its namespaces already have theirs. The kpt packages
    // end with the validator (a kpt validators: entry); the others leave it to the user.
    const optIn = ['relocate-namespace', 'generate-mesh-policies'];
    const expected = pipelineOrder.filter((f) => !optIn.includes(f));
    const withoutValidator = expected.filter((f) => f !== 'validate-mesh-metrics');
    for (const dir of ['kpt', 'kpt-container', 'kustomize', 'kustomize-container', 'helm'])
      expect(functionsOf(join(repoRoot, 'pipelines', dir)), dir).toEqual(
        dir.startsWith('kpt') ? expected : withoutValidator,
      );
  });
});

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
    // set-sidecar-options' step: gossip out of the sidecar on the Alertmanager pods, nothing on the scraper
    // (the preset is for Alertmanager pods; the cert recipe mount-istio-certs wrote stays whole).
    expect(findResource(pipe, 'Alertmanager', 'main')).toMatchObject({
      spec: { replicas: 3, podMetadata: { annotations: gossipExcluded } },
    });
    const scraperAnnotations = (
      prometheus as { spec: { podMetadata: { annotations: Record<string, string> } } }
    ).spec.podMetadata.annotations;
    expect(scraperAnnotations['traffic.sidecar.istio.io/includeOutboundIPRanges']).toBe('');
    expect(Object.keys(scraperAnnotations).filter((k) => k.includes('excludeInboundPorts'))).toEqual([]);
    expect(pipeText).toContain("# The application's own metrics: goes https under STRICT mTLS.");
    expect(pipeText).toContain('# scraped by Prometheus');
  });

  it('kpt fn render --allow-exec gives the same resources, keeps comments, and is idempotent', () => {
    const pkg = makePackage('render', example, kptPipeline);
    const render = run('kpt', ['fn', 'render', pkg, '--allow-exec']);
    expect(render.code, render.stderr).toBe(0);
    expect(render.stderr).toContain(
      'summary: 3 pod source(s) selected, 1 changed, 0 left unchanged because of errors; presets: alertmanager-cluster on 1',
    );
    expect(normalize(packageResources(pkg))).toEqual(pipe);
    expect(readFileSync(join(pkg, 'monitoring.yaml'), 'utf8')).toContain(
      'traffic.sidecar.istio.io/excludeInboundPorts: "9094"',
    );
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
    // A second pass of every step changes no byte.
    const files = packageResources(pkg);
    const monitoring = readFileSync(join(pkg, 'monitoring.yaml'), 'utf8');
    for (const config of pipelineConfigs) {
      const again = run('kpt', [
        'fn',
        'eval',
        pkg,
        '--exec',
        meshscrape,
        '--fn-config',
        join(kptPipeline, config),
      ]);
      expect(again.code, again.stderr).toBe(0);
    }
    expect(packageResources(pkg)).toEqual(files);
    expect(readFileSync(join(pkg, 'monitoring.yaml'), 'utf8')).toBe(monitoring);
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
    // Its output through the same transformers again is the same build.
    const again = kustomizeAgain(build.stdout, pluginHome);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(build.stdout);
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
