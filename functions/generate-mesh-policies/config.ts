/** Config of generate-mesh-policies (kind GenerateMeshPolicies). */
import * as z from 'zod';
import { meshMtlsField, rootNamespaceField, trustDomainField } from '../../src/domain/scrape-path.js';
import { selectorSchema } from '../../src/domain/selection.js';
import { hostProblem, objectNameProblem } from './hosts.js';

const port = z.number().int().min(1).max(65535);
const name = z.string().min(1);
const problem = (why: (v: string) => string | undefined) =>
  z.string().superRefine((value, ctx) => {
    const message = why(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  });
const egressHost = problem(hostProblem);
const objectName = problem(objectNameProblem);

/** One external endpoint the workloads of a namespace call. */
const egressSchema = z
  .strictObject({
    namespace: name.describe('the namespace whose workloads make the calls (the ServiceEntry goes there)'),
    preset: z
      .enum(['azure-monitor'])
      .optional()
      .describe(
        'azure-monitor: *.monitor.azure.com and *.ingest.monitor.azure.com on 443, the app speaks TLS',
      ),
    name: objectName.optional().describe('ServiceEntry name (default: from the preset or the first host)'),
    hosts: z
      .array(egressHost)
      .default([])
      .describe('lowercase DNS host names, no scheme, port or IP address; *.example.com for a wildcard'),
    port: port
      .optional()
      .describe('the port the app calls (default 443, or 80 with tls: originate; required with tls: none)'),
    tls: z
      .enum(['app', 'originate', 'none'])
      .default('app')
      .describe(
        'app: the application speaks TLS itself (protocol TLS, no DestinationRule); originate: the app sends plain HTTP and the sidecar originates TLS (DestinationRule SIMPLE); none: plain TCP/HTTP',
      ),
    targetPort: port
      .optional()
      .describe('with tls: originate only, the port the sidecar sends TLS to (default 443)'),
  })
  .superRefine((entry, ctx) => {
    // tls: none is plain traffic, which has no default port: 443 (the old default) is https, which HTTP breaks.
    if (entry.tls === 'none' && entry.port === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['port'],
        message:
          'tls: none needs the port the app calls in plain text (80 for http); 443 would be https, which protocol HTTP breaks',
      });
    if (entry.targetPort !== undefined && entry.tls !== 'originate')
      ctx.addIssue({
        code: 'custom',
        path: ['targetPort'],
        message: `targetPort applies only with tls: originate (the port the sidecar sends TLS to); with tls: ${entry.tls} the app's port is port: remove targetPort or set tls: originate`,
      });
  })
  .describe('{namespace, preset | hosts, port, tls}');

/** A port-level exception asked for by hand. */
const exceptionSchema = z.strictObject({
  namespace: name,
  name: name.describe('the workload (Deployment, StatefulSet, DaemonSet, ...) whose pods get the exception'),
  kind: name.optional().describe('its kind, when the name is ambiguous'),
  port: port.describe('the container port (portLevelMtls is keyed by container port)'),
  reason: z.string().optional().describe('why, quoted in the result'),
});

/** A scraper named by hand: a workload whose pods scrape (e.g. the ama-metrics collector). */
const scraperSchema = z.strictObject({
  namespace: name,
  name: name,
  kind: name.optional().describe('Prometheus, PrometheusAgent, Deployment, DaemonSet, StatefulSet, ...'),
});

const strings = z.array(z.string().min(1));
/**
 * One Istio AuthorizationPolicy `Rule` (security.istio.io/v1, the CRD's `spec.rules` items: from[].source,
 * to[].operation, when[]), checked field by field so a wrong one is a config error naming the field, not a policy
 * the API server rejects: every list is of strings (ports too, `"9090"`), `when` needs its `key`.
 */
const companionRuleSchema = z
  .strictObject({
    from: z
      .array(
        z.strictObject({
          source: z.strictObject({
            principals: strings.optional(),
            notPrincipals: strings.optional(),
            requestPrincipals: strings.optional(),
            notRequestPrincipals: strings.optional(),
            namespaces: strings.optional(),
            notNamespaces: strings.optional(),
            serviceAccounts: strings.max(16).optional(),
            notServiceAccounts: strings.max(16).optional(),
            trustDomains: strings.optional(),
            notTrustDomains: strings.optional(),
            ipBlocks: strings.optional(),
            notIpBlocks: strings.optional(),
            remoteIpBlocks: strings.optional(),
            notRemoteIpBlocks: strings.optional(),
          }),
        }),
      )
      .max(512)
      .optional(),
    to: z
      .array(
        z.strictObject({
          operation: z.strictObject({
            hosts: strings.optional(),
            notHosts: strings.optional(),
            ports: strings.optional(),
            notPorts: strings.optional(),
            methods: strings.optional(),
            notMethods: strings.optional(),
            paths: strings.optional(),
            notPaths: strings.optional(),
          }),
        }),
      )
      .optional(),
    when: z
      .array(
        z.strictObject({ key: z.string().min(1), values: strings.optional(), notValues: strings.optional() }),
      )
      .optional(),
  })
  // An empty rule matches every request: as a companion of an ALLOW policy it would allow every caller.
  .refine((rule) => (rule.from?.length ?? 0) + (rule.to?.length ?? 0) + (rule.when?.length ?? 0) > 0, {
    message:
      'an empty rule matches every request, so the generated ALLOW policies would allow every caller: give it from, to or when',
  });

/** Config fields of GenerateMeshPolicies; unknown fields are errors. */
export const generateMeshPoliciesSchema = z.strictObject({
  namespaces: z
    .array(name)
    .default([])
    .describe('namespaces that get a namespace-wide PeerAuthentication (no selector)'),
  mtls: z
    .enum(['STRICT', 'PERMISSIVE', 'DISABLE'])
    .default('STRICT')
    .describe('the mode of the generated PeerAuthentications'),
  workloads: selectorSchema
    .optional()
    .describe('workloads that get their own PeerAuthentication, selector from their pod labels'),
  scrapers: z
    .array(scraperSchema)
    .optional()
    .describe('who scrapes (default: the Prometheus and PrometheusAgent resources of the list)'),
  trustDomain: trustDomainField,
  egress: z.array(egressSchema).default([]).describe('external endpoints: a ServiceEntry each'),
  authorization: z
    .strictObject({
      enabled: z.boolean().default(false).describe('generate ALLOW AuthorizationPolicies for the scrapers'),
      paths: z.array(name).optional().describe('HTTP-only: restrict the scraper to these paths'),
      methods: z.array(name).optional().describe('HTTP-only: restrict the scraper to these methods'),
      companionRules: z
        .array(companionRuleSchema)
        .default([])
        .describe(
          'extra ALLOW rules (Istio AuthorizationPolicy Rule: from[].source, to[].operation with string ports, when[]) written into every generated policy (the other callers of the targets)',
        ),
    })
    .default({ enabled: false, companionRules: [] })
    .describe('{enabled, paths, methods, companionRules}; default off'),
  exceptions: z
    .strictObject({
      preset: z
        .array(z.enum(['kube-prometheus-stack']))
        .default([])
        .describe("kube-prometheus-stack: the prometheus-operator admission webhook's container port"),
      ports: z.array(exceptionSchema).default([]).describe('port-level exceptions asked by hand'),
    })
    .default({ preset: [], ports: [] })
    .describe('{preset, ports}: port-level exceptions beyond those the scrape path needs'),
  sidecarEgress: z
    .enum(['registry-only'])
    .optional()
    .describe('registry-only: a namespace Sidecar with outboundTrafficPolicy REGISTRY_ONLY'),
  istioVersion: z
    .string()
    .regex(/^\d+\.\d+(\.\d+)?$/)
    .optional()
    .describe('the Istio version of the cluster, e.g. 1.28 (DYNAMIC_DNS for wildcard hosts from 1.28)'),
  injectionRevision: z
    .string()
    .min(1)
    .optional()
    .describe('label generated Namespaces istio.io/rev=<revision> instead of istio-injection=enabled'),
  createNamespaces: z
    .boolean()
    .default(true)
    .describe('generate the Namespace, labelled for injection, of each namespace the list lacks'),
  outputDir: z
    .string()
    .refine((dir) => !/^([/\\]|[A-Za-z]:)/.test(dir) && !dir.split(/[/\\]/).includes('..'), {
      error: (issue) =>
        `${JSON.stringify(issue.input)} must be a relative path inside the package (not absolute, no ".."): kpt writes each generated resource to <outputDir>/<namespace>/<kind>-<name>.yaml`,
    })
    .default('mesh-policies')
    .describe('directory of the config.kubernetes.io/path annotation of generated resources'),
  meshMtls: meshMtlsField,
  rootNamespace: rootNamespaceField,
});

/** Validated generate-mesh-policies config. */
export type GenerateMeshPoliciesConfig = z.output<typeof generateMeshPoliciesSchema>;
/** One egress entry. */
export type EgressConfig = GenerateMeshPoliciesConfig['egress'][number];
