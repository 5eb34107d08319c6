/** Config of relocate-namespace (kind RelocateNamespace). */
import * as z from 'zod';
import { rootNamespaceField, trustDomainField } from '../../src/domain/scrape-path.js';
import { selectionFields } from '../../src/domain/selection.js';

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a namespace name (a DNS label)')
  .max(63);

/** A resource that stays in `from`. */
export const keepSchema = z.strictObject({
  kind: z.string().min(1),
  name: z.string().min(1),
});

/** Presets with built-in knowledge of a chart. */
export const presets = ['ama-metrics'] as const;

/** Config fields of RelocateNamespace; unknown fields are errors. */
export const relocateNamespaceSchema = z
  .strictObject({
    from: dnsLabel.describe('the namespace resources move out of'),
    to: dnsLabel.describe('the namespace they move into'),
    keep: z
      .array(keepSchema)
      .default([])
      .describe('resources that stay in from, by kind and name ({kind, name})'),
    createNamespace: z
      .boolean()
      .default(true)
      .describe(
        'generate a Namespace to, labelled for sidecar injection (istio-injection: enabled, or istio.io/rev with revision); false to skip',
      ),
    revision: z
      .string()
      .min(1)
      .optional()
      .describe('Istio revision: the Namespace gets istio.io/rev: <revision> instead of istio-injection'),
    subjects: z
      .enum(['moved', 'all', 'none'])
      .default('moved')
      .describe(
        'RoleBinding / ClusterRoleBinding ServiceAccount subjects in from that follow: moved (accounts that move), all, none',
      ),
    rewriteStrings: z
      // YAML 1.1 (what Kubernetes tools read) makes a bare on / off a boolean: take it as meant.
      .union([z.enum(['off', 'warn', 'on']), z.boolean().transform((b) => (b ? 'on' : 'off'))])
      .default('warn')
      .describe(
        'env values and args naming from or a moved Service (<svc>.<from>.svc): on rewrites them, warn reports each, off leaves them',
      ),
    clusterScopedKinds: z
      .array(z.string().min(1))
      .default([])
      .describe('custom kinds (Kind or Kind.group) known to be cluster-scoped, when no CRD in the list says'),
    namespacedKinds: z
      .array(z.string().min(1))
      .default([])
      .describe('custom kinds (Kind or Kind.group) known to be namespaced, when no CRD in the list says'),
    compiledServiceNames: z
      .array(z.string().min(1))
      .default([])
      .describe('Services whose DNS name is compiled into an image: moving one is an error'),
    preset: z.enum(presets).optional().describe('built-in knowledge of a chart: ama-metrics'),
    amaMetrics: z
      .strictObject({
        allocatorTraffic: z
          .enum(['https', 'plain-http'])
          .default('https')
          .describe(
            "with preset ama-metrics: https (the chart's, which cannot cross namespaces: an error) or plain-http (collector -> kept target allocator over HTTP, with a warning on what that costs)",
          ),
      })
      .default({ allocatorTraffic: 'https' })
      .describe('with preset ama-metrics: how the moved collector reaches the target allocator kept in from'),
    trustDomain: trustDomainField,
    clusterDomain: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a DNS domain')
      .default('cluster.local')
      .describe('the cluster DNS domain in Service host names (<svc>.<namespace>.svc.<clusterDomain>)'),
    rootNamespace: rootNamespaceField,
    ...selectionFields,
  })
  .refine((config) => config.from !== config.to, { message: 'from and to must differ', path: ['to'] })
  .refine((config) => config.preset === 'ama-metrics' || config.amaMetrics.allocatorTraffic === 'https', {
    message: 'amaMetrics.allocatorTraffic applies to preset: ama-metrics only',
    path: ['amaMetrics', 'allocatorTraffic'],
  });

/** Validated relocate-namespace config. */
export type RelocateNamespaceConfig = z.output<typeof relocateNamespaceSchema>;
