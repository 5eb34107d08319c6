/**
 * The one model of the scrape path (domain.md section 0) every function decides from: which scraper loads a
 * monitor, which pods and container ports an endpoint reaches, whether their sidecar captures the port, the
 * effective mTLS mode there, and so what the scraper must send. Built once per run from the list, indexed by
 * namespace and label so building and querying it grow linearly with the list.
 */
import * as z from 'zod';
import type { Item, Json } from '../krm/index.js';
import { AuthorizationPolicies, type AuthorizationVerdict, principalOf } from './authorization.js';
import { Inventory } from './inventory.js';
import { isPrometheusServer } from './kinds.js';
import { namespaceMembership } from './mesh.js';
import { type MtlsDecision, type MtlsMode, PeerAuthentications } from './peer-authentication.js';
import type { PodSource } from './pod-sources.js';
import { type Loading, loadsMonitor, type Scraper, scraperOf } from './scrapers.js';
import { type Capture, captureOf } from './sidecar-capture.js';

/** `meshMtls`, shared by every function: the mesh-wide mode assumed when the list shows no mesh-wide policy. */
export const meshMtlsField = z
  .enum(['STRICT', 'PERMISSIVE', 'DISABLE'])
  .default('STRICT')
  .describe('mesh-wide mTLS mode assumed when the list has no mesh-wide PeerAuthentication');

/** `rootNamespace`: Istio's root namespace, where a policy without selector is mesh-wide. */
export const rootNamespaceField = z
  .string()
  .min(1)
  .default('istio-system')
  .describe("Istio's root namespace (mesh-wide policies live there)");

/** `trustDomain`: Istio's trust domain, the first part of every principal. */
export const trustDomainField = z
  .string()
  .min(1)
  .default('cluster.local')
  .describe("Istio's trust domain (principals are <trustDomain>/ns/<namespace>/sa/<service account>)");

/** The model's options, from the shared config fields. */
export interface ScrapeModelOptions {
  meshMtls: MtlsMode;
  rootNamespace: string;
  /** Istio's trust domain, for principals (`cluster.local` unless said). */
  trustDomain?: string;
  /** Leave out the port exceptions this function made (see `PeerAuthentications`). */
  ignoreExceptionsBy?: string;
  /** What-if: evaluate as if these namespaces (or all) were switched to STRICT (see `PeerAuthentications`). */
  assumeStrict?: readonly string[] | 'all';
}

/** One target of an endpoint: a set of pods and the container port the scrape reaches there. */
export interface TargetPort {
  pods: PodSource;
  /** Undefined when the endpoint names a port these pods do not declare. */
  containerPort: number | undefined;
  capture: Capture;
  /** The effective mode at that port; only for captured ports. */
  mtls: MtlsDecision | undefined;
  /** The pods are a scraper that loads this monitor (or the only candidate): a replica reaches itself directly. */
  selfScrape: boolean;
  /** The app serves TLS itself on that port (a port named https*, or a container started with a TLS flag). */
  appTls: boolean;
}

/** What the scraper must send on an endpoint, with the reason a result can quote. */
export type Requirement =
  | { send: 'istio-mtls'; reason: string; mtls: MtlsDecision }
  | { send: 'plain'; reason: string; mtls?: MtlsDecision }
  | { send: 'app'; reason: string }
  | { send: 'self'; reason: string; scraper: Scraper; meshInbound: boolean; strict: boolean }
  | { send: 'ambient'; reason: string }
  | { send: 'mixed'; reason: string }
  | { send: 'unknown'; reason: string };

/** The scrape-path model of one list. */
export class ScrapeModel {
  readonly inventory: Inventory;
  readonly scrapers: readonly Scraper[];
  readonly policies: PeerAuthentications;
  readonly authorization: AuthorizationPolicies;
  /** Set once a decision rested on `meshMtls`; functions then say so in one result. */
  assumptionUsed = false;

  constructor(
    items: readonly Item[],
    readonly options: ScrapeModelOptions,
  ) {
    this.inventory = new Inventory(items);
    this.scrapers = this.inventory.prometheusServers.map(scraperOf);
    this.policies = new PeerAuthentications(
      items.filter((i) => i.kind === 'PeerAuthentication' && i.group === 'security.istio.io'),
      options.rootNamespace,
      options.meshMtls,
      options.ignoreExceptionsBy,
      options.assumeStrict,
    );
    this.authorization = new AuthorizationPolicies(
      items.filter((i) => i.kind === 'AuthorizationPolicy' && i.group === 'security.istio.io'),
      options.rootNamespace,
    );
  }

  /**
   * Whether the AuthorizationPolicies let a scraper's request reach a target port. Over Istio mTLS the request
   * carries the scraper's principal; in plain text (a PERMISSIVE port) it carries none, so a rule naming
   * principals or namespaces does not match it. Uncaptured ports are not subject to them.
   */
  admits(scraper: Scraper, target: TargetPort, mtls: boolean): AuthorizationVerdict | undefined {
    if (target.capture.state !== 'captured' || target.containerPort === undefined) return undefined;
    const caller = mtls
      ? {
          principal: principalOf(
            this.options.trustDomain ?? 'cluster.local',
            scraper.namespace,
            scraper.serviceAccount,
          ),
          namespace: scraper.namespace,
        }
      : { principal: '', namespace: '' };
    return this.authorization.verdict(
      target.pods.namespace,
      target.pods.labels,
      target.containerPort,
      caller,
    );
  }

  /** The scrapers that load a monitor (loads true or unknown), with the reason. */
  scrapersOf(monitor: Item): { scraper: Scraper; loading: Loading }[] {
    return this.scrapers.flatMap((scraper) => {
      const loading = loadsMonitor(this.inventory, scraper, monitor);
      return loading.loads === false ? [] : [{ scraper, loading }];
    });
  }

  /** Why no scraper of the list loads a monitor, or undefined when one does (or the list has none). */
  whyNotLoaded(monitor: Item): string | undefined {
    if (this.scrapers.length === 0) return undefined;
    const loadings = this.scrapers.map((s) => loadsMonitor(this.inventory, s, monitor));
    if (loadings.some((l) => l.loads !== false)) return undefined;
    return loadings.map((l) => l.reason).join('; ');
  }

  /** The mode at a captured port, noting when the assumption decided it. */
  private modeAt(pods: PodSource, port: number | undefined): MtlsDecision {
    const decision = this.policies.modeAt(pods.namespace, pods.labels, port);
    if (decision.assumed) this.assumptionUsed = true;
    return decision;
  }

  /** A target port, with capture and mode worked out. */
  targetPort(pods: PodSource, containerPort: number | undefined, loaders: readonly Scraper[]): TargetPort {
    const capture = captureOf(this.inventory, pods, containerPort);
    const selfScrape =
      isPrometheusServer(pods.item) && (loaders.length === 0 || loaders.some((s) => s.item === pods.item));
    return {
      pods,
      containerPort,
      capture,
      mtls: capture.state === 'captured' ? this.modeAt(pods, containerPort) : undefined,
      selfScrape,
      appTls: containerPort !== undefined && pods.ports.tls.has(containerPort),
    };
  }

  /** What must be sent to one target port. */
  requirementAt(target: TargetPort): Requirement {
    const where = `port ${target.containerPort ?? '(undeclared)'} of ${target.pods.item.kind}/${target.pods.namespace}/${target.pods.item.name}`;
    if (target.selfScrape) {
      const scraper = this.scrapers.find((s) => s.item === target.pods.item) ?? scraperOf(target.pods.item);
      const strict = target.mtls?.mode === 'STRICT';
      return {
        send: 'self',
        scraper,
        meshInbound: target.capture.state === 'captured',
        strict,
        reason: `${where} is the scraper's own: each replica reaches itself directly, in plain text`,
      };
    }
    if (target.capture.state === 'unknown') return { send: 'unknown', reason: target.capture.reason };
    if (target.capture.state === 'ambient') return { send: 'ambient', reason: target.capture.reason };
    if (target.capture.state === 'not-captured')
      return { send: 'app', reason: `${where} is not captured by a sidecar (${target.capture.reason})` };
    const mtls = target.mtls as MtlsDecision;
    if (mtls.mode === 'STRICT')
      return { send: 'istio-mtls', mtls, reason: `${where} is STRICT per ${mtls.source}` };
    return {
      send: 'plain',
      mtls,
      reason: `${where} is ${mtls.mode} per ${mtls.source}: Prometheus cannot send Istio's mTLS variant there, so plain http`,
    };
  }

  /** What must be sent where the list shows no pods: the namespaces' injection labels and policies decide. */
  requirementInNamespaces(namespaces: readonly string[] | 'any'): Requirement {
    if (namespaces === 'any')
      return { send: 'unknown', reason: 'the monitor selects targets in any namespace' };
    const requirements = namespaces.map((ns): Requirement => {
      const membership = namespaceMembership(this.inventory, ns);
      if (membership.state === 'unknown') return { send: 'unknown', reason: membership.reason };
      if (membership.state === 'ambient') return { send: 'ambient', reason: membership.reason };
      if (membership.state !== 'mesh')
        return { send: 'app', reason: `targets are outside the mesh (${membership.reason})` };
      const mtls = this.policies.namespaceMode(ns);
      if (mtls.assumed) this.assumptionUsed = true;
      if (mtls.mode === 'STRICT')
        return { send: 'istio-mtls', mtls, reason: `namespace ${ns} is STRICT per ${mtls.source}` };
      return {
        send: 'plain',
        mtls,
        reason: `namespace ${ns} is ${mtls.mode} per ${mtls.source}: plain http`,
      };
    });
    return combineRequirements(requirements);
  }
}

/** The targets whose port is known, captured and STRICT: the ones an own-TLS or caller fix is for. */
export function strictCaptured<T extends TargetPort>(targets: readonly T[]): T[] {
  return targets.filter(
    (t) => t.capture.state === 'captured' && t.mtls?.mode === 'STRICT' && t.containerPort !== undefined,
  );
}

/** One requirement for several targets: theirs when they agree, else `mixed` (or the known one when others are unknown). */
export function combineRequirements(requirements: readonly Requirement[]): Requirement {
  if (requirements.length === 0) return { send: 'unknown', reason: 'no targets' };
  const known = requirements.filter((r) => r.send !== 'unknown');
  const kinds = new Set(known.map((r) => r.send));
  if (known.length === 0) return requirements[0] as Requirement;
  if (kinds.size === 1) {
    const reasons = [...new Set(known.map((r) => r.reason))];
    return { ...(known[0] as Requirement), reason: reasons.join('; ') } as Requirement;
  }
  return { send: 'mixed', reason: [...new Set(known.map((r) => `${r.send}: ${r.reason}`))].join('; ') };
}

/** A ServiceMonitor or PodMonitor endpoint has TLS settings of its own (an empty `tlsConfig: {}` says nothing). */
export function endpointHasTls(endpoint: { [key: string]: Json }): boolean {
  const tls = endpoint.tlsConfig;
  const hasTls =
    typeof tls === 'object' && tls !== null && !Array.isArray(tls) && Object.keys(tls).length > 0;
  return endpoint.scheme === 'https' || hasTls;
}
