/** Config of fix-pod-monitors (kind FixPodMonitors). */
import * as z from 'zod';
import { certDirField, scrapeClassField, unknownTargetsField } from '../../src/domain/istio-certs.js';
import { meshMtlsField, rootNamespaceField } from '../../src/domain/scrape-path.js';
import { selectionFields } from '../../src/domain/selection.js';

/** The ways out for a PodMonitor under STRICT mTLS, and a dry run. */
export const strategies = [
  'scrape-class',
  'service-monitor',
  'merge-metrics',
  'port-exception',
  'report',
] as const;
/** One strategy. */
export type Strategy = (typeof strategies)[number];

const overrideSchema = z.strictObject({
  names: z.array(z.string()).optional().describe('PodMonitor names or namespace/name'),
  labels: z.record(z.string(), z.string()).optional().describe('labels the PodMonitor must all have'),
  strategy: z.enum(strategies),
});

/** Config fields of FixPodMonitors; unknown fields are errors. */
export const fixPodMonitorsSchema = z.strictObject({
  strategy: z.enum(strategies).default('scrape-class').describe('strategy for every selected PodMonitor'),
  overrides: z
    .array(overrideSchema)
    .default([])
    .describe('per-monitor strategies: [{names, labels, strategy}], the first match wins'),
  scrapeClass: scrapeClassField.default({ name: 'istio-mtls', default: false }),
  updatePrometheus: z
    .boolean()
    .default(true)
    .describe('add the scrape class to Prometheus resources in the list that lack it (else: an error)'),
  operatorVersion: z
    .string()
    .regex(/^v?\d+\.\d+(\.\d+)?$/, 'must look like v0.75.0')
    .optional()
    .describe('prometheus-operator version, when the list does not show it'),
  certDir: certDirField,
  prometheusHonoursAnnotations: z
    .boolean()
    .default(false)
    .describe(
      'merge-metrics: the scraper reads prometheus.io annotations, so no monitor for :15020 is generated',
    ),
  sharedPorts: z
    .array(z.number().int().min(1).max(65535))
    .default([])
    .describe('port-exception: container ports that also serve other traffic (refused)'),
  unknownTargets: unknownTargetsField,
  meshMtls: meshMtlsField,
  rootNamespace: rootNamespaceField,
  ...selectionFields,
});

/** Validated fix-pod-monitors config. */
export type FixPodMonitorsConfig = z.output<typeof fixPodMonitorsSchema>;
