/**
 * stdin and stdout that cannot lie: every mode reads its whole input from a slow writer, a multi-megabyte pipe and
 * a non-blocking fd handed over by its parent, and a failed write is an error, never exit 0 with a cut output.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { meshscrape, repoRoot, run, tempDir } from '../support/orchestrators.js';
import { asEntry } from '../support/resource-list.js';

const feeder = join(repoRoot, 'test', 'support', 'feed-stdin.py');
const configMap = (i: number): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: shop\ndata:\n  payload: "${'x'.repeat(120)}"\n`;
const monitor =
  'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: cart\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: cart\n  endpoints:\n  - port: metrics\n';
const count = 20_000;
const documents = [monitor, ...Array.from({ length: count }, (_, i) => configMap(i))];
const tlsConfig = 'apiVersion: meshscrape.dev/v1alpha1\nkind: SetMonitorTLS\nmetadata:\n  name: tls\n';

let dir: string;
let listFile: string;
let streamFile: string;
let configFile: string;

beforeAll(() => {
  dir = tempDir('stdio');
  listFile = join(dir, 'list.yaml');
  streamFile = join(dir, 'stream.yaml');
  configFile = join(dir, 'tls.yaml');
  const functionConfig = tlsConfig.replace(/^/gm, '  ').trimEnd();
  writeFileSync(
    listFile,
    `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${documents.map((d) => asEntry(d.trimEnd())).join('\n')}\nfunctionConfig:\n${functionConfig}\n`,
  );
  writeFileSync(streamFile, documents.join('---\n'));
  writeFileSync(configFile, tlsConfig);
});

const modes = [
  { name: 'bare (function from functionConfig)', args: [], list: true },
  { name: 'named function', args: ['set-monitor-tls'], list: true },
  { name: 'Helm post-render', args: ['post-render', 'CONFIG'], list: false },
  { name: 'legacy kustomize plugin', args: ['kustomize-plugin', 'set-monitor-tls', 'CONFIG'], list: false },
];

/** Runs a mode through the feeder; gives the exit code and the output text. */
function feed(
  mode: (typeof modes)[number],
  nonblocking: boolean,
  slow: boolean,
): { code: number; out: string } {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}.yaml`);
  const args = mode.args.map((a) => (a === 'CONFIG' ? configFile : a));
  const input = mode.list ? listFile : streamFile;
  const result = spawnSync(
    'python3',
    [feeder, input, out, nonblocking ? '1' : '0', slow ? '1' : '0', '--', meshscrape, ...args],
    { encoding: 'utf8' },
  );
  expect(result.status, result.stderr).toBe(0);
  return { code: Number(result.stdout.trim()), out: readFileSync(out, 'utf8') };
}

/** Names of the resources in a mode's output, and whether the monitor went https. */
function summary(text: string, list: boolean): { names: number; https: boolean } {
  const names = (text.match(/^ {0,4}name: cm-\d+$/gm) ?? []).length;
  const https = list
    ? (parse(text) as { items: { spec?: { endpoints?: { scheme?: string }[] } }[] }).items[0]?.spec
        ?.endpoints?.[0]?.scheme === 'https'
    : /scheme: https/.test(text);
  return { names, https };
}

describe('stdin and stdout', () => {
  for (const mode of modes) {
    for (const [nonblocking, slow] of [
      [false, true],
      [true, true],
      [true, false],
    ] as const) {
      it(`${mode.name}: ${slow ? 'a slow writer' : 'a fast writer'}, ${nonblocking ? 'a non-blocking' : 'a blocking'} stdin, about 3 MB`, () => {
        const { code, out } = feed(mode, nonblocking, slow);
        expect(code).toBe(0);
        expect(summary(out, mode.list)).toEqual({ names: count, https: true });
      });
    }
  }

  it('a full disk: exit 1 and a message, not a cut output with exit 0', () => {
    const result = spawnSync('sh', ['-c', `"${meshscrape}" < "${listFile}" > /dev/full`], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/could not write the output: ENOSPC/);
  });

  it('a reader that closes the pipe early: exit 1', () => {
    const result = spawnSync(
      'bash',
      ['-c', `"${meshscrape}" < "${listFile}" | head -c 10 > /dev/null; echo "\${PIPESTATUS[0]}"`],
      {
        encoding: 'utf8',
      },
    );
    expect(result.stdout.trim()).toBe('1');
    expect(result.stderr).toMatch(/could not write the output: EPIPE/);
  });

  it('input over the size cap is refused before parsing, with the setting named', () => {
    // From a file: the process stops reading at the cap, so a pipe's writer would see EPIPE.
    const result = spawnSync('sh', ['-c', `"${meshscrape}" < "${listFile}"`], {
      encoding: 'utf8',
      env: { ...process.env, MESHSCRAPE_MAX_INPUT_BYTES: '100000' },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/over 100000 bytes \(MESHSCRAPE_MAX_INPUT_BYTES\)/);
    expect(result.stderr).not.toMatch(/at .*\.m?js:\d+/);
  });

  it('a limit that is not a number is refused with its name', () => {
    const result = run(meshscrape, ['set-monitor-tls'], { input: '', env: { MESHSCRAPE_MAX_DEPTH: 'deep' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/MESHSCRAPE_MAX_DEPTH must be a positive integer, not deep/);
  });
});

const kubePrometheus = join(
  repoRoot,
  '..',
  'shared',
  'fixtures',
  'real-world',
  'kube-prometheus',
  'manifests',
);

describe.skipIf(!existsSync(kubePrometheus))('the bare executable through kpt on a 1.5 MB package', () => {
  /** kube-prometheus with the shipped Kptfile and configs (the bare executable, function by config kind). */
  const packageDir = (): string => {
    const pkg = tempDir('kpt-big');
    for (const file of readdirSync(kubePrometheus).filter((f) => f.endsWith('.yaml'))) {
      const text = readFileSync(join(kubePrometheus, file), 'utf8');
      // kpt refuses List documents (no metadata.name): their items go in as files of their own, as kubectl reads them.
      const list = /^kind: \w*List$/m.test(text) ? (parse(text) as { items: unknown[] }) : undefined;
      if (!list) cpSync(join(kubePrometheus, file), join(pkg, file));
      else
        for (const [i, item] of list.items.entries())
          writeFileSync(join(pkg, `${i}-${file}`), stringify(item));
    }
    for (const file of readdirSync(join(repoRoot, 'pipelines', 'kpt')))
      cpSync(join(repoRoot, 'pipelines', 'kpt', file), join(pkg, file));
    return pkg;
  };

  it('kpt fn render succeeds on every try and edits the monitors', () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const pkg = packageDir();
      const size = readdirSync(pkg).reduce((sum, f) => sum + readFileSync(join(pkg, f)).length, 0);
      expect(size).toBeGreaterThan(1_000_000);
      const render = run('kpt', ['fn', 'render', pkg, '--allow-exec', '--truncate-output=false']);
      expect(render.code, render.stderr).toBe(0);
      const https = readdirSync(pkg)
        .filter((f) => f.endsWith('serviceMonitor.yaml'))
        .filter((f) => readFileSync(join(pkg, f), 'utf8').includes('/etc/prom-certs/'));
      expect(https.length).toBeGreaterThan(0);
    }
  });

  it('kpt fn eval --exec with the bare executable succeeds', () => {
    const pkg = packageDir();
    // One function a run, in the pipeline's order: set-monitor-tls refuses https toward an unmounted Prometheus.
    for (const config of ['mount-istio-certs.yaml', 'set-monitor-tls.yaml']) {
      const evaluated = run('kpt', [
        'fn',
        'eval',
        pkg,
        '--exec',
        meshscrape,
        '--fn-config',
        join(repoRoot, 'pipelines', 'kpt', config),
      ]);
      expect(evaluated.code, evaluated.stderr).toBe(0);
    }
  });
});
