#!/usr/bin/env node
/**
 * The second half of `npm run build` (after tsc): bundles dist/src/cli/main.js into one CommonJS script,
 * dist/meshscrape.cjs, and writes V8's code cache for it, dist/meshscrape.cjs.cache, which bin/meshscrape hands to
 * node:vm so a cold start skips compiling the bundle (issue 11: cold start within 1.5x of `node -e 0`).
 *
 * Why a script and not an ES module: Node 20 has no code cache for ES modules (module.enableCompileCache is Node
 * 22+, vm.SourceTextModule needs a flag), while vm.Script takes `cachedData`. The cache is made by one training run
 * of the bundle (set-monitor-tls on a small list): what that run compiled (start-up, the YAML reader and writer,
 * config validation, one function) is in it as bytecode, the rest compiles lazily as without a cache.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bundle = join(root, 'dist', 'meshscrape.cjs');
const cache = `${bundle}.cache`;

// A cache from an earlier build must never sit beside a new bundle (bin/meshscrape also checks the bundle's id).
rmSync(cache, { force: true });
rmSync(join(root, 'dist', 'meshscrape.mjs'), { force: true }); // the ES module bundle of earlier builds

await build({
  entryPoints: [join(root, 'dist', 'src', 'cli', 'main.js')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  // ES modules are strict; the bundle stays so as a script. main.ts finds package.json from import.meta.url.
  banner: {
    js: '"use strict";\nconst __import_meta_url = require("node:url").pathToFileURL(__filename).href;',
  },
  define: { 'import.meta.url': '__import_meta_url' },
});

// esbuild writes strings, regular expressions and names in ASCII (its default charset); only comments it keeps can
// hold other characters (zod has an em dash), and one such character makes the whole 1.4 MB source a two-byte string
// to decode and scan. In a comment a `?` means the same to the program.
const raw = readFileSync(bundle, 'utf8');
const outsideComments = raw
  .split('\n')
  .filter((l) => /[\u0080-\uffff]/.test(l) && !/^\s*(\/\/|\/\*|\*)/.test(l));
if (outsideComments.length > 0) {
  process.stderr.write(
    `non-ASCII outside a comment line in the bundle:\n${outsideComments.join('\n').slice(0, 2000)}\n`,
  );
  process.exit(1);
}
const text = raw.replace(/[\u0080-\uffff]/g, '?');
// The bundle's first line names its content; the cache carries that line, and bin/meshscrape uses the cache only
// when the two agree (V8 itself checks only the source's length), without hashing 1.4 MB on every start.
const id = `// meshscrape bundle sha256:${createHash('sha256').update(text).digest('hex')}\n`;
writeFileSync(bundle, id + text);

// The training run: a Namespace, a Deployment, its Service and a ServiceMonitor, through set-monitor-tls.
const training = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: v1
  kind: Namespace
  metadata:
    name: shop
    labels:
      istio-injection: enabled
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    namespace: shop
  spec:
    selector:
      matchLabels:
        app: web
    template:
      metadata:
        labels:
          app: web
      spec:
        containers:
        - name: web
          image: web:1
          ports:
          - name: http-metrics
            containerPort: 9090
- apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: shop
    labels:
      app: web
  spec:
    selector:
      app: web
    ports:
    - name: http-metrics
      port: 9090
- apiVersion: monitoring.coreos.com/v1
  kind: ServiceMonitor
  metadata:
    name: web
    namespace: shop
  spec:
    selector:
      matchLabels:
        app: web
    endpoints:
    - port: http-metrics
functionConfig:
  apiVersion: meshscrape.dev/v1alpha1
  kind: SetMonitorTLS
  metadata:
    name: set-monitor-tls
`;
const run = spawnSync(process.execPath, [join(root, 'bin', 'meshscrape'), 'set-monitor-tls'], {
  input: training,
  encoding: 'utf8',
  env: { ...process.env, MESHSCRAPE_CODE_CACHE: 'write', NODE_OPTIONS: '' },
});
if (run.status !== 0 || !run.stdout.includes('scheme: https')) {
  process.stderr.write(`the code cache's training run failed (exit ${run.status}):\n${run.stderr}`);
  process.exit(1);
}
