/**
 * Which of the config's `containers` a Prometheus or PrometheusAgent gets the mount in. Only containers the pod will
 * have: the operator's own (an entry in `spec.containers` is merged into it) or one the user already added there.
 * Any other entry would be appended by the operator as a new container with no image, which breaks the pod.
 */
import { isMap, type YAMLMap } from 'yaml';
import { canonicalJson } from '../../src/domain/canonical-json.js';
import { certMount } from '../../src/domain/istio-certs.js';
import { operatorContainer, operatorContainerNames } from '../../src/domain/operator-containers.js';
import {
  error,
  fieldPath,
  findByKey,
  type Item,
  info,
  mapAt,
  plain,
  type Result,
  seqAt,
  warning,
} from '../../src/krm/index.js';

/** An entry as an earlier run of this function added it: the name and the cert mount, nothing else. */
function isBareCertEntry(node: YAMLMap, certDir: string): boolean {
  const entry = plain(node) as Record<string, unknown>;
  return canonicalJson(entry) === canonicalJson({ name: entry.name, volumeMounts: [certMount(certDir)] });
}

/** The names to mount into, with a result for each name left out (and for an earlier run's entry removed). */
export function serverContainers(
  server: Item,
  wanted: readonly string[],
  certDir: string,
): { names: string[]; results: Result[] } {
  const names: string[] = [];
  const results: Result[] = [];
  const containers = seqAt(server.node, ['spec', 'containers']);
  const at = (path: string) => ({ ref: server.ref, file: server.file, path });
  for (const [index, name] of wanted.entries()) {
    const known = operatorContainer(server, name);
    const found = containers ? findByKey(containers, 'name', name) : undefined;
    if (known.state === 'main') {
      results.push(
        info(
          `config containers[${index}] names prometheus, which gets the mount from spec.volumeMounts: no spec.containers entry needed`,
          at('spec.volumeMounts'),
        ),
      );
      continue;
    }
    if (known.state === 'created') {
      names.push(name);
      continue;
    }
    const hasImage = found !== undefined && found.node.get('image') !== undefined;
    if (hasImage) {
      // A container of the user's own (its image set): the pod has it, so it can read the files.
      names.push(name);
      continue;
    }
    if (known.state === 'absent') {
      if (found && containers && isMap(found.node) && isBareCertEntry(found.node, certDir)) {
        containers.items.splice(found.index, 1);
        if (containers.items.length === 0) mapAt(server.node, ['spec'])?.delete('containers');
        results.push(
          info(
            `removed the ${name} entry an earlier run added: ${known.reason}, so it would be a new container without an image`,
            at(fieldPath(['spec', 'containers', found.index])),
          ),
        );
      } else if (found) {
        results.push(
          warning(
            `spec.containers has a ${name} entry without an image, but ${known.reason}: the operator appends it as a new container, which cannot start; set spec.thanos or remove the entry`,
            at(fieldPath(['spec', 'containers', found.index])),
          ),
        );
      } else {
        results.push(
          warning(
            `config containers[${index}] names ${name}, skipped here: ${known.reason}`,
            at('spec.containers'),
          ),
        );
      }
      continue;
    }
    results.push(
      error(
        `config containers[${index}] names ${name}, which is neither a container prometheus-operator creates for this ${server.kind} (${operatorContainerNames(server).join(', ')}) nor one with an image in spec.containers: an entry would become a new container without an image; fix the config, nothing was mounted there`,
        at('spec.containers'),
      ),
    );
  }
  return { names, results };
}
