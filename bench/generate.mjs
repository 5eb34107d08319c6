#!/usr/bin/env node
/**
 * Writes a deterministic ResourceList for the benchmark, laid out the way `kpt fn source` writes one: items as
 * `- apiVersion: ...` at column 0, content at column 2, compact sequences, kpt's path/index annotations.
 *
 *   node bench/generate.mjs [count] [out.yaml] [out.json]
 *
 * count defaults to 10000 (about 13 MB). Without out.yaml the YAML goes to stdout. out.json, when given, gets the
 * same ResourceList as JSON (comments have no JSON form and are left out there). Every ServiceMonitor selects a
 * Service that selects a Deployment in a Namespace labelled istio-injection: enabled, so set-monitor-tls turns
 * each of its endpoints to https.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';

/** Keys starting with this hold a whole-line comment written before the next key; JSON leaves them out. */
const COMMENT = '#';
/** An object with this key stands for a scalar already written as YAML text (PyYAML's quoted multi-line strings). */
const QUOTED = '\0quoted';

/** mulberry32: a small seeded PRNG, so every run writes the same bytes. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const quoteCache = new Map();

/** True when a string must be quoted to read back as the same string under YAML 1.1. */
function needsQuotes(s) {
  let cached = quoteCache.get(s);
  if (cached !== undefined) return cached;
  cached =
    s === '' ||
    s !== s.trim() ||
    /^[-?:,[\]{}#&*!|>'"%@`]/.test(s) ||
    /: |:$| #/.test(s) ||
    (() => {
      try {
        return parse(s, { version: '1.1' }) !== s;
      } catch {
        return true;
      }
    })();
  quoteCache.set(s, cached);
  return cached;
}

function scalar(value) {
  if (isObject(value) && QUOTED in value) return value[QUOTED];
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return needsQuotes(value) ? `'${value.replaceAll("'", "''")}'` : value;
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isMap = (v) => isObject(v) && !(QUOTED in v);
const isEmpty = (v) => !(isObject(v) && QUOTED in v) && isEmptyValue(v);
const isEmptyValue = (v) => (Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0);

/** Writes a mapping's entries at `indent`, pushing lines to `out`. `first` is the prefix of the first line. */
function emitMap(map, indent, out, first) {
  const pad = ' '.repeat(indent);
  let prefix = first ?? pad;
  for (const [key, value] of Object.entries(map)) {
    if (key.startsWith(COMMENT)) {
      // Before an entry's first key the comment goes above the `- ` line, at the marker's column.
      const col = prefix === pad ? indent : prefix.indexOf('-');
      out.push(`${' '.repeat(col)}# ${value}`);
      continue;
    }
    emitEntry(`${prefix}${key}:`, value, indent, out);
    prefix = pad;
  }
}

function emitEntry(head, value, indent, out) {
  if (typeof value === 'string' && value.includes('\n')) {
    const chomp = value.endsWith('\n') ? '' : '-';
    out.push(`${head} |${chomp}`);
    const body = value.endsWith('\n') ? value.slice(0, -1) : value;
    const pad = ' '.repeat(indent + 2);
    for (const line of body.split('\n')) out.push(line === '' ? '' : pad + line);
  } else if (Array.isArray(value) && value.length > 0) {
    out.push(head);
    emitSeq(value, indent, out); // compact: `- ` at the key's column
  } else if (isMap(value) && !isEmpty(value)) {
    out.push(head);
    emitMap(value, indent + 2, out);
  } else if (isEmpty(value)) {
    out.push(`${head} ${Array.isArray(value) ? '[]' : '{}'}`);
  } else {
    out.push(`${head} ${scalar(value)}`);
  }
}

function emitSeq(seq, indent, out) {
  const pad = ' '.repeat(indent);
  for (const value of seq) {
    if (isMap(value) && !isEmpty(value)) emitMap(value, indent + 2, out, `${pad}- `);
    else if (Array.isArray(value) && value.length > 0) throw new Error('nested sequences are not generated');
    else out.push(`${pad}- ${isEmpty(value) ? (Array.isArray(value) ? '[]' : '{}') : scalar(value)}`);
  }
}

const pick = (r, list) => list[Math.floor(r() * list.length)];
const pad3 = (n) => String(n).padStart(3, '0');

const teams = ['payments', 'search', 'catalog', 'identity', 'checkout', 'ads', 'data', 'platform', 'mobile'];
const stems = [
  'api',
  'worker',
  'gateway',
  'indexer',
  'scheduler',
  'frontend',
  'backend',
  'cache',
  'router',
  'syncer',
  'exporter',
  'ingest',
  'billing',
  'notifier',
  'ledger',
];
const images = ['registry.example.com', 'ghcr.io/example', 'quay.io/example'];
const logLevels = ['debug', 'info', 'warn', 'error'];

/** Annotations `kpt fn source` puts on an item read from a file (index counts documents within that file). */
function kptAnnotations(path, index) {
  return { 'config.kubernetes.io/index': String(index), 'internal.config.kubernetes.io/path': path };
}

function namespaceResource(ns) {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: ns,
      labels: { 'istio-injection': 'enabled', 'kubernetes.io/metadata.name': ns, team: ns.split('-')[0] },
      annotations: kptAnnotations(`${ns}/namespace.yaml`, 0),
    },
  };
}

function appLabels(app, team) {
  return {
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/part-of': team,
    'app.kubernetes.io/managed-by': 'kustomize',
  };
}

function container(r, app, name, metricsPort) {
  const ports = [
    { name: 'http', containerPort: 8080, protocol: 'TCP' },
    { name: 'http-metrics', containerPort: metricsPort, protocol: 'TCP' },
  ];
  const env = [
    { name: 'APP_NAME', value: app },
    { name: 'LOG_LEVEL', value: pick(r, logLevels) },
    { name: 'GOMAXPROCS', value: String(1 + Math.floor(r() * 4)) },
    { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
  ];
  if (r() < 0.5)
    env.push({ name: 'DATABASE_URL', value: `postgres://${app}-db:5432/${app}?sslmode=disable` });
  if (r() < 0.5) env.push({ name: 'FEATURE_FLAGS', value: 'new-checkout,fast-path,audit-log' });
  const cpu = pick(r, ['100m', '250m', '500m', '1']);
  const memory = pick(r, ['128Mi', '256Mi', '512Mi', '1Gi']);
  return {
    name,
    image: `${pick(r, images)}/${app}:1.${Math.floor(r() * 30)}.${Math.floor(r() * 10)}`,
    imagePullPolicy: 'IfNotPresent',
    args: ['--listen=:8080', `--metrics-listen=:${metricsPort}`, `--log-level=${pick(r, logLevels)}`],
    ports,
    env,
    envFrom: [{ configMapRef: { name: `${app}-config` } }],
    resources: { requests: { cpu, memory }, limits: { cpu: cpu === '1' ? '2' : '1', memory } },
    livenessProbe: {
      httpGet: { path: '/healthz', port: 'http' },
      initialDelaySeconds: 10,
      periodSeconds: 10,
      failureThreshold: 3,
    },
    readinessProbe: {
      httpGet: { path: '/readyz', port: 'http' },
      initialDelaySeconds: 5,
      periodSeconds: 5,
    },
    securityContext: {
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
}

function deployment(r, ns, app, team, path, index) {
  const labels = appLabels(app, team);
  const containers = [container(r, app, 'app', 9090)];
  if (r() < 0.3) {
    containers.push({
      name: 'proxy',
      image: `${pick(r, images)}/auth-proxy:2.${Math.floor(r() * 10)}.0`,
      args: ['--upstream=http://127.0.0.1:8080', '--listen=:8443'],
      ports: [{ name: 'https', containerPort: 8443, protocol: 'TCP' }],
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '64Mi' } },
    });
  }
  const annotations = kptAnnotations(path, index);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app, namespace: ns, labels, annotations },
    spec: {
      replicas: 1 + Math.floor(r() * 5),
      revisionHistoryLimit: 5,
      selector: { matchLabels: { 'app.kubernetes.io/name': app } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: { ...labels, version: `v${1 + Math.floor(r() * 3)}` },
          annotations: { 'kubectl.kubernetes.io/default-container': 'app' },
        },
        spec: {
          serviceAccountName: app,
          terminationGracePeriodSeconds: 30,
          securityContext: { runAsUser: 10001, fsGroup: 10001 },
          containers,
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

function service(ns, app, team, path, index) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: app,
      namespace: ns,
      labels: appLabels(app, team),
      annotations: kptAnnotations(path, index),
    },
    spec: {
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': app },
      ports: [
        { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
        { name: 'http-metrics', port: 9090, targetPort: 'http-metrics', protocol: 'TCP' },
      ],
    },
  };
}

function configMap(r, ns, app, name, path, index) {
  const data = {
    LOG_LEVEL: pick(r, logLevels),
    CACHE_TTL: `${1 + Math.floor(r() * 60)}m`,
    MAX_CONNECTIONS: String(10 + Math.floor(r() * 200)),
  };
  if (r() < 0.6) {
    const lines = ['server:', `  name: ${app}`, '  listen: 0.0.0.0:8080', '  timeouts:'];
    lines.push('    read: 30s', '    write: 30s', 'upstreams:');
    const upstreams = 2 + Math.floor(r() * 6);
    for (let i = 0; i < upstreams; i++) {
      lines.push(`  - name: upstream-${i}`, `    url: http://${app}-${i}.${ns}.svc.cluster.local:8080`);
      lines.push(`    retries: ${1 + Math.floor(r() * 3)}`);
    }
    lines.push('logging:', `  level: ${data.LOG_LEVEL}`, '  format: json');
    data['config.yaml'] = `${lines.join('\n')}\n`;
  }
  if (r() < 0.3) {
    data['nginx.conf'] = [
      'server {',
      '    listen 8080;',
      `    server_name ${app}.example.com;`,
      '    location / {',
      `        proxy_pass http://${app}:80;`,
      '        proxy_set_header Host $host;',
      '    }',
      '}',
    ].join('\n');
  }
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: ns,
      labels: { 'app.kubernetes.io/name': app },
      annotations: kptAnnotations(path, index),
    },
    data,
  };
}

function serviceMonitor(r, ns, app, team, path, index) {
  const endpoints = [
    {
      [`${COMMENT}1`]: "The application's own metrics.",
      port: 'http-metrics',
      interval: '30s',
      path: '/metrics',
    },
  ];
  if (r() < 0.3) {
    endpoints.push({ port: 'http-metrics', interval: '60s', path: '/metrics/slow', scrapeTimeout: '20s' });
  }
  const spec = {
    [`${COMMENT}1`]: `Scrapes ${app} in ${ns}.`,
    jobLabel: 'app.kubernetes.io/name',
    selector: { matchLabels: { 'app.kubernetes.io/name': app } },
    endpoints,
  };
  if (r() < 0.5) spec.namespaceSelector = { matchNames: [ns] };
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: {
      name: app,
      namespace: ns,
      labels: { ...appLabels(app, team), release: 'prometheus' },
      annotations: kptAnnotations(path, index),
    },
    spec,
  };
}

/**
 * The resources of a list of `count` items: 1% Namespaces, 10% ServiceMonitors, 25% apps of a Deployment and a
 * Service, the rest ConfigMaps (one per app, then extra ones). Returns the resources, how many monitors and
 * monitor endpoints there are.
 */
export function resources(count) {
  const r = rng(20240501);
  const namespaceCount = Math.max(1, Math.round(count / 100));
  const monitorCount = Math.round(count / 10);
  const appCount = Math.max(monitorCount, Math.round(count * 0.25));
  const configMapCount = Math.max(0, count - namespaceCount - monitorCount - 2 * appCount);
  const namespaces = [];
  for (let i = 0; i < namespaceCount; i++) namespaces.push(`${teams[i % teams.length]}-${pad3(i)}`);
  const out = namespaces.map(namespaceResource);
  const apps = [];
  let monitors = 0;
  let endpoints = 0;
  for (let a = 0; a < appCount; a++) {
    const ns = namespaces[a % namespaceCount];
    const team = ns.split('-')[0];
    const app = `${pick(r, stems)}-${pad3(a)}`;
    const path = `${ns}/${app}.yaml`;
    apps.push({ ns, app, path });
    out.push(deployment(r, ns, app, team, path, 0), service(ns, app, team, path, 1));
    // Spread the monitors evenly over the apps.
    if (monitors < monitorCount && Math.floor(((a + 1) * monitorCount) / appCount) > monitors) {
      const monitor = serviceMonitor(r, ns, app, team, path, 2);
      endpoints += monitor.spec.endpoints.length;
      monitors++;
      out.push(monitor);
    }
    if (a < configMapCount) out.push(configMap(r, ns, app, `${app}-config`, path, 3));
  }
  for (let c = appCount; c < configMapCount; c++) {
    const { ns, app } = apps[c % appCount];
    const name = `${app}-extra-${Math.floor(c / appCount)}`;
    out.push(configMap(r, ns, app, name, `${ns}/${name}.yaml`, 0));
  }
  return { items: out, monitors, endpoints };
}

/**
 * `count` ServiceMonitor / Service / Deployment triples in one injected namespace (issue #8's growth case: every
 * monitor's selector is looked up among all Services and pods of that namespace). Returns the resources, how many
 * monitors and monitor endpoints there are.
 */
export function oneNamespaceTriples(count) {
  const r = rng(20240502);
  const ns = 'crowded';
  const out = [namespaceResource(ns)];
  let endpoints = 0;
  for (let a = 0; a < count; a++) {
    const app = `${pick(r, stems)}-${String(a).padStart(5, '0')}`;
    const path = `${ns}/${app}.yaml`;
    const monitor = serviceMonitor(r, ns, app, 'crowded', path, 2);
    endpoints += monitor.spec.endpoints.length;
    out.push(deployment(r, ns, app, 'crowded', path, 0), service(ns, app, 'crowded', path, 1), monitor);
  }
  return { items: out, monitors: count, endpoints };
}

const functionConfig = {
  apiVersion: 'meshscrape.dev/v1alpha1',
  kind: 'SetMonitorTLS',
  metadata: { name: 'set-monitor-tls' },
};

/** Keys sorted and comments left out, as PyYAML dumps a mapping. */
function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (!isObject(value)) return value;
  const out = {};
  for (const key of Object.keys(value).sort()) if (!key.startsWith(COMMENT)) out[key] = sorted(value[key]);
  return out;
}

/** Multi-line strings as double-quoted scalars with escapes (JSON's escapes are YAML's). */
function quoteLines(value) {
  if (typeof value === 'string') return value.includes('\n') ? { [QUOTED]: JSON.stringify(value) } : value;
  if (Array.isArray(value)) return value.map(quoteLines);
  if (!isObject(value) || QUOTED in value) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, quoteLines(v)]));
}

/**
 * The ResourceList as PyYAML's `yaml.dump` writes it: keys sorted, sequences not indented under their key, no
 * comments (PyYAML dumps data), multi-line strings double-quoted with escapes (what PyYAML picks for text whose
 * lines start with spaces).
 */
export function toPyYaml(items, config = functionConfig) {
  const list = sorted({
    apiVersion: 'config.kubernetes.io/v1',
    kind: 'ResourceList',
    items,
    functionConfig: config,
  });
  const out = [];
  emitMap(quoteLines(list), 0, out);
  return `${out.join('\n')}\n`;
}

/** The ResourceList as YAML text (kpt layout). */
export function toYaml(items, config = functionConfig) {
  const out = ['apiVersion: config.kubernetes.io/v1', 'kind: ResourceList', 'items:'];
  emitSeq(items, 0, out);
  emitEntry('functionConfig:', config, 0, out);
  return `${out.join('\n')}\n`;
}

/**
 * The ResourceList in one of the benchmark's layouts of the same resources: `kpt` (`kpt fn source`), `pyyaml`
 * (`yaml.dump`), `json` (one document, indented as `kubectl get -o json` writes it), `crlf` (kpt's with CR LF line
 * ends), `anchor` (kpt's with one anchor on the first item's name).
 */
export const layouts = {
  kpt: (items, config) => toYaml(items, config),
  pyyaml: (items, config) => toPyYaml(items, config),
  json: (items, config) => `${toJson(items, config, 4)}\n`,
  crlf: (items, config) => toYaml(items, config).replaceAll('\n', '\r\n'),
  anchor: (items, config) => toYaml(items, config).replace(/\n(\s+)name: /, '\n$1name: &first '),
};

/**
 * The resources as a YAML stream (what Helm's post-renderer and a manifest directory hold) in a layout: documents
 * separated by `---`, or for `json` one `v1` List document as `kubectl get -o json` writes it.
 */
export function toStream(items, layout) {
  if (layout === 'json') {
    const list = { apiVersion: 'v1', kind: 'List', items };
    return `${JSON.stringify(list, (key, value) => (key.startsWith(COMMENT) ? undefined : value), 4)}\n`;
  }
  const docs = items.map((item) => {
    const out = [];
    emitMap(layout === 'pyyaml' ? quoteLines(sorted(item)) : item, 0, out);
    return out.join('\n');
  });
  let text = `${docs.join('\n---\n')}\n`;
  if (layout === 'anchor') text = text.replace(/\n(\s+)name: /, '\n$1name: &first ');
  return layout === 'crlf' ? text.replaceAll('\n', '\r\n') : text;
}

/** The same ResourceList as JSON (comments dropped). */
export function toJson(items, config = functionConfig, indent = undefined) {
  const list = { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items, functionConfig: config };
  return JSON.stringify(list, (key, value) => (key.startsWith(COMMENT) ? undefined : value), indent);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const count = Number(process.argv[2] ?? 10000);
  if (!Number.isInteger(count) || count < 1) {
    process.stderr.write('usage: node bench/generate.mjs [count] [out.yaml] [out.json]\n');
    process.exit(2);
  }
  const { items } = resources(count);
  const yamlText = toYaml(items);
  if (process.argv[3]) writeFileSync(process.argv[3], yamlText);
  else process.stdout.write(yamlText);
  if (process.argv[4]) writeFileSync(process.argv[4], toJson(items));
}
