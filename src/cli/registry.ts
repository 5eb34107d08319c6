/** Every function the executable offers. */

import { fixPodMonitors } from '../../functions/fix-pod-monitors/index.js';
import { generateMeshPolicies } from '../../functions/generate-mesh-policies/index.js';
import { mountIstioCerts } from '../../functions/mount-istio-certs/index.js';
import { relocateNamespace } from '../../functions/relocate-namespace/index.js';
import { setMonitorTls } from '../../functions/set-monitor-tls/index.js';
import { setSidecarOptions } from '../../functions/set-sidecar-options/index.js';
import { validateMeshMetrics } from '../../functions/validate-mesh-metrics/index.js';
import type { KrmFunction } from '../krm/index.js';

/** All functions, in the order `--help` lists them. */
export const functions: readonly KrmFunction[] = [
  setMonitorTls,
  mountIstioCerts,
  fixPodMonitors,
  setSidecarOptions,
  relocateNamespace,
  generateMeshPolicies,
  validateMeshMetrics,
] as unknown as readonly KrmFunction[];

/** A function by command-line name. */
export const byName = (name: string): KrmFunction | undefined => functions.find((f) => f.name === name);

/** A function by config kind. */
export const byKind = (kind: string): KrmFunction | undefined => functions.find((f) => f.kind === kind);

/**
 * The order the functions run in a pipeline: `relocate-namespace` first (the others read namespaces);
 * `mount-istio-certs` decides what the others read; sidecar options come after it (the recipe it writes wins over
 * them) and before the functions that read capture lists. `generate-mesh-policies` comes last: its
 * AuthorizationPolicies allow by principal or by port from the final mode at each port, so it must see the port
 * exceptions the others make (fix-pod-monitors, set-monitor-tls, mount-istio-certs' self-scrape) and the monitors
 * as they end up; the others decide on `meshMtls` where the list has no policy, which its default STRICT matches.
 * The validator runs after all, on what the others wrote.
 */
export const pipelineOrder: readonly string[] = [
  'relocate-namespace',
  'mount-istio-certs',
  'set-sidecar-options',
  'fix-pod-monitors',
  'set-monitor-tls',
  'generate-mesh-policies',
  'validate-mesh-metrics',
];
