/**
 * Writing port exceptions into a PeerAuthentication someone else wrote (the one Istio honours for those pods, since
 * a second workload policy beside it would be ignored): the ports go into `portLevelMtls` as PERMISSIVE and are
 * recorded in the annotations of `port-exceptions.ts`, so a later run takes back exactly its own ports.
 */
import { isMap, isScalar, type YAMLMap } from 'yaml';
import {
  ensureMap,
  ensureMapPath,
  fieldPath,
  type Item,
  info,
  mapAt,
  type Result,
  setScalar,
  toNode,
} from '../krm/index.js';
import {
  type AddedPort,
  addedPorts,
  exceptionPortsAnnotation,
  exceptionPortsByAnnotation,
  formatAddedPorts,
} from './port-exceptions.js';

/** The `portLevelMtls` key node for a port (written `8080:` or `"8080":`), if the map has one. */
function portKey(ports: YAMLMap, port: number): unknown {
  return ports.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === String(port))?.key;
}

const at = (item: Item, path?: string) => ({ ref: item.ref, file: item.file, path });
const portPath = (port: number): string => fieldPath(['spec', 'portLevelMtls', String(port)]);

/**
 * Brings the ports `fn` added to one user policy to `wanted`; ports it recorded for resources this run did not
 * handle are kept. Each port added or taken back gets an info result saying why.
 */
export function reconcileAddedPorts(
  item: Item,
  fn: string,
  wanted: readonly AddedPort[],
  handled: ReadonlySet<string>,
  reasons: readonly string[] = [],
): Result[] {
  const recorded = addedPorts(item, fn);
  const final = [...wanted, ...recorded.filter((p) => !handled.has(p.monitor))];
  const results: Result[] = [];
  const spec = ensureMapPath(item.node, ['spec']);
  const ports =
    spec && (final.length > 0 ? ensureMap(spec, 'portLevelMtls') : mapAt(spec, ['portLevelMtls']));
  const keep = new Set(final.map((p) => p.port));
  if (ports) {
    for (const { port, monitor } of recorded) {
      if (keep.has(port)) continue;
      const key = portKey(ports, port);
      if (key === undefined) continue;
      ports.delete(key);
      results.push(
        info(
          `removed port ${port} that ${fn} added for ${monitor}: no longer needed`,
          at(item, portPath(port)),
        ),
      );
    }
    for (const port of [...keep].sort((a, b) => a - b)) {
      const key = portKey(ports, port);
      const current = key === undefined ? undefined : ports.get(key, true);
      if (isMap(current) && current.get('mode') === 'PERMISSIVE') continue;
      ports.set(key ?? String(port), toNode({ mode: 'PERMISSIVE' }));
      const owners = [...new Set(final.filter((p) => p.port === port).map((p) => p.monitor))].join(', ');
      results.push(
        info(
          `added port ${port} (PERMISSIVE) for ${owners} to this policy, which already selects those pods: a second policy beside it would be ignored (Istio honours only the oldest)${reasons.length > 0 ? `; ${reasons.join('; ')}` : ''}`,
          at(item, portPath(port)),
        ),
      );
    }
    if (spec && ports.items.length === 0) spec.delete('portLevelMtls');
  }
  const metadata = ensureMapPath(item.node, ['metadata']);
  const annotations =
    metadata && (final.length > 0 ? ensureMap(metadata, 'annotations') : mapAt(metadata, ['annotations']));
  if (metadata && annotations) {
    if (final.length > 0) {
      setScalar(annotations, exceptionPortsByAnnotation, fn);
      setScalar(annotations, exceptionPortsAnnotation, formatAddedPorts(final));
    } else {
      annotations.delete(exceptionPortsByAnnotation);
      annotations.delete(exceptionPortsAnnotation);
      if (annotations.items.length === 0) metadata.delete('annotations');
    }
  }
  return results;
}
