/** Istio's cert-mount recipe (istio.io, Prometheus integration, "TLS settings") as data, and its shared settings. */
import { posix } from 'node:path';
import * as z from 'zod';
import { pathString } from '../krm/index.js';

/** Name of the memory emptyDir the sidecar writes the workload certificates into. */
export const certVolumeName = 'istio-certs';
/** Where the sidecar writes them inside its own container (the recipe's OUTPUT_CERTS). */
export const sidecarOutputDir = '/etc/istio-output-certs';

/** `certDir`: where the scraper reads the cert files. */
export const certDirField = pathString()
  .min(1)
  .regex(/^\//, 'must be an absolute path')
  .default('/etc/prom-certs/')
  .describe('directory the scraper mounts the Istio cert files at');

/** `scrapeClass`: a Prometheus scrape class that carries the cert files. */
export const scrapeClassField = z
  .strictObject({
    name: z.string().min(1).default('istio-mtls').describe('scrape class name'),
    default: z
      .boolean()
      .default(false)
      .describe('make it the default class (also hits kubelet / API-server monitors)'),
  })
  .describe('{name, default}');

/** `inbound`: whether the scraper's own pod keeps inbound capture (mesh) or takes its ports out (bypass). */
export const inboundModes = ['mesh', 'bypass'] as const;
/** The inbound mode of a Prometheus pod. */
export type InboundMode = (typeof inboundModes)[number];

/** `unknownTargets`: what to do where the list shows nothing about a target. */
export const unknownTargetsField = z
  .enum(['tls', 'skip'])
  .default('tls')
  .describe('targets the list shows nothing about: tls (treat as in the mesh) or skip');

/** The three cert file paths under a cert directory. */
export function certFiles(certDir: string): { caFile: string; certFile: string; keyFile: string } {
  return {
    caFile: posix.join(certDir, 'root-cert.pem'),
    certFile: posix.join(certDir, 'cert-chain.pem'),
    keyFile: posix.join(certDir, 'key.pem'),
  };
}

/**
 * The tlsConfig a scrape of an in-mesh target needs. insecureSkipVerify is the documented part of the recipe:
 * Prometheus cannot check Istio's SPIFFE identities against the target's host name.
 */
export function istioTlsConfig(certDir: string): Record<string, string | boolean> {
  return { ...certFiles(certDir), insecureSkipVerify: true };
}

/** True when an endpoint (a scrape or an Alertmanager endpoint) already goes https with the recipe's cert files. */
export function carriesIstioTls(endpoint: Readonly<Record<string, unknown>>, certDir: string): boolean {
  const tls = endpoint.tlsConfig as Record<string, unknown> | undefined;
  if (endpoint.scheme !== 'https' || typeof tls !== 'object' || tls === null) return false;
  return Object.entries(istioTlsConfig(certDir)).every(([key, value]) => tls[key] === value);
}

/** The memory emptyDir volume of the recipe. */
export const certVolume = { name: certVolumeName, emptyDir: { medium: 'Memory' } };

/** The mount of that volume in the scraper's container. */
export function certMount(certDir: string): { name: string; mountPath: string } {
  return { name: certVolumeName, mountPath: certDir };
}

const includeInbound = 'traffic.sidecar.istio.io/includeInboundPorts';

/** Pod annotations of the recipe; `includeInboundPorts: ""` only when the scraper bypasses inbound capture. */
export function recipeAnnotations(inbound: InboundMode): Record<string, string> {
  const annotations: Record<string, string> = {
    'traffic.sidecar.istio.io/includeOutboundIPRanges': '',
    'proxy.istio.io/config': `proxyMetadata:\n  OUTPUT_CERTS: ${sidecarOutputDir}\n`,
    'sidecar.istio.io/userVolumeMount': JSON.stringify([
      { name: certVolumeName, mountPath: sidecarOutputDir },
    ]),
  };
  if (inbound === 'bypass') annotations[includeInbound] = '';
  return annotations;
}

/** Pod labels of the recipe: the injection opt-in. */
export const recipeLabels: Readonly<Record<string, string>> = { 'sidecar.istio.io/inject': 'true' };

/** The inbound mode a Prometheus pod's annotations show. */
export function inboundModeOf(podAnnotations: Readonly<Record<string, string>>): InboundMode {
  return podAnnotations[includeInbound] === '' ? 'bypass' : 'mesh';
}
