/**
 * Whether a target pod's sidecar captures an inbound port (domain.md section 0, step 3): only injected pods
 * (not hostNetwork, not ambient) capture, a port in `traffic.sidecar.istio.io/excludeInboundPorts` or outside a
 * non-`*` `includeInboundPorts` is not captured, and Istio's own ports never are. An uncaptured port serves what the
 * app serves, whatever PeerAuthentication says.
 */
import type { Inventory } from './inventory.js';
import { podMembership } from './mesh.js';
import type { PodSource } from './pod-sources.js';

/** Ports the injection template never redirects: Envoy's stats, the agent's status / merged metrics, health. */
export const istioOwnPorts: readonly number[] = [15090, 15020, 15021];

const includeKey = 'traffic.sidecar.istio.io/includeInboundPorts';
const excludeKey = 'traffic.sidecar.istio.io/excludeInboundPorts';

/** A capture verdict with the reason a result can quote. */
export interface Capture {
  state: 'captured' | 'not-captured' | 'ambient' | 'unknown';
  reason: string;
}

const portList = (value: string): string[] =>
  value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');

/** Why the pods' own capture lists (or Istio) leave `port` out, or undefined when they take it in. */
export function leftOut(pods: PodSource, port: number | undefined): string | undefined {
  const what = `${pods.item.kind}/${pods.namespace}/${pods.item.name}`;
  if (port !== undefined && istioOwnPorts.includes(port))
    return `port ${port} is Istio's own and never captured`;
  const exclude = pods.annotations[excludeKey];
  if (port !== undefined && exclude !== undefined && portList(exclude).includes(String(port)))
    return `${what} lists port ${port} in ${excludeKey}`;
  const include = pods.annotations[includeKey];
  if (include !== undefined && include.trim() !== '*') {
    const listed = portList(include);
    if (listed.length === 0) return `${what} sets ${includeKey}: "" (no inbound capture)`;
    if (port !== undefined && !listed.includes('*') && !listed.includes(String(port)))
      return `${what} leaves port ${port} out of ${includeKey}`;
  }
  return undefined;
}

/** Capture of one container port (undefined when the port could not be resolved to a number). */
export function captureOf(inventory: Inventory, pods: PodSource, port: number | undefined): Capture {
  const membership = podMembership(inventory, pods);
  if (membership.state === 'ambient') return { state: 'ambient', reason: membership.reason };
  if (membership.state !== 'mesh' && membership.state !== 'unknown')
    return { state: 'not-captured', reason: membership.reason };
  // Whether or not the pods get a sidecar, a port their capture lists leave out reaches the app directly.
  const excluded = leftOut(pods, port);
  if (excluded !== undefined) return { state: 'not-captured', reason: excluded };
  if (membership.state === 'unknown') return { state: 'unknown', reason: membership.reason };
  return { state: 'captured', reason: membership.reason };
}
