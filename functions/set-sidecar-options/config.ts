/** Config of set-sidecar-options (kind SetSidecarOptions). */
import * as z from 'zod';
import { selectionFields } from '../../src/domain/selection.js';
import { cidrListField, portListField, quantityField } from '../../src/domain/sidecar-values.js';
import { presetNames } from './presets.js';

const stringMap = z.record(z.string().min(1), z.string());

/** Config fields of SetSidecarOptions; unknown fields are errors, and every option is optional. */
export const setSidecarOptionsSchema = z.strictObject({
  inject: z.boolean().optional().describe('sidecar injection on (true) or off (false) for the selected pods'),
  injectAs: z
    .enum(['label', 'annotation'])
    .default('label')
    .describe('write inject as the sidecar.istio.io/inject label (current) or the deprecated annotation'),
  excludeOutboundIPRanges: cidrListField(false)
    .optional()
    .describe('CIDRs whose outbound traffic bypasses the sidecar'),
  includeOutboundIPRanges: cidrListField(true)
    .optional()
    .describe('CIDRs whose outbound traffic goes through the sidecar (* for all)'),
  excludeInboundPorts: portListField.optional().describe('container ports left out of inbound capture'),
  excludeOutboundPorts: portListField.optional().describe('destination ports left out of outbound capture'),
  proxyCPU: quantityField.optional().describe('sidecar CPU request, e.g. 100m'),
  proxyMemory: quantityField.optional().describe('sidecar memory request, e.g. 128Mi'),
  proxyCPULimit: quantityField.optional().describe('sidecar CPU limit'),
  proxyMemoryLimit: quantityField.optional().describe('sidecar memory limit'),
  proxyConfig: z
    .record(z.string().min(1), z.json())
    .optional()
    .describe('ProxyConfig fields merged into the proxy.istio.io/config annotation'),
  labels: stringMap.optional().describe('extra pod labels, e.g. {version: v1}'),
  annotations: stringMap.optional().describe('extra pod annotations, merged like the options above'),
  preset: z
    .array(z.enum(presetNames))
    .default([])
    .describe('built-in option sets: azure-imds, alertmanager-cluster, ama-metrics'),
  ...selectionFields,
});

/** Validated set-sidecar-options config. */
export type SetSidecarOptionsConfig = z.output<typeof setSidecarOptionsSchema>;
