/**
 * Port exceptions a function added to a PeerAuthentication someone else wrote: the policy records which function
 * added which `portLevelMtls` ports for which monitor, so a later run can tell the user's ports from its own (the
 * scrape-path model then decides as if they were not there) and take back exactly those.
 */
import { Item } from '../krm/index.js';
import { generatedMetadata } from './generated.js';
import { beforeWorkloadsWave, syncWaveAnnotation } from './sync-wave.js';

/** The function that added ports to this policy. */
export const exceptionPortsByAnnotation = 'meshscrape.dev/exception-ports-by';
/** The ports it added and for what: `8080=PodMonitor/shop/cart,9187=PodMonitor/shop/db`. */
export const exceptionPortsAnnotation = 'meshscrape.dev/exception-ports';

/** One added port and the monitor it was added for. */
export interface AddedPort {
  port: number;
  monitor: string;
}

/** The ports `fn` recorded as added to a policy (none when another function, or nobody, added any). */
export function addedPorts(item: Item, fn: string): AddedPort[] {
  if (item.readNow(['metadata', 'annotations', exceptionPortsByAnnotation]) !== fn) return [];
  const value = item.readNow(['metadata', 'annotations', exceptionPortsAnnotation]);
  if (typeof value !== 'string') return [];
  return value.split(',').flatMap((entry) => {
    const [port, monitor] = entry.split('=');
    return port && monitor && /^\d+$/.test(port) ? [{ port: Number(port), monitor }] : [];
  });
}

/** The annotation value recording added ports, in a stable order. */
export function formatAddedPorts(ports: readonly AddedPort[]): string {
  return [...new Set(ports.map((p) => `${p.port}=${p.monitor}`))]
    .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10) || a.localeCompare(b))
    .join(',');
}

/**
 * A generated port exception: `mtls.mode: UNSET` (the pods keep the mode their namespace or the mesh gives them,
 * never a tightened one) and PERMISSIVE on exactly these container ports (domain.md section 3: `portLevelMtls` is
 * keyed by container port and needs a selector).
 */
export function portExceptionPolicy(exception: {
  generator: string;
  name: string;
  namespace: string;
  selector: Readonly<Record<string, string>>;
  ports: readonly number[];
  generatedFor: readonly string[];
}): Item {
  return Item.create({
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    // Applied before the workloads whose scrapes it opens (sync-wave.ts).
    metadata: generatedMetadata(
      exception.generator,
      exception.name,
      exception.namespace,
      [...exception.generatedFor],
      { annotations: { [syncWaveAnnotation]: beforeWorkloadsWave } },
    ),
    spec: {
      selector: { matchLabels: { ...exception.selector } },
      mtls: { mode: 'UNSET' },
      portLevelMtls: Object.fromEntries(
        [...new Set(exception.ports)].sort((a, b) => a - b).map((p) => [String(p), { mode: 'PERMISSIVE' }]),
      ),
    },
  });
}
