#!/usr/bin/env node
/**
 * The benchmark table (bench/README.md): every function the executable registers and the stream modes, on four
 * layouts of the same resources plus the one-anchor and one-namespace growth cases, against the JSON floor measured
 * in the same run; cold start, memory, and the orchestrators around a render. Writes BENCHMARKS.md.
 *
 *   npm run bench                          # builds, then: node bench/run.mjs
 *   node bench/run.mjs [--functions=a,b] [--sizes=1000,10000,50000] [--layouts=kpt,pyyaml,json,crlf,anchor]
 *                      [--runs=5] [--triples=8000] [--orchestrators=1000,2000,4000] [--out=BENCHMARKS.md]
 *
 * An empty list (`--triples=`, `--orchestrators=`, `--out=`) skips that part. Each case runs as a child process
 * with its input on stdin and stdout to a file; wall time is measured around the child (node start-up included),
 * peak memory is its max RSS (bench/maxrss.cjs, preloaded through NODE_OPTIONS). Every output is checked (see
 * bench/cases.mjs) and a failed check, or an unexpected exit code, makes the run exit 1: a fast wrong answer does
 * not pass. Nothing asserts on time.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  canonical,
  checkList,
  checkStream,
  itemEntries,
  pipelineCheck,
  registeredFunctions,
  streamModes,
  typical,
} from './cases.mjs';
import { layouts, oneNamespaceTriples, toJson, toStream, toYaml } from './generate.mjs';
import { benchList, scraperNamespace } from './list.mjs';
import { orchestratorRuns } from './orchestrators.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = dirname(benchDir);
const workDir = join(root, '.tmp', 'bench');
const meshscrape = join(root, 'bin', 'meshscrape');
const helmPipeline = join(root, 'pipelines', 'helm', 'meshscrape.yaml');

const usage =
  'usage: node bench/run.mjs [--functions=a,b] [--sizes=1000,10000,50000] [--layouts=kpt,pyyaml,json,crlf,anchor]\n' +
  '                          [--runs=5] [--triples=8000] [--orchestrators=1000,2000,4000] [--out=BENCHMARKS.md]\n';

function options(argv) {
  const o = {
    functions: undefined,
    sizes: [1000, 10000, 50000],
    layouts: Object.keys(layouts),
    runs: 5,
    triples: [8000],
    orchestrators: [1000, 2000, 4000],
    out: 'BENCHMARKS.md',
    keep: false,
  };
  const list = (v) => v.split(',').filter((s) => s !== '');
  const numbers = (v) => list(v).map(Number);
  for (const arg of argv) {
    const [name, value] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
    if (!arg.includes('=')) fail(`unknown argument ${arg}`);
    else if (name === '--functions') o.functions = list(value);
    else if (name === '--sizes') o.sizes = numbers(value);
    else if (name === '--layouts') o.layouts = list(value);
    else if (name === '--runs') o.runs = Number(value);
    else if (name === '--triples') o.triples = numbers(value);
    else if (name === '--orchestrators') o.orchestrators = numbers(value);
    else if (name === '--out') o.out = value;
    else if (name === '--keep-inputs') o.keep = value === 'true';
    else fail(`unknown option ${name}`);
  }
  const counts = [...o.sizes, ...o.triples, ...o.orchestrators];
  if (!Number.isInteger(o.runs) || o.runs < 1) fail('--runs must be a positive integer');
  if (counts.some((n) => !Number.isInteger(n) || n < 100)) fail('sizes must be integers of at least 100');
  for (const l of o.layouts)
    if (!(l in layouts)) fail(`unknown layout ${l} (${Object.keys(layouts).join(', ')})`);
  o.sizes.sort((a, b) => a - b);
  return o;
}

function fail(message) {
  process.stderr.write(`${message}\n${usage}`);
  process.exit(2);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs one child: stdin from `input` (or /dev/null), stdout to `stdout`; wall seconds, peak RSS MiB, status. */
function measure(command, args, { input, stdout, cwd, env } = {}) {
  const rssFile = join(workDir, 'maxrss.txt');
  rmSync(rssFile, { force: true });
  const preload = `--require ${JSON.stringify(join(benchDir, 'maxrss.cjs'))}`;
  const childEnv = {
    ...process.env,
    ...env,
    NODE_OPTIONS: [process.env.NODE_OPTIONS, preload].filter(Boolean).join(' '),
    BENCH_MAXRSS_FILE: rssFile,
  };
  const inFd = openSync(input ?? '/dev/null', 'r');
  const outFd = openSync(stdout ?? '/dev/null', 'w');
  const start = performance.now();
  const child = spawnSync(command, args, {
    stdio: [inFd, outFd, 'pipe'],
    env: childEnv,
    cwd,
    maxBuffer: 256 << 20,
  });
  const seconds = (performance.now() - start) / 1000;
  closeSync(inFd);
  closeSync(outFd);
  if (child.error) throw child.error;
  // Only node children write the file; for kpt / kubectl the figure is the node child's (the plugin), if any.
  const kib = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : Number.NaN;
  return { seconds, mib: kib / 1024, status: child.status, stderr: child.stderr.toString() };
}

/** `runs` samples of one case; stops at the first failing exit code. */
function sample(label, runs, run, codes = [0]) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    process.stderr.write(`${label}: run ${i + 1}/${runs}          \r`);
    const s = run();
    if (!codes.includes(s.status))
      return { samples, error: `exited with ${s.status}: ${s.stderr.slice(0, 600)}` };
    samples.push(s);
  }
  return { samples };
}

const summary = (samples) => ({
  seconds: median(samples.map((s) => s.seconds)),
  mib: median(samples.map((s) => s.mib)),
});

/** The Prometheus as mount-istio-certs leaves it (certs mounted, scrape class istio-mtls), from the executable. */
function mountedScraper(plainList) {
  const scraper = plainList.filter(
    (i) => i.metadata?.namespace === scraperNamespace || i.metadata?.name === scraperNamespace,
  );
  const config = { apiVersion: 'meshscrape.dev/v1alpha1', kind: 'MountIstioCerts', metadata: { name: 'm' } };
  Object.assign(config, typical('mount-istio-certs', []).config);
  const run = spawnSync(meshscrape, ['mount-istio-certs'], {
    input: toYaml(scraper, config),
    encoding: 'utf8',
  });
  if (run.status !== 0)
    throw new Error(`mount-istio-certs on the scraper exited with ${run.status}: ${run.stderr}`);
  const prometheus = parse(run.stdout, { version: '1.1' }).items.find((i) => i.kind === 'Prometheus');
  delete prometheus.metadata.annotations?.['config.kubernetes.io/index'];
  return prometheus;
}

/** The list with its Prometheus swapped for the mounted one. */
const withScraper = (items, prometheus) => items.map((i) => (i.kind === 'Prometheus' ? prometheus : i));

/** Namespaces a config can name: the generated ones, the scraper's left out. */
const namespacesOf = (items) =>
  items
    .filter((i) => i.kind === 'Namespace' && i.metadata.name !== scraperNamespace)
    .map((i) => i.metadata.name);

/** Plain objects as a function reads them: comment keys dropped (bench/generate.mjs writes them as comments). */
const asRead = (items) => JSON.parse(toJson(items)).items;

function main() {
  const o = options(process.argv.slice(2));
  if (!existsSync(join(root, 'dist', 'meshscrape.cjs'))) {
    process.stderr.write('dist/ is missing: run npm run build (npm run bench does)\n');
    process.exit(2);
  }
  mkdirSync(workDir, { recursive: true });
  const registered = registeredFunctions(meshscrape);
  const all = [...registered.map((f) => f.name), ...streamModes];
  const selected = o.functions ?? all;
  for (const name of selected) if (!all.includes(name)) fail(`unknown function ${name} (${all.join(', ')})`);
  const kindOf = new Map(registered.map((f) => [f.name, f.kind]));
  let failed = false;
  const problemsSeen = [];
  const report = (label, problems) => {
    for (const p of problems) {
      process.stderr.write(`\nCHECK FAILED ${label}: ${p}\n`);
      problemsSeen.push(`${label}: ${p}`);
    }
    if (problems.length > 0) failed = true;
  };

  // The bare runtime: start-up time and memory every case carries.
  const bare = summary(sample('node -e 0', o.runs, () => measure(process.execPath, ['-e', '0'])).samples);
  const prometheus = mountedScraper(benchList(1000));
  const rows = [];
  const floors = new Map();

  /** One function (or stream mode) on one input; pushes a row. */
  const runCase = ({ name, layout, size, items, plain, floorSeconds }) => {
    const label = `${name} ${layout} ${size}`;
    const output = join(workDir, 'case.out');
    let input;
    let run;
    let check;
    let codes = [0];
    if (streamModes.includes(name)) {
      const stream = toStream(plain, layout);
      if (name === 'post-render') {
        input = join(workDir, 'case.in');
        writeFileSync(input, stream);
        run = () => measure(meshscrape, ['post-render', helmPipeline], { input, stdout: output });
      } else {
        const dir = join(workDir, 'argocd-app');
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir);
        // An app directory holds many files (and each has a size cap, MESHSCRAPE_MAX_FILE_BYTES): 1,000 a file.
        const extension = layout === 'json' ? 'json' : 'yaml';
        for (let at = 0, n = 0; at < plain.length; at += 1000, n++)
          writeFileSync(
            join(dir, `resources-${String(n).padStart(3, '0')}.${extension}`),
            toStream(plain.slice(at, at + 1000), layout),
          );
        input = join(workDir, 'case.in');
        writeFileSync(input, stream);
        copyFileSync(helmPipeline, join(dir, 'meshscrape.yaml'));
        run = () =>
          measure(meshscrape, ['argocd-generate'], {
            cwd: dir,
            stdout: output,
            env: { ARGOCD_APP_NAME: 'bench' },
          });
      }
      const read = asRead(plain);
      check = () => checkStream(pipelineCheck, read, readFileSync(output, 'utf8'));
    } else {
      const spec = typical(name, namespacesOf(plain));
      const list = spec.mounted ? items : plain;
      const config = {
        apiVersion: 'meshscrape.dev/v1alpha1',
        kind: kindOf.get(name),
        metadata: { name },
        ...spec.config,
      };
      const text = layouts[layout.endsWith(' triples') ? 'kpt' : layout](list, config);
      input = join(workDir, 'case.in');
      writeFileSync(input, text);
      const read = asRead(list);
      const entries = layout === 'json' ? undefined : itemEntries(text);
      if (entries && entries.length !== list.length)
        throw new Error(
          `bench bug: ${entries.length} item entries in the ${layout} input of ${list.length} items`,
        );
      codes = spec.codes ?? [0];
      run = () => measure(meshscrape, [name], { input, stdout: output });
      check = () => checkList(spec, read, entries, readFileSync(output, 'utf8'));
    }
    // For profiling one case by hand (bench/README.md): every input kept under .tmp/bench/inputs/.
    if (o.keep) {
      mkdirSync(join(workDir, 'inputs'), { recursive: true });
      copyFileSync(input, join(workDir, 'inputs', `${name}-${layout.replace(' ', '-')}-${size}.in`));
    }
    const inputMiB = statSync(input).size / 2 ** 20;
    const { samples, error } = sample(label, o.runs, run, codes);
    if (error) report(label, [error]);
    else report(label, check());
    if (samples.length === 0) return;
    const s = summary(samples);
    rows.push({
      name,
      layout,
      size,
      inputMiB,
      ...s,
      ratio: floorSeconds ? s.seconds / floorSeconds : Number.NaN,
    });
  };

  for (const size of o.sizes) {
    const plain = benchList(size);
    const items = withScraper(plain, prometheus);
    const floorInput = join(workDir, `floor-${size}.json`);
    writeFileSync(floorInput, toJson(items));
    const floorRun = sample(`JSON floor ${size}`, o.runs, () =>
      measure(process.execPath, [join(benchDir, 'floor.mjs')], {
        input: floorInput,
        stdout: join(workDir, 'floor.out'),
      }),
    );
    const floor = summary(floorRun.samples);
    if (
      canonical(JSON.parse(readFileSync(join(workDir, 'floor.out'), 'utf8'))) !==
      canonical(JSON.parse(readFileSync(floorInput, 'utf8')))
    )
      report(`JSON floor ${size}`, ['the floor did not give its input back']);
    floors.set(size, { ...floor, inputMiB: statSync(floorInput).size / 2 ** 20 });
    for (const name of selected)
      for (const layout of o.layouts)
        runCase({ name, layout, size, items, plain, floorSeconds: floor.seconds });
  }

  // The growth case: many monitor / Service / Deployment triples in one namespace, kpt's layout.
  const tripleRows = [];
  for (const count of o.triples) {
    const generated = oneNamespaceTriples(count).items;
    const plain = [
      ...generated,
      ...benchList(200).filter(
        (i) => i.metadata?.namespace === scraperNamespace || i.metadata?.name === scraperNamespace,
      ),
    ];
    const items = withScraper(plain, prometheus);
    const floorInput = join(workDir, `floor-triples-${count}.json`);
    writeFileSync(floorInput, toJson(items));
    const floor = summary(
      sample(`JSON floor ${count} triples`, o.runs, () =>
        measure(process.execPath, [join(benchDir, 'floor.mjs')], {
          input: floorInput,
          stdout: join(workDir, 'floor.out'),
        }),
      ).samples,
    );
    const before = rows.length;
    for (const name of selected)
      runCase({
        name,
        layout: `${count} triples`,
        size: plain.length,
        items,
        plain,
        floorSeconds: floor.seconds,
        triples: true,
      });
    tripleRows.push(...rows.splice(before));
  }

  // Cold start: --help, and set-monitor-tls on a one-resource list, against node -e 0.
  const one = join(workDir, 'one.yaml');
  writeFileSync(one, toYaml(benchList(100).slice(0, 1)));
  const coldRows = [
    { name: 'node -e 0', ...bare },
    {
      name: 'meshscrape --help',
      ...summary(sample('--help', o.runs, () => measure(meshscrape, ['--help'])).samples),
    },
    {
      name: 'meshscrape set-monitor-tls, one resource',
      ...summary(
        sample('one resource', o.runs, () => measure(meshscrape, ['set-monitor-tls'], { input: one }))
          .samples,
      ),
    },
  ];

  // The orchestrators around a render.
  const orchestrator = [];
  const orchestratorSkipped = new Set();
  for (const size of o.orchestrators) {
    const items = withScraper(benchList(size), prometheus);
    const endpoints = items
      .filter((i) => i.kind === 'ServiceMonitor')
      .flatMap((i) => i.spec.endpoints).length;
    const result = orchestratorRuns({
      items,
      endpoints,
      runs: o.runs,
      median,
      meshscrape,
      workDir,
      label: String(size),
      measure: (command, args, { stdout, env } = {}) => {
        process.stderr.write(`${command} ${args[0] ?? ''} ${size}          \r`);
        return measure(command, args, { stdout, env });
      },
    });
    for (const r of result.rows) {
      report(`${r.name} ${size}`, r.problems);
      orchestrator.push({ ...r, size });
    }
    for (const s of result.skipped) orchestratorSkipped.add(s);
  }
  process.stderr.write('\n');

  const markdown = render({
    o,
    rows,
    tripleRows,
    floors,
    bare,
    coldRows,
    orchestrator,
    orchestratorSkipped,
    problemsSeen,
  });
  process.stdout.write(markdown);
  if (o.out) {
    writeFileSync(join(root, o.out), markdown);
    process.stderr.write(`written to ${o.out}\n`);
  }
  process.exit(failed ? 1 : 0);
}

const f2 = (n) => (Number.isFinite(n) ? n.toFixed(2) : '-');
const f0 = (n) => (Number.isFinite(n) ? n.toFixed(0) : '-');
const f1x = (n) => (Number.isFinite(n) ? `${n.toFixed(1)}x` : '-');

function table(header, body) {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i < 2 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...body.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function render({
  o,
  rows,
  tripleRows,
  floors,
  bare,
  coldRows,
  orchestrator,
  orchestratorSkipped,
  problemsSeen,
}) {
  const cpu = cpus();
  const tool = (command, args) => {
    const r = spawnSync(command, args, { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim().split('\n')[0] : 'not installed';
  };
  const command =
    `node ${relative(root, fileURLToPath(import.meta.url))} ${process.argv.slice(2).join(' ')}`.trim();
  const sizes = o.sizes;
  const [small, large] = sizes.length > 1 ? sizes.slice(-2) : [undefined, undefined];
  const memory = (r) => (r.mib - bare.mib) / r.inputMiB;
  const out = [];
  out.push('# Benchmarks', '');
  out.push(
    `Written by \`npm run bench\` (\`${command}\`), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
  );
  out.push('');
  out.push(
    `- machine: ${cpu[0]?.model ?? 'unknown CPU'} x${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory`,
  );
  out.push(
    `- node ${process.version}; ${tool('kpt', ['version'])} (kpt); ${tool('kubectl', ['version', '--client'])}`,
  );
  out.push(
    `- sizes ${sizes.join(', ')} resources; layouts ${o.layouts.join(', ')}; ${o.runs} run(s) per case, medians`,
  );
  out.push('');
  out.push(
    'Wall time includes node start-up. **x floor**: the time over the JSON floor of the same size, measured in the same',
    'run (`JSON.parse` + `JSON.stringify` of the same resources in a fresh `node` process that imports no package:',
    '`bench/floor.mjs`). **mem / input**: peak RSS above a bare `node -e 0` over the input size. **growth**: the time at',
    `the largest size over the time at the one before${large ? ` (${large} / ${small} resources: ${(large / small).toFixed(1)} is linear)` : ''}.`,
    'Every output was checked (bench/cases.mjs: item count, the expected edits, untouched items equal and, on the YAML',
    'layouts, byte-identical; the validator changes nothing). See bench/README.md.',
    '',
  );
  out.push('## JSON floor', '');
  out.push(
    table(
      ['resources', 'JSON MB', 'wall s', 'peak MB'],
      [...floors].map(([size, f]) => [
        String(size),
        (f.inputMiB * 1.048576).toFixed(1),
        f2(f.seconds),
        f0(f.mib),
      ]),
    ),
  );
  out.push('', '## Functions and stream modes', '');
  const body = [];
  const byCase = new Map();
  for (const r of rows) {
    const k = `${r.name}|${r.layout}`;
    if (!byCase.has(k)) byCase.set(k, []);
    byCase.get(k).push(r);
  }
  for (const [, list] of byCase) {
    const at = (size) => list.find((r) => r.size === size);
    const growth = large && at(large) && at(small) ? (at(large).seconds / at(small).seconds).toFixed(2) : '-';
    for (const r of list)
      body.push([
        r.name,
        r.layout,
        String(r.size),
        (r.inputMiB * 1.048576).toFixed(1),
        f2(r.seconds),
        f1x(r.ratio),
        f0(r.mib),
        f1x(memory(r)),
        r.size === large ? growth : '',
      ]);
  }
  out.push(
    table(
      ['case', 'layout', 'resources', 'input MB', 'wall s', 'x floor', 'peak MB', 'mem / input', 'growth'],
      body,
    ),
  );
  if (tripleRows.length > 0) {
    out.push('', '## Growth: triples in one namespace', '');
    out.push(
      'ServiceMonitor / Service / Deployment triples in one namespace (every selector looked up among all of them), kpt layout.',
      '',
    );
    out.push(
      table(
        ['case', 'triples', 'resources', 'input MB', 'wall s', 'x floor', 'peak MB', 'mem / input'],
        tripleRows.map((r) => [
          r.name,
          r.layout.split(' ')[0],
          String(r.size),
          (r.inputMiB * 1.048576).toFixed(1),
          f2(r.seconds),
          f1x(r.ratio),
          f0(r.mib),
          f1x(memory(r)),
        ]),
      ),
    );
  }
  out.push('', '## Cold start', '');
  out.push(
    table(
      ['case', '', 'wall s', 'x node -e 0', 'peak MB'],
      coldRows.map((r) => [r.name, '', f2(r.seconds), f1x(r.seconds / bare.seconds), f0(r.mib)]),
    ),
  );
  if (orchestrator.length > 0 || orchestratorSkipped.size > 0) {
    out.push('', '## Orchestrators', '');
    out.push(
      'The list as one file in a package (kpt) or a kustomization directory, set-monitor-tls as the function. Peak MB is',
      "meshscrape's process (the pass-through and plain kustomize run no node process).",
      '',
    );
    out.push(
      table(
        ['case', 'resources', 'wall s', 'peak MB', 'x time / x size'],
        orchestrator.map((r) => {
          const previous = orchestrator.filter((p) => p.name === r.name && p.size < r.size).at(-1);
          const step = previous ? (r.seconds / previous.seconds / (r.size / previous.size)).toFixed(2) : '-';
          return [r.name, String(r.size), f2(r.seconds), f0(r.mib), step];
        }),
      ),
    );
    out.push('', '(x time / x size: near 1 linear, near 2 quadratic.)');
    if (orchestratorSkipped.size > 0) out.push('', `Skipped: ${[...orchestratorSkipped].join(', ')}.`);
  }
  out.push('', '## Checks', '');
  if (problemsSeen.length === 0) out.push('Every output passed its checks.');
  else
    out.push(
      'Failed checks (the run exited 1):',
      '',
      ...problemsSeen.map((p) => `- ${p.replaceAll('\n', ' ')}`),
    );
  return `${out.join('\n')}\n`;
}

main();
