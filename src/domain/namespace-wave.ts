/**
 * A Namespace the user wrote is wave 0 unless annotated, and Argo CD applies the generated mesh policies (wave -1,
 * src/domain/sync-wave.ts) first: on a fresh cluster their namespace does not exist yet, the apply fails with
 * `namespaces "NS" not found` and the sync stops there. So after a function generated its resources, every
 * Namespace of the list that holds one of them in a wave below 0 is put in that wave too (Argo CD orders Namespaces
 * before other kinds within a wave). One that names a later wave itself is left as written, with a warning. A
 * namespace the list does not hold is Argo CD's CreateNamespace's, or the cluster's: nothing to do.
 */
import { ensureMapPath, fieldPath, type Item, info, type Result, setScalar, warning } from '../krm/index.js';
import { generatedBy } from './generated.js';
import { isNamespace } from './kinds.js';
import { syncWaveAnnotation } from './sync-wave.js';

const wavePath = ['metadata', 'annotations', syncWaveAnnotation];

/** A sync wave as Argo CD reads it (an integer), or undefined. */
function waveNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value !== 'string' || !/^\s*[+-]?\d+\s*$/.test(value)) return undefined;
  return Number.parseInt(value, 10);
}

const describe = (item: Item, namespace: string): string => `${item.kind}/${namespace}/${item.name}`;

/**
 * Puts each listed Namespace in the earliest wave of the generated resources it holds, when it has no wave of its
 * own; returns an info for each one set and a warning for each one whose own wave comes after them.
 */
export function alignNamespaceWaves(items: readonly Item[]): Result[] {
  // The earliest generated resource per namespace, the first in the list on a tie.
  const earliest = new Map<string, { wave: number; item: Item }>();
  for (const item of items) {
    if (isNamespace(item) || generatedBy(item) === undefined) continue;
    const namespace = item.readNow(['metadata', 'namespace']);
    const wave = waveNumber(item.readNow(wavePath));
    if (typeof namespace !== 'string' || namespace === '' || wave === undefined || wave >= 0) continue;
    const known = earliest.get(namespace);
    if (!known || wave < known.wave) earliest.set(namespace, { wave, item });
  }
  const results: Result[] = [];
  for (const ns of items) {
    if (!isNamespace(ns)) continue;
    const first = earliest.get(ns.name);
    if (!first) continue;
    const generated = describe(first.item, ns.name);
    const at = { ref: ns.ref, file: ns.file, path: fieldPath(wavePath) };
    const own = ns.readNow(wavePath);
    if (own === undefined || own === null) {
      const annotations = ensureMapPath(ns.node, ['metadata', 'annotations']);
      if (!annotations) {
        results.push(
          warning(
            `metadata.annotations is not a mapping, so the sync wave ${first.wave} the generated ${generated} needs could not be set: Argo CD applies wave ${first.wave} first, and it cannot be created before its Namespace`,
            at,
          ),
        );
        continue;
      }
      setScalar(annotations, syncWaveAnnotation, String(first.wave));
      results.push(
        info(
          `set sync wave ${first.wave}: Argo CD applies wave ${first.wave} first, and the generated ${generated} cannot be created before its Namespace`,
          at,
        ),
      );
      continue;
    }
    const wave = waveNumber(own);
    if (wave !== undefined && wave <= first.wave) continue;
    results.push(
      warning(
        `sync wave ${JSON.stringify(own)} comes after the generated ${generated} (wave ${first.wave}): on a fresh cluster Argo CD applies it first and it fails with namespaces "${ns.name}" not found; set ${syncWaveAnnotation}: "${first.wave}" (or lower) on this Namespace`,
        at,
      ),
    );
  }
  return results;
}
