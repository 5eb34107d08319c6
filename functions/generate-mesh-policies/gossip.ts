/**
 * Alertmanager cluster gossip (9094, TCP and UDP) does not survive the sidecar (domain.md section 0, step 10;
 * prometheus-community/helm-charts#190, #145): an Alertmanager of two or more replicas in a namespace the run writes
 * policies for, whose sidecar captures 9094, loses its cluster (each replica then alerts on its own, notifications
 * are duplicated, silences are not shared). That holds with or without authorization: the authorization code adds
 * that its ALLOW policy denies the gossip too, and this run does not repeat an Alertmanager it already named.
 */
import { isAlertmanager } from '../../src/domain/kinds.js';
import type { PodSource } from '../../src/domain/pod-sources.js';
import type { ScrapeModel } from '../../src/domain/scrape-path.js';
import { asObject, type Result, warning } from '../../src/krm/index.js';

/** The replica count of an Alertmanager whose captured 9094 breaks its gossip, or undefined when it does not. */
export function brokenGossip(model: ScrapeModel, pods: PodSource): number | undefined {
  if (!isAlertmanager(pods.item)) return undefined;
  const replicas = asObject(pods.item.data.spec)?.replicas;
  if (typeof replicas !== 'number' || replicas < 2) return undefined;
  return model.targetPort(pods, 9094, []).capture.state === 'captured' ? replicas : undefined;
}

/** What the fix is, shared by every gossip warning. */
export const gossipFix =
  'exclude 9094 from inbound and outbound capture (set-sidecar-options preset alertmanager-cluster)';

/** A warning per Alertmanager of `namespaces` whose gossip the sidecar breaks, unless `already` names it. */
export function gossipWarnings(
  model: ScrapeModel,
  namespaces: ReadonlySet<string>,
  already: readonly Result[],
): Result[] {
  const results: Result[] = [];
  for (const namespace of [...namespaces].sort())
    for (const pods of model.inventory.podSourcesIn(namespace)) {
      const replicas = brokenGossip(model, pods);
      if (replicas === undefined) continue;
      const what = pods.item.describe();
      if (already.some((r) => r.message.startsWith(`${what} runs `) && r.message.includes('9094'))) continue;
      results.push(
        warning(
          `${what} runs ${replicas} replicas whose cluster gossip on port 9094 goes through their sidecars: it does not survive the sidecar (the replicas lose their cluster: duplicate notifications, silences not shared), whatever the generated policies say; ${gossipFix}`,
          { ref: pods.item.ref, file: pods.item.file, path: 'spec.replicas' },
        ),
      );
    }
  return results;
}
