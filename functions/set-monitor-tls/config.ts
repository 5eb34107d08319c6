/** Config of set-monitor-tls (kind SetMonitorTLS). */
import * as z from 'zod';
import { certDirField, unknownTargetsField } from '../../src/domain/istio-certs.js';
import { istioPlainPortNames, istioPlainPorts } from '../../src/domain/pod-monitor-targets.js';
import { meshMtlsField, rootNamespaceField, trustDomainField } from '../../src/domain/scrape-path.js';
import { selectionFields } from '../../src/domain/selection.js';

/** Config fields of SetMonitorTLS; unknown fields are errors. */
export const setMonitorTlsSchema = z.strictObject({
  certDir: certDirField,
  overwrite: z
    .boolean()
    .default(false)
    .describe('replace TLS settings an endpoint already has (e.g. its own CA)'),
  plainPorts: z
    .array(z.number().int().min(1).max(65535))
    .default([...istioPlainPorts])
    .describe('port numbers that stay plain http (Istio never intercepts them)'),
  plainPortNames: z
    .array(z.string())
    .default([...istioPlainPortNames])
    .describe('port names that stay plain http'),
  skipMonitors: z.array(z.string()).default([]).describe('monitors to leave alone: name or namespace/name'),
  unknownTargets: unknownTargetsField,
  inbound: z
    .enum(['auto', 'mesh', 'bypass'])
    .default('auto')
    .describe("how Prometheus' own pod takes inbound traffic: auto reads the Prometheus in the list"),
  ownTls: z
    .enum(['report', 'exclude-port', 'permissive-port'])
    .default('report')
    .describe(
      'endpoints with their own TLS and API-server callers behind a STRICT sidecar: report the fixes, exclude the port from inbound capture on the target workload, or a port-level PERMISSIVE exception for it',
    ),
  meshMtls: meshMtlsField,
  rootNamespace: rootNamespaceField,
  trustDomain: trustDomainField,
  ...selectionFields,
});

/** Validated set-monitor-tls config. */
export type SetMonitorTlsConfig = z.output<typeof setMonitorTlsSchema>;
