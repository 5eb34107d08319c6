/** Config of validate-mesh-metrics (kind ValidateMeshMetrics). */
import * as z from 'zod';
import { meshMtlsField, rootNamespaceField, trustDomainField } from '../../src/domain/scrape-path.js';
import { codes } from './codes.js';

const codeNames = Object.keys(codes) as [keyof typeof codes, ...(keyof typeof codes)[]];

/** Config fields of ValidateMeshMetrics; unknown fields are errors. */
export const validateMeshMetricsSchema = z.strictObject({
  failOn: z
    .enum(['error', 'warning'])
    .default('error')
    .describe('exit 1 on errors only (error), or on warnings too (warning)'),
  assumeStrict: z
    .union([z.literal('all'), z.array(z.string().min(1))])
    .optional()
    .describe(
      'what-if: evaluate as if these namespaces (or all) were STRICT, and report what would break then',
    ),
  skip: z.array(z.enum(codeNames)).default([]).describe('codes not to report, e.g. [IST0102]'),
  meshMtls: meshMtlsField,
  rootNamespace: rootNamespaceField,
  trustDomain: trustDomainField,
});

/** Validated validate-mesh-metrics config. */
export type ValidateMeshMetricsConfig = z.output<typeof validateMeshMetricsSchema>;
