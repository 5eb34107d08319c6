/**
 * What the benchmark table runs and how it checks each output (bench/README.md). The function list comes from the
 * built executable's `--help` (src/cli/registry.ts), so a new function is measured without an edit here; `typical`
 * gives the config that makes a function act on the generated list, and `checks` what its output must show.
 */
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';

/** Name and config kind of every function the executable lists under `Functions:` in `--help`. */
export function registeredFunctions(executable) {
  const help = spawnSync(executable, ['--help'], { encoding: 'utf8' });
  if (help.status !== 0) throw new Error(`${executable} --help exited with ${help.status}: ${help.stderr}`);
  const section = help.stdout.slice(help.stdout.indexOf('\nFunctions:\n') + '\nFunctions:\n'.length);
  const out = [];
  for (const line of section.split('\n')) {
    const m = /^ {2}([a-z][a-z0-9-]*) +([A-Z][A-Za-z0-9]*)\b/.exec(line);
    if (m) out.push({ name: m[1], kind: m[2] });
  }
  if (out.length === 0) throw new Error(`no Functions: section in ${executable} --help`);
  return out;
}

/** The stream modes: not in the registry, run as their own cases. */
export const streamModes = ['post-render', 'argocd-generate'];

const meta = (item) => item.metadata ?? {};
const key = (item) => `${item.kind}/${meta(item).namespace ?? ''}/${meta(item).name ?? ''}`;
const endpoints = (items) =>
  items.filter((i) => i.kind === 'ServiceMonitor').flatMap((i) => i.spec?.endpoints ?? []);
const certMounted = (items) =>
  items
    .filter((i) => i.kind === 'Prometheus')
    .every((p) => JSON.stringify(p.spec?.volumeMounts ?? []).includes('istio-certs'));

function allHttps(items) {
  const plain = endpoints(items).filter((e) => e.scheme !== 'https' || !e.tlsConfig);
  return plain.length === 0 ? [] : [`${plain.length} ServiceMonitor endpoint(s) without https and tlsConfig`];
}

/** `{from, to}` of the relocation: the first generated namespace moves. */
const relocation = (namespaces) => ({ from: namespaces[0], to: `${namespaces[0]}-moved` });

/**
 * Per function: the config (besides apiVersion/kind/metadata), whether the list's Prometheus has Istio's certs
 * mounted already (`mounted`; only mount-istio-certs gets it without), which input items it may change, the exit
 * codes it may end with, and what its output must show. A function missing here runs with its defaults and the
 * generic checks only (item count, nothing changed it does not own: nothing, so every item identical).
 */
export function typical(name, listed) {
  // A list with one namespace (the growth case) has its second namespace be its first.
  const namespaces = [listed[0], listed[1] ?? listed[0]];
  switch (name) {
    case 'set-monitor-tls':
      return { config: {}, mounted: true, mayChange: (i) => i.kind === 'ServiceMonitor', expect: allHttps };
    case 'mount-istio-certs':
      return {
        config: { inbound: 'mesh', scrapeClass: { name: 'istio-mtls' } },
        mounted: false,
        mayChange: (i) => i.kind === 'Prometheus',
        expect: (out) => (certMounted(out) ? [] : ['the Prometheus has no istio-certs volume mount']),
      };
    case 'fix-pod-monitors':
      return {
        config: { strategy: 'scrape-class' },
        mounted: true,
        mayChange: (i) => i.kind === 'PodMonitor',
        expect: (out) => {
          const left = out.filter((i) => i.kind === 'PodMonitor' && i.spec?.scrapeClass !== 'istio-mtls');
          return left.length === 0 ? [] : [`${left.length} PodMonitor(s) without scrapeClass: istio-mtls`];
        },
      };
    case 'set-sidecar-options':
      return {
        config: { proxyCPU: '200m', proxyMemory: '256Mi', select: { namespaces: [namespaces[1]] } },
        mounted: true,
        mayChange: (i) => i.kind === 'Deployment' && meta(i).namespace === namespaces[1],
        expect: (out) => {
          const pods = out.filter((i) => i.kind === 'Deployment' && meta(i).namespace === namespaces[1]);
          const missing = pods.filter(
            (d) => d.spec?.template?.metadata?.annotations?.['sidecar.istio.io/proxyCPU'] !== '200m',
          );
          if (pods.length === 0) return [`no Deployment in ${namespaces[1]}`];
          return missing.length === 0
            ? []
            : [`${missing.length} Deployment(s) without sidecar.istio.io/proxyCPU`];
        },
      };
    case 'relocate-namespace': {
      const { from, to } = relocation(namespaces);
      return {
        config: { from, to },
        mounted: true,
        // The Namespace `from` stays as it is (what the list does not show still lives there); `to` is added.
        adds: true,
        mayChange: (i) => meta(i).namespace === from,
        expect: (out) => {
          const problems = [];
          const left = out.filter((i) => meta(i).namespace === from);
          if (left.length > 0) problems.push(`${left.length} item(s) still in ${from}`);
          if (!out.some((i) => i.kind === 'Namespace' && meta(i).name === to))
            problems.push(`no Namespace ${to}`);
          if (!out.some((i) => meta(i).namespace === to)) problems.push(`nothing moved into ${to}`);
          return problems;
        },
      };
    }
    case 'generate-mesh-policies':
      return {
        config: { namespaces: namespaces.slice(0, 2), authorization: { enabled: true } },
        mounted: true,
        adds: true,
        mayChange: () => false,
        expect: (out, input) => {
          const before = new Set(input.map(key));
          const added = out.filter((i) => !before.has(key(i)));
          const kinds = new Set(added.map((i) => i.kind));
          const problems = [];
          for (const kind of ['PeerAuthentication', 'AuthorizationPolicy'])
            if (!kinds.has(kind)) problems.push(`no ${kind} generated`);
          const foreign = added.filter((i) => !/\.istio\.io\//.test(i.apiVersion));
          if (foreign.length > 0)
            problems.push(`generated ${foreign.map(key).join(', ')}: not an Istio resource`);
          return problems;
        },
      };
    case 'validate-mesh-metrics':
      // The list's monitors send plain http to STRICT ports: the validator reports them (exit 1) and changes nothing.
      return {
        config: {},
        mounted: true,
        codes: [0, 1],
        mayChange: () => false,
        expect: (_out, _input, results) =>
          results.some((r) => r.severity === 'error')
            ? []
            : ['no error reported for the plain-http monitors'],
      };
    default:
      return { config: {}, mounted: true, codes: [0, 1], mayChange: () => false, expect: () => [] };
  }
}

/** What the Helm pipeline (pipelines/helm/meshscrape.yaml) must leave: https monitors and a mounted Prometheus. */
export const pipelineCheck = {
  mayChange: (i) => ['ServiceMonitor', 'PodMonitor', 'Prometheus'].includes(i.kind),
  expect: (out) => [
    ...allHttps(out),
    ...(certMounted(out) ? [] : ['the Prometheus has no istio-certs mount']),
  ],
};

/** Sorted-key JSON: the same resource in any layout gives the same string. */
export function canonical(value) {
  const sort = (v) =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort(v[k])]),
          )
        : v;
  return JSON.stringify(sort(value));
}

/**
 * The item entries of a ResourceList's text, as written: the lines from `- ` at column 0 to the next one, after the
 * `items:` line and before the next top-level key. Line ends are kept as they are (CR LF stays).
 */
export function itemEntries(text) {
  const lines = text.split('\n');
  let i = lines.findIndex((l) => /^items:\r?$/.test(l));
  if (i < 0) return undefined;
  const entries = [];
  for (i++; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('- ')) entries.push([line]);
    else if (line === '' || line === '\r' || line.startsWith(' ') || line.startsWith('#')) {
      if (entries.length > 0) entries[entries.length - 1].push(line);
    } else break;
  }
  return entries.map((e) => e.join('\n'));
}

/** The results of a ResourceList's text (the part from `results:` on), parsed. */
function results(text) {
  const at = text.search(/^results:\r?$/m);
  if (at < 0) return [];
  const rest = text.slice(at);
  const end = rest.search(/^(?!results:)[a-zA-Z]+:\r?$/m);
  return parse(end < 0 ? rest : rest.slice(0, end), { version: '1.1' })?.results ?? [];
}

/** One entry's resource: JSON when it is written as one JSON line (what JSON input comes back as), else YAML. */
function entryResource(text) {
  // An entry cut out of a CR LF text ends in a lone CR, which YAML does not read as a line end.
  const entry = text.replaceAll('\r\n', '\n').replace(/\r$/, '');
  const body = entry.slice(2).trim();
  if (body.startsWith('{')) {
    try {
      return JSON.parse(body);
    } catch {
      // a YAML flow mapping, not JSON
    }
  }
  return parse(entry, { version: '1.1' })[0];
}

/**
 * Checks a function's output ResourceList against its input items (plain objects, comments left out) and, for a
 * YAML layout, the input's item entries: item count (plus generated items where the function adds), every item it
 * may not change equal to its input (and byte-identical where the input is YAML), its expected edits present.
 * Only the entries that differ from an input entry are parsed. Returns the problems found.
 */
export function checkList(spec, inputItems, inputEntries, outputText) {
  const problems = [];
  // JSON input comes back as a JSON ResourceList (its untouched items as their input text).
  const json = outputText.trimStart().startsWith('{') ? JSON.parse(outputText) : undefined;
  const entries = json ? [] : itemEntries(outputText);
  if (!entries) return ['no items: section in the output'];
  const inputByText = new Map((inputEntries ?? []).map((e, i) => [e, inputItems[i]]));
  const out = json ? (json.items ?? []) : entries.map((e) => inputByText.get(e) ?? entryResource(e));
  if (spec.adds ? out.length < inputItems.length : out.length !== inputItems.length)
    problems.push(`${out.length} items in the output, ${inputItems.length} in the input`);
  const outCanonical = new Set(out.map(canonical));
  const outText = new Set(entries);
  let changed = 0;
  let notIdentical = 0;
  for (const [i, item] of inputItems.entries()) {
    if (spec.mayChange(item)) continue;
    if (!outCanonical.has(canonical(item))) changed++;
    else if (inputEntries && !outText.has(inputEntries[i])) notIdentical++;
  }
  if (changed > 0)
    problems.push(`${changed} item(s) the function must not change came back changed or missing`);
  if (notIdentical > 0)
    problems.push(`${notIdentical} untouched item(s) came back equal but not byte-identical`);
  problems.push(...spec.expect(out, inputItems, json ? (json.results ?? []) : results(outputText)));
  return problems;
}

/** Checks a stream mode's output (a YAML stream) against the input items, as `checkList` does. */
export function checkStream(spec, inputItems, outputText) {
  const docs = outputText
    .split(/^---\r?$/m)
    .filter((d) => d.trim() !== '')
    .map((d) => parse(d, { version: '1.1' }));
  const out = docs.filter((d) => d && typeof d === 'object');
  const problems = [];
  if (out.length !== inputItems.length)
    problems.push(`${out.length} resources in the output, ${inputItems.length} in the input`);
  const outCanonical = new Set(out.map(canonical));
  const changed = inputItems.filter((i) => !spec.mayChange(i) && !outCanonical.has(canonical(i))).length;
  if (changed > 0)
    problems.push(`${changed} resource(s) the pipeline must not change came back changed or missing`);
  problems.push(...spec.expect(out, inputItems, []));
  return problems;
}
