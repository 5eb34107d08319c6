/**
 * The orchestrators a render goes through, measured once per table so a user sees where the time goes:
 * `kpt fn eval --exec` with a pass-through (`cat`) and with meshscrape set-monitor-tls, and `kubectl kustomize`
 * without and with meshscrape's legacy exec plugin (as test/e2e/pipelines.test.ts and
 * test/support/orchestrators.ts drive them), on a package holding the list's resources as one file.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toStream } from './generate.mjs';

const available = (command, args) => spawnSync(command, args, { encoding: 'utf8' }).status === 0;

/** Drops the path/index annotations the generator copies from `kpt fn source`: kpt sets its own. */
function bare(items) {
  return items.map((item) => {
    const copy = structuredClone(item);
    delete copy.metadata.annotations;
    return copy;
  });
}

/**
 * Runs the four orchestrator cases on `items`; `measure(command, args, {cwd, env})` times one run. Returns rows
 * {name, seconds, mib, problems} and the cases skipped for a missing tool.
 */
export function orchestratorRuns({ items, endpoints, runs, measure, median, meshscrape, workDir, label }) {
  const rows = [];
  const skipped = [];
  const text = toStream(bare(items), 'kpt');
  const httpsCount = (s) => s.match(/scheme: https/g)?.length ?? 0;
  const base = mkdtempSync(join(workDir, `orch-${label}-`));
  const source = join(base, 'source');
  mkdirSync(source);
  writeFileSync(join(source, 'resources.yaml'), text);
  const time = (name, run, check) => {
    const samples = [];
    let problems = [];
    for (let i = 0; i < runs; i++) {
      const sample = run();
      if (sample.status !== 0) {
        problems = [`exited with ${sample.status}: ${sample.stderr.slice(0, 400)}`];
        break;
      }
      samples.push(sample);
      problems = check(sample);
      if (problems.length > 0) break;
    }
    rows.push({
      name,
      seconds: samples.length ? median(samples.map((s) => s.seconds)) : Number.NaN,
      mib: samples.length ? median(samples.map((s) => s.mib)) : Number.NaN,
      problems,
    });
  };
  if (available('kpt', ['version'])) {
    const pkg = join(base, 'kpt');
    const fresh = () => {
      rmSync(pkg, { recursive: true, force: true });
      cpSync(source, pkg, { recursive: true });
    };
    const evalWith = (exec) => () => {
      fresh();
      return measure('kpt', ['fn', 'eval', pkg, '--exec', exec], {});
    };
    time('kpt fn eval --exec cat (pass-through)', evalWith('cat'), () =>
      readFileSync(join(pkg, 'resources.yaml'), 'utf8').length > 0 ? [] : ['the package came back empty'],
    );
    time('kpt fn eval --exec "meshscrape set-monitor-tls"', evalWith(`${meshscrape} set-monitor-tls`), () => {
      const n = httpsCount(readFileSync(join(pkg, 'resources.yaml'), 'utf8'));
      return n === endpoints ? [] : [`${n} endpoints with scheme: https, expected ${endpoints}`];
    });
  } else skipped.push('kpt (not installed)');
  if (available('kubectl', ['version', '--client'])) {
    const plain = join(base, 'kustomize-plain');
    const withPlugin = join(base, 'kustomize-plugin');
    const plugins = join(base, 'plugins');
    for (const dir of [plain, withPlugin]) {
      mkdirSync(dir);
      cpSync(join(source, 'resources.yaml'), join(dir, 'resources.yaml'));
    }
    const kustomization = (extra) =>
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - resources.yaml\n${extra}`;
    writeFileSync(join(plain, 'kustomization.yaml'), kustomization(''));
    writeFileSync(
      join(withPlugin, 'kustomization.yaml'),
      kustomization('transformers:\n  - set-monitor-tls.yaml\n'),
    );
    writeFileSync(
      join(withPlugin, 'set-monitor-tls.yaml'),
      'apiVersion: meshscrape.dev/v1alpha1\nkind: SetMonitorTLS\nmetadata:\n  name: set-monitor-tls\n',
    );
    spawnSync(meshscrape, ['install-kustomize-plugins', plugins]);
    const output = join(base, 'kustomize.out');
    time(
      'kubectl kustomize',
      () => measure('kubectl', ['kustomize', plain], { stdout: output }),
      () => (httpsCount(readFileSync(output, 'utf8')) === 0 ? [] : ['https without the plugin']),
    );
    time(
      'kubectl kustomize + meshscrape legacy plugin',
      () =>
        measure('kubectl', ['kustomize', '--enable-alpha-plugins', withPlugin], {
          stdout: output,
          env: { KUSTOMIZE_PLUGIN_HOME: plugins },
        }),
      () => {
        const n = httpsCount(readFileSync(output, 'utf8'));
        return n === endpoints ? [] : [`${n} endpoints with scheme: https, expected ${endpoints}`];
      },
    );
  } else skipped.push('kubectl (not installed)');
  rmSync(base, { recursive: true, force: true });
  return { rows, skipped };
}
