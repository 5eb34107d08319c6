/**
 * Generated Istio resources against the rules Istio's CRDs and validation enforce (istio/api, pkg/config/validation):
 * PeerAuthentication portLevelMtls needs a selector and numeric port keys; DestinationRule needs a host. And the
 * security rules of this project: only workload-scoped exceptions, never an ALLOW policy, except what
 * generate-mesh-policies is asked for (namespace / workload PeerAuthentications, scoped ALLOW policies, egress
 * DestinationRules), checked here by its own rules and in test/unit/generate-mesh-policies.test.ts against the CRDs.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as z from 'zod';
import { read } from '../support/resource-list.js';

const modes = z.enum(['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT']);
const peerAuthentication = z.strictObject({
  apiVersion: z.literal('security.istio.io/v1'),
  kind: z.literal('PeerAuthentication'),
  metadata: z.object({ name: z.string().min(1).max(63), namespace: z.string().min(1) }),
  spec: z
    .strictObject({
      selector: z.strictObject({ matchLabels: z.record(z.string(), z.string()) }),
      mtls: z.strictObject({ mode: modes }),
      portLevelMtls: z.record(
        z
          .string()
          .regex(/^[1-9]\d{0,4}$/)
          .refine((p) => Number(p) <= 65535),
        z.strictObject({ mode: modes }),
      ),
    })
    .refine((spec) => Object.keys(spec.selector.matchLabels).length > 0, 'portLevelMtls requires selector'),
});
const destinationRule = z.strictObject({
  apiVersion: z.literal('networking.istio.io/v1'),
  kind: z.literal('DestinationRule'),
  metadata: z.object({ name: z.string().min(1).max(63), namespace: z.string().min(1) }),
  spec: z.strictObject({
    host: z.string().regex(/^[a-z0-9-]+\.[a-z0-9-]+\.svc\.[a-z0-9-]+(\.[a-z0-9-]+)*$/),
    trafficPolicy: z.strictObject({
      tls: z.strictObject({ mode: z.enum(['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL']) }),
    }),
  }),
});

const functionsDir = join(import.meta.dirname, '..', '..', 'functions');
type Resource = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
};
const generated: Resource[] = readdirSync(functionsDir).flatMap((fn) => {
  const testdata = join(functionsDir, fn, 'testdata');
  if (!existsSync(testdata)) return [];
  return readdirSync(testdata).flatMap((c) => {
    const items = (
      parse(read(join(testdata, c, 'expected.yaml')), { version: '1.1' }) as { items: Resource[] }
    ).items;
    return items.filter((i) => i.metadata.annotations?.['meshscrape.dev/generated-by'] !== undefined);
  });
});

const generator = (r: Resource): string | undefined =>
  r.metadata.annotations?.['meshscrape.dev/generated-by'];
const policies = 'generate-mesh-policies';
/** generate-mesh-policies' port exceptions follow the exception rules; its namespace and workload policies do not. */
const isPolicyGenerated = (r: Resource): boolean =>
  generator(r) === policies && !r.metadata.name.endsWith('-port-exception');
type Spec = { spec: Record<string, unknown> };
const specOf = (r: Resource): Record<string, unknown> => (r as unknown as Spec).spec;

describe('generated Istio resources', () => {
  it('include PeerAuthentications and DestinationRules to check', () => {
    expect(generated.filter((r) => r.kind === 'PeerAuthentication').length).toBeGreaterThan(0);
    expect(generated.filter((r) => r.kind === 'DestinationRule').length).toBeGreaterThan(0);
  });

  it.each(
    generated
      .filter(
        (r) =>
          r.kind === 'PeerAuthentication' && generator(r) !== 'mount-istio-certs' && !isPolicyGenerated(r),
      )
      .map((r) => [r.metadata.name, r]),
  )('PeerAuthentication %s', (_, resource) => {
    const parsed = peerAuthentication.safeParse(resource);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    const spec = (
      resource as unknown as {
        spec: { mtls: { mode: string }; portLevelMtls: Record<string, { mode: string }> };
      }
    ).spec;
    // Only the named ports are relaxed, and the workload is never tightened: UNSET inherits its namespace's mode.
    expect(spec.mtls.mode).toBe('UNSET');
    expect(Object.values(spec.portLevelMtls).map((p) => p.mode)).toEqual(
      Object.values(spec.portLevelMtls).map(() => 'PERMISSIVE'),
    );
    expect(resource.metadata.namespace).not.toBe('istio-system');
  });

  it.each(
    generated
      .filter((r) => r.kind === 'PeerAuthentication' && generator(r) === 'mount-istio-certs')
      .map((r) => [r.metadata.name, r]),
  )('self-scrape exception %s', (_, resource) => {
    const parsed = peerAuthentication.safeParse(resource);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    const spec = (resource as unknown as { spec: { mtls: { mode: string }; portLevelMtls: object } }).spec;
    // Never tightens the pods: UNSET inherits the namespace's mode; only the named ports are relaxed.
    expect(spec.mtls.mode).toBe('UNSET');
    expect(Object.values(spec.portLevelMtls)).toEqual(
      Object.values(spec.portLevelMtls).map(() => ({ mode: 'PERMISSIVE' })),
    );
    expect(resource.metadata.namespace).not.toBe('istio-system');
  });

  it.each(
    generated
      .filter((r) => r.kind === 'DestinationRule' && generator(r) !== policies)
      .map((r) => [r.metadata.name, r]),
  )('DestinationRule %s', (_, resource) => {
    const parsed = destinationRule.safeParse(resource);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it.each(
    generated
      .filter((r) => r.kind === 'PeerAuthentication' && isPolicyGenerated(r))
      .map((r) => [r.metadata.name, r]),
  )('generate-mesh-policies PeerAuthentication %s', (_, resource) => {
    const spec = specOf(resource) as {
      selector?: { matchLabels: Record<string, string> };
      portLevelMtls?: Record<string, { mode: string }>;
    };
    // portLevelMtls needs a selector (Istio ignores it otherwise), and only ever opens a port to PERMISSIVE.
    if (spec.portLevelMtls) {
      expect(Object.keys(spec.selector?.matchLabels ?? {}).length).toBeGreaterThan(0);
      expect(Object.values(spec.portLevelMtls)).toEqual(
        Object.values(spec.portLevelMtls).map(() => ({ mode: 'PERMISSIVE' })),
      );
    }
    // A selector policy in the root namespace is ignored by Istio: never written there.
    if (spec.selector) expect(resource.metadata.namespace).not.toBe('istio-system');
  });

  it.each(
    generated
      .filter((r) => r.kind === 'DestinationRule' && generator(r) === policies)
      .map((r) => [r.metadata.name, r]),
  )('generate-mesh-policies DestinationRule %s originates TLS to an external host only', (_, resource) => {
    const spec = specOf(resource) as {
      host: string;
      trafficPolicy: { portLevelSettings: { tls: { mode: string; sni: string } }[] };
    };
    expect(spec.host).not.toMatch(/\.svc(\.|$)/);
    for (const setting of spec.trafficPolicy.portLevelSettings)
      expect(setting.tls).toEqual({ mode: 'SIMPLE', sni: spec.host });
  });

  it("never include an AuthorizationPolicy but generate-mesh-policies' scoped ALLOW policies", () => {
    const policiesFound = generated.filter((r) => r.kind === 'AuthorizationPolicy');
    for (const policy of policiesFound) {
      expect(generator(policy)).toBe(policies);
      const spec = specOf(policy) as { action: string; selector?: { matchLabels: Record<string, string> } };
      expect(spec.action).toBe('ALLOW');
      expect(Object.keys(spec.selector?.matchLabels ?? {}).length).toBeGreaterThan(0);
      expect(policy.metadata.namespace).not.toBe('istio-system');
    }
  });
});
