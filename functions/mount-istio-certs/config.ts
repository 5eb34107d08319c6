/** Config of mount-istio-certs (kind MountIstioCerts). */
import * as z from 'zod';
import {
  certDirField,
  inboundModes,
  scrapeClassField,
  unknownTargetsField,
} from '../../src/domain/istio-certs.js';
import { meshMtlsField, rootNamespaceField } from '../../src/domain/scrape-path.js';
import { selectionFields } from '../../src/domain/selection.js';

/** A plain workload that scrapes (a self-managed Prometheus, the ama-metrics collector). */
export const workloadSchema = z.strictObject({
  kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet']),
  name: z.string().min(1),
  namespace: z.string().optional(),
  containers: z.array(z.string().min(1)).min(1).describe('containers that read the cert files'),
});

/** Config fields of MountIstioCerts; unknown fields are errors. */
export const mountIstioCertsSchema = z.strictObject({
  certDir: certDirField,
  inbound: z
    .enum(inboundModes)
    .default('mesh')
    .describe(
      "mesh keeps inbound capture on Prometheus' pod; bypass takes its ports out of the mesh (Istio's doc)",
    ),
  containers: z
    .array(z.string().min(1))
    .default([])
    .describe('other containers of the Prometheus pod that need the mount, e.g. thanos-sidecar'),
  workloads: z
    .array(workloadSchema)
    .default([])
    .describe('plain Deployments / StatefulSets / DaemonSets that scrape'),
  scrapeClass: scrapeClassField
    .optional()
    .describe('add a scrape class carrying the cert files: {name, default}'),
  unknownTargets: unknownTargetsField,
  meshMtls: meshMtlsField,
  rootNamespace: rootNamespaceField,
  clusterDomain: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a DNS domain')
    .default('cluster.local')
    .describe(
      'the cluster DNS domain in generated DestinationRule hosts (<service>.<namespace>.svc.<clusterDomain>)',
    ),
  ...selectionFields,
});

/** Validated mount-istio-certs config. */
export type MountIstioCertsConfig = z.output<typeof mountIstioCertsSchema>;
