/** The pod side of the recipe: volume, mounts, annotations and the injection label, on any pod-shaped resource. */
import { isMap, YAMLMap } from 'yaml';
import {
  certMount,
  certVolume,
  type InboundMode,
  recipeAnnotations,
  recipeLabels,
} from '../../src/domain/istio-certs.js';
import { addNamedEntry } from '../../src/domain/named-entries.js';
import { mergeStringMap } from '../../src/domain/pod-annotations.js';
import {
  ensureMapPath,
  ensureSeq,
  error,
  findByKey,
  type Item,
  info,
  plain,
  type Result,
} from '../../src/krm/index.js';

/** Where the pod parts of a resource sit. */
export interface PodLayout {
  /** Map holding the pod's `labels` and `annotations`. */
  metadata: readonly string[];
  /** Map holding the pod's `volumes` list. */
  volumesParent: readonly string[];
  /** Map holding the `containers` list. */
  containersParent: readonly string[];
  /** Map holding a `volumeMounts` list for the main container (Prometheus CR: `spec`), if the kind has one. */
  mainMountsParent?: readonly string[];
  /** Add an entry for a named container that is not in the list (the operator merges it with its own). */
  createMissingContainers: boolean;
}

const includeInbound = 'traffic.sidecar.istio.io/includeInboundPorts';

function conflict(item: Item, path: readonly string[], what: string): Result {
  return error(`${path.join('.')} is not a ${what}`, {
    ref: item.ref,
    file: item.file,
    path: path.join('.'),
  });
}

/** Applies the pod recipe; returns the results. */
export function applyPodRecipe(
  item: Item,
  layout: PodLayout,
  settings: {
    certDir: string;
    inbound: InboundMode;
    containers: readonly string[];
    /** The config field listing the containers, for results (`workloads[0].containers`). */
    containersField?: string;
  },
): Result[] {
  const root = item.node;
  const results: Result[] = [];
  const at = (path: string): { ref: Item['ref']; file: Item['file']; path: string } => ({
    ref: item.ref,
    file: item.file,
    path,
  });
  const metadata = ensureMapPath(root, layout.metadata);
  if (!metadata) return [conflict(item, layout.metadata, 'map')];
  const annotations = ensureMapPath(metadata, ['annotations']);
  const labels = ensureMapPath(metadata, ['labels']);
  if (!annotations || !labels) return [conflict(item, [...layout.metadata, 'annotations'], 'map')];
  if (settings.inbound === 'mesh' && plain(annotations.get(includeInbound, true)) === '') {
    annotations.delete(includeInbound);
    results.push(
      info(
        `removed ${includeInbound}: "" (inbound: mesh keeps inbound capture on)`,
        at(layout.metadata.join('.')),
      ),
    );
  }
  results.push(
    ...mergeStringMap(annotations, recipeAnnotations(settings.inbound), item, [
      ...layout.metadata,
      'annotations',
    ]),
  );
  results.push(...mergeStringMap(labels, recipeLabels, item, [...layout.metadata, 'labels']));

  const volumesParent = ensureMapPath(root, layout.volumesParent);
  const volumes = volumesParent && ensureSeq(volumesParent, 'volumes');
  if (!volumes) return [...results, conflict(item, [...layout.volumesParent, 'volumes'], 'list')];
  results.push(...addNamedEntry(volumes, certVolume, item, [...layout.volumesParent, 'volumes']));

  const mount = certMount(settings.certDir);
  if (layout.mainMountsParent) {
    const parent = ensureMapPath(root, layout.mainMountsParent);
    const mounts = parent && ensureSeq(parent, 'volumeMounts');
    if (!mounts) return [...results, conflict(item, [...layout.mainMountsParent, 'volumeMounts'], 'list')];
    results.push(...addNamedEntry(mounts, mount, item, [...layout.mainMountsParent, 'volumeMounts']));
  }
  if (settings.containers.length === 0) return results;
  const containersParent = ensureMapPath(root, layout.containersParent);
  const containers = containersParent && ensureSeq(containersParent, 'containers');
  const containersPath = [...layout.containersParent, 'containers'];
  if (!containers) return [...results, conflict(item, containersPath, 'list')];
  for (const name of settings.containers) {
    const found = findByKey(containers, 'name', name);
    if (!found) {
      if (!layout.createMissingContainers) {
        const present = containers.items
          .map((c) => (isMap(c) ? plain(c.get('name', true)) : undefined))
          .filter((n) => typeof n === 'string');
        results.push(
          error(
            `config ${settings.containersField ?? 'containers'} names ${name}, but ${item.describe()} has no container of that name (it has ${present.join(', ') || 'none'}); nothing was mounted there`,
            at(containersPath.join('.')),
          ),
        );
        continue;
      }
      containers.items.push(containerEntry(name));
      results.push(
        info(
          `added container entry ${name} with the cert mount; the operator merges it into its own container`,
          at(containersPath.join('.')),
        ),
      );
    }
    const container = (found?.node ?? containers.items[containers.items.length - 1]) as YAMLMap;
    if (!isMap(container)) continue;
    const mounts = ensureSeq(container, 'volumeMounts');
    const index = found?.index ?? containers.items.length - 1;
    if (!mounts) {
      results.push(conflict(item, [...containersPath, String(index), 'volumeMounts'], 'list'));
      continue;
    }
    results.push(...addNamedEntry(mounts, mount, item, [...containersPath, index, 'volumeMounts']));
  }
  return results;
}

function containerEntry(name: string): YAMLMap {
  const container = new YAMLMap();
  container.set('name', name);
  return container;
}
