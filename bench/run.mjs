#!/usr/bin/env node
/**
 * Benchmark of set-monitor-tls on a large generated ResourceList, against two baselines (see bench/README.md).
 *
 *   npm run bench                          # builds, then: node bench/run.mjs
 *   node bench/run.mjs [count] [--runs=N] [--growth=2000,4000,8000]
 *     count resources (default 10000), N runs per case (default 5); the growth case runs set-monitor-tls on that
 *     many ServiceMonitor / Service / Deployment triples in one namespace (--growth= with nothing skips it)
 *
 * Each case runs as a child process with the input file on stdin and stdout to a file. Wall time is measured
 * around the child (node start-up included, the same for every case); peak memory is the child's max RSS,
 * which bench/maxrss.cjs (preloaded through NODE_OPTIONS) reads from getrusage when the child exits.
 * Reports medians. Nothing here asserts on time: the target line is information, the exit code only says
 * whether set-monitor-tls ran and its output passed the checks.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { oneNamespaceTriples, resources, toJson, toYaml } from './generate.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = dirname(benchDir);
const workDir = join(root, '.tmp', 'bench');
/** set-monitor-tls should finish a 10k-resource list within this... */
const targetSeconds = 1.5;
/** ...which is about this many times the JSON floor (the ratio carries over to slower or faster machines). */
const targetRatio = 3;

function options(argv) {
  let count = 10000;
  let runs = 5;
  let growth = [2000, 4000, 8000];
  for (const arg of argv) {
    if (arg.startsWith('--runs=')) runs = Number(arg.slice('--runs='.length));
    else if (arg.startsWith('--growth='))
      growth = arg
        .slice('--growth='.length)
        .split(',')
        .filter((n) => n !== '')
        .map(Number);
    else count = Number(arg);
  }
  const bad = !Number.isInteger(count) || count < 1 || !Number.isInteger(runs) || runs < 1;
  if (bad || growth.some((n) => !Number.isInteger(n) || n < 1)) {
    process.stderr.write('usage: node bench/run.mjs [count] [--runs=N] [--growth=2000,4000,8000]\n');
    process.exit(2);
  }
  return { count, runs, growth };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs one child with `input` on stdin and stdout to `output`; wall seconds, peak RSS in MiB, exit status. */
function measure(command, args, input, output) {
  const rssFile = join(workDir, 'maxrss.txt');
  rmSync(rssFile, { force: true });
  const preload = `--require ${JSON.stringify(join(benchDir, 'maxrss.cjs'))}`;
  const env = {
    ...process.env,
    NODE_OPTIONS: [process.env.NODE_OPTIONS, preload].filter(Boolean).join(' '),
    BENCH_MAXRSS_FILE: rssFile,
  };
  const stdin = openSync(input, 'r');
  const stdout = openSync(output, 'w');
  const start = performance.now();
  const child = spawnSync(command, args, { stdio: [stdin, stdout, 'pipe'], env, maxBuffer: 64 << 20 });
  const seconds = (performance.now() - start) / 1000;
  closeSync(stdin);
  closeSync(stdout);
  if (child.error) throw child.error;
  const kib = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : Number.NaN;
  return { seconds, mib: kib / 1024, status: child.status, stderr: child.stderr.toString() };
}

/** Cheap checks of set-monitor-tls' output; returns the problems found. */
function checkOutput(input, output, expected) {
  const problems = [];
  const entries = (text) => {
    const start = text.indexOf('\nitems:\n') + '\nitems:\n'.length;
    let end = text.indexOf('\nfunctionConfig:', start);
    if (end < 0) end = text.length;
    return text.slice(start, end).split(/\n(?=- )/);
  };
  const before = entries(input);
  const after = entries(output);
  const itemLines = (text) => text.match(/^- apiVersion:/gm)?.length ?? 0;
  if (itemLines(output) !== itemLines(input)) {
    problems.push(
      `${itemLines(output)} '- apiVersion:' item lines in the output, ${itemLines(input)} in the input`,
    );
  }
  const https = output.match(/^ {4}(?: {2}|- )scheme: https$/gm)?.length ?? 0;
  if (https !== expected.endpoints) {
    problems.push(`${https} endpoints with scheme: https, expected ${expected.endpoints}`);
  }
  const original = new Set(before);
  const same = after.filter((entry) => original.has(entry)).length;
  if (same !== expected.count - expected.monitors) {
    problems.push(`${same} items came back byte-identical, expected ${expected.count - expected.monitors}`);
  }
  if (!output.includes('\nfunctionConfig:\n')) problems.push('the functionConfig section is missing');
  return problems;
}

/**
 * set-monitor-tls on `sizes` triples in one namespace, to read how its time grows with the list (issue #8 measured
 * 6.6 s, 19 s and 63 s at 2k, 4k and 8k before the inventory was label-indexed). Returns false when a run failed.
 */
function growth(sizes, runs) {
  if (sizes.length === 0) return true;
  const rows = [];
  let ok = true;
  for (const size of sizes) {
    const generated = oneNamespaceTriples(size);
    const input = join(workDir, `triples-${size}.yaml`);
    writeFileSync(input, toYaml(generated.items));
    const output = join(workDir, `triples-${size}.out`);
    const samples = [];
    for (let i = 0; i < runs; i++) {
      process.stderr.write(`growth ${size} triples: run ${i + 1}/${runs}\r`);
      const sample = measure(join(root, 'bin', 'meshscrape'), ['set-monitor-tls'], input, output);
      if (sample.status !== 0) {
        process.stderr.write(
          `\nset-monitor-tls on ${size} triples exited with ${sample.status}\n${sample.stderr}`,
        );
        ok = false;
        break;
      }
      samples.push(sample);
    }
    process.stderr.write('\n');
    if (samples.length === 0) continue;
    const https = readFileSync(output, 'utf8').match(/^ {4}(?: {2}|- )scheme: https$/gm)?.length ?? 0;
    if (https !== generated.endpoints) {
      process.stderr.write(
        `${size} triples: ${https} endpoints with scheme: https, expected ${generated.endpoints}\n`,
      );
      ok = false;
    }
    rows.push({
      size,
      seconds: median(samples.map((s) => s.seconds)),
      mib: median(samples.map((s) => s.mib)),
    });
  }
  const table = [['triples', 'resources', 'wall s', 'peak MB', 's / 1k triples', 'x time / x size']];
  for (const [i, r] of rows.entries()) {
    const previous = rows[i - 1];
    const growthCell = previous ? (r.seconds / previous.seconds / (r.size / previous.size)).toFixed(2) : '-';
    table.push([
      String(r.size),
      String(3 * r.size + 1),
      r.seconds.toFixed(2),
      r.mib.toFixed(0),
      ((r.seconds / r.size) * 1000).toFixed(2),
      growthCell,
    ]);
  }
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  console.log(
    `\ngrowth: set-monitor-tls on ServiceMonitor/Service/Deployment triples in one namespace (${runs} run(s) each)`,
  );
  for (const row of table) console.log(row.map((cell, i) => cell.padStart(widths[i])).join('  '));
  console.log(
    '(x time / x size near 1: linear; near 2: quadratic. Node start-up is in every run, so small lists read high)',
  );
  return ok;
}

function main() {
  const { count, runs, growth: growthSizes } = options(process.argv.slice(2));
  if (!existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) {
    process.stderr.write('dist/ is missing: run npm run build (npm run bench does)\n');
    process.exit(2);
  }
  mkdirSync(workDir, { recursive: true });
  const generated = resources(count);
  const yamlInput = join(workDir, 'input.yaml');
  const jsonInput = join(workDir, 'input.json');
  const yamlText = toYaml(generated.items);
  writeFileSync(yamlInput, yamlText);
  // One anchor sends the whole list through the full parser (README, Development): the fallback's cost.
  const anchoredInput = join(workDir, 'input-anchored.yaml');
  writeFileSync(anchoredInput, yamlText.replace(/\n(\s+)name: /, '\n$1name: &first '));
  writeFileSync(jsonInput, toJson(generated.items));
  const mb = (file) => (readFileSync(file).length / 1e6).toFixed(1);
  console.log(
    `input: ${count} resources (${generated.monitors} ServiceMonitors, ${generated.endpoints} endpoints), ` +
      `YAML ${mb(yamlInput)} MB, JSON ${mb(jsonInput)} MB`,
  );
  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}\n`);

  const cases = [
    {
      name: 'set-monitor-tls',
      command: join(root, 'bin', 'meshscrape'),
      args: ['set-monitor-tls'],
      input: yamlInput,
      runs,
    },
    {
      name: 'JSON floor',
      command: process.execPath,
      args: [join(benchDir, 'baseline.mjs'), 'json'],
      input: jsonInput,
      runs,
    },
    {
      // About 10x slower than the rest: fewer runs keep `npm run bench` short.
      name: 'naive Document API',
      command: process.execPath,
      args: [join(benchDir, 'baseline.mjs'), 'yaml'],
      input: yamlInput,
      runs: Math.min(runs, 3),
    },
    {
      // The fallback is an order of magnitude slower: one run says enough.
      name: 'set-monitor-tls, full parser',
      command: join(root, 'bin', 'meshscrape'),
      args: ['set-monitor-tls'],
      input: anchoredInput,
      runs: 1,
    },
  ];
  let failed = false;
  const rows = [];
  for (const c of cases) {
    const output = join(workDir, `output-${c.name.replaceAll(/\W+/g, '-')}.out`);
    const samples = [];
    for (let i = 0; i < c.runs; i++) {
      process.stderr.write(`${c.name}: run ${i + 1}/${c.runs}\r`);
      const sample = measure(c.command, c.args, c.input, output);
      if (sample.status !== 0) {
        process.stderr.write(`\n${c.name} exited with ${sample.status}\n${sample.stderr}`);
        failed = true;
        break;
      }
      samples.push(sample);
    }
    process.stderr.write('\n');
    if (samples.length === 0) continue;
    if (c.name === 'set-monitor-tls') {
      const problems = checkOutput(yamlText, readFileSync(output, 'utf8'), { count, ...generated });
      for (const p of problems) process.stderr.write(`set-monitor-tls output check failed: ${p}\n`);
      if (problems.length > 0) failed = true;
      else
        console.log(
          'set-monitor-tls output check: ok (exit 0, item count, https endpoints, untouched items)',
        );
    }
    rows.push({
      name: c.name,
      runs: samples.length,
      seconds: median(samples.map((s) => s.seconds)),
      mib: median(samples.map((s) => s.mib)),
    });
  }

  const floor = rows.find((r) => r.name === 'JSON floor');
  const table = [['case', 'runs', 'wall s', 'peak MB', 'x JSON']];
  for (const r of rows) {
    table.push([
      r.name,
      String(r.runs),
      r.seconds.toFixed(2),
      r.mib.toFixed(0),
      floor ? `${(r.seconds / floor.seconds).toFixed(1)}x` : '-',
    ]);
  }
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  console.log('');
  for (const row of table) {
    console.log(
      row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '),
    );
  }
  console.log('(medians; peak MB is the child process max RSS, MiB)');
  const fn = rows.find((r) => r.name === 'set-monitor-tls');
  if (fn) {
    const seconds = fn.seconds.toFixed(2);
    const absolute = fn.seconds < targetSeconds ? 'meets' : 'misses';
    const scale = count === 10000 ? '' : ` (the target is for 10000 resources; this run has ${count})`;
    console.log(
      `\nset-monitor-tls ${absolute} the target: ${seconds} s, target < ${targetSeconds} s${scale}`,
    );
    if (floor) {
      const ratio = fn.seconds / floor.seconds;
      const relative = ratio <= targetRatio ? 'within' : 'over';
      console.log(
        `set-monitor-tls is ${ratio.toFixed(1)}x the JSON floor (${floor.seconds.toFixed(2)} s on this machine): ` +
          `${relative} the ${targetRatio}x budget behind the ${targetSeconds} s target`,
      );
    }
  }
  if (!growth(growthSizes, Math.min(runs, 2))) failed = true;
  process.exit(failed ? 1 : 0);
}

main();
