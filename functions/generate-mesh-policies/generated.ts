/**
 * What every generated resource carries: the generated-by annotation (so a later run updates or prunes it), what it
 * was made for, and a `config.kubernetes.io/path` annotation so kpt writes it to a file of its own.
 */
import { canonicalJson } from '../../src/domain/canonical-json.js';
import { generatedFor, generatedMetadata } from '../../src/domain/generated.js';
import { beforeWorkloadsWave, syncWaveAnnotation, syncWaveOf } from '../../src/domain/sync-wave.js';
import { asObject, type Item, type Resource } from '../../src/krm/index.js';

/** The function's name, as its generated resources carry it. */
export const functionName = 'generate-mesh-policies';

/** The kinds it generates, with their API groups. */
export const generatedKinds: Readonly<Record<string, string>> = {
  PeerAuthentication: 'security.istio.io',
  AuthorizationPolicy: 'security.istio.io',
  ServiceEntry: 'networking.istio.io',
  DestinationRule: 'networking.istio.io',
  Sidecar: 'networking.istio.io',
  Namespace: '',
};

/** The path annotation kpt writes a new resource's file from. */
export const pathAnnotation = 'config.kubernetes.io/path';

/** A file name for a generated resource: `<dir>/<namespace>/<kind>-<name>.yaml` (`_cluster` for a Namespace). */
export function filePath(
  outputDir: string,
  kind: string,
  namespace: string | undefined,
  name: string,
): string {
  const dir = outputDir.replace(/\/+$/, '');
  const file = `${namespace || '_cluster'}/${kind.toLowerCase()}-${name}.yaml`;
  return dir === '' ? file : `${dir}/${file}`;
}

/** Metadata of a generated resource (`namespace` undefined for a cluster-scoped one). */
export function metadataFor(
  kind: string,
  name: string,
  namespace: string | undefined,
  madeFor: readonly string[],
  outputDir: string,
  labels: Record<string, string> = {},
): Resource {
  const metadata = generatedMetadata(functionName, name, namespace ?? '', [...new Set(madeFor)].sort(), {
    labels,
    annotations: {
      // Applied before the workloads they protect and open for scrapes (src/domain/sync-wave.ts).
      [syncWaveAnnotation]: beforeWorkloadsWave,
      [pathAnnotation]: filePath(outputDir, kind, namespace, name.slice(0, 63).replace(/-+$/, '')),
    },
  });
  if (namespace === undefined) delete metadata.namespace;
  return metadata;
}

/** What decides whether a generated resource is current: all but its metadata, its labels, what it is for. */
export const generatedContent = (item: Item): string => {
  const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = item.data;
  const labels = asObject(asObject(item.data.metadata)?.labels) ?? null;
  const path = asObject(asObject(item.data.metadata)?.annotations)?.[pathAnnotation] ?? null;
  return canonicalJson({ rest, labels, path, wave: syncWaveOf(item), for: generatedFor(item) });
};
