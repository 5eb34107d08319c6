/** Model additions fix-pod-monitors decides from: equality selectors, NetworkPolicy ingress, own port exceptions. */
import { describe, expect, it } from 'vitest';
import { asServiceSelector, equalityLabels } from '../../src/domain/label-selector.js';
import { ingressBlockers } from '../../src/domain/network-policy.js';
import { PeerAuthentications } from '../../src/domain/peer-authentication.js';
import { podSourceOf } from '../../src/domain/pod-sources.js';
import { addedPorts, formatAddedPorts } from '../../src/domain/port-exceptions.js';
import { Item, type Json } from '../../src/krm/item.js';

describe('equality selectors', () => {
  it.each([
    [{ matchLabels: { app: 'cart' } }, { app: 'cart' }],
    [{ matchExpressions: [{ key: 'app', operator: 'In' as const, values: ['ledger'] }] }, { app: 'ledger' }],
    [
      {
        matchLabels: { tier: 'web' },
        matchExpressions: [{ key: 'app', operator: 'In' as const, values: ['ledger'] }],
      },
      { tier: 'web', app: 'ledger' },
    ],
    [{ matchExpressions: [{ key: 'app', operator: 'In' as const, values: ['a', 'b'] }] }, undefined],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' as const }] }, undefined],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn' as const, values: ['data'] }] }, undefined],
    [
      {
        matchLabels: { app: 'cart' },
        matchExpressions: [{ key: 'app', operator: 'In' as const, values: ['ledger'] }],
      },
      undefined,
    ],
    [{}, undefined],
  ])('%j as a Service selector: %j', (selector, expected) => {
    expect(asServiceSelector(selector)).toEqual(expected);
  });

  it('keeps what is not an equality in rest', () => {
    const { labels, rest } = equalityLabels({
      matchLabels: { release: 'k8s' },
      matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }],
    });
    expect(labels).toEqual({ release: 'k8s' });
    expect(rest).toEqual([{ key: 'team', operator: 'DoesNotExist' }]);
  });
});

const deployment = (labels: Record<string, string>) =>
  podSourceOf(
    Item.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'cart', namespace: 'shop' },
      spec: { template: { metadata: { labels }, spec: { containers: [] } } },
    }),
  ) as NonNullable<ReturnType<typeof podSourceOf>>;

const policy = (name: string, spec: { [key: string]: Json }, namespace = 'shop') =>
  Item.create({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec,
  });

describe('NetworkPolicies that block a port', () => {
  const pods = deployment({ app: 'cart' });
  const appOnly = policy('app-only', { podSelector: {}, ingress: [{ ports: [{ port: 8080 }] }] });
  it.each([
    ['no policy', [], []],
    ['a policy admitting only 8080', [appOnly], ['app-only']],
    ['a rule without ports (all ports)', [appOnly, policy('all', { podSelector: {}, ingress: [{}] })], []],
    [
      'a range holding 15020',
      [policy('r', { podSelector: {}, ingress: [{ ports: [{ port: 15000, endPort: 15100 }] }] })],
      [],
    ],
    [
      'UDP only',
      [policy('udp', { podSelector: {}, ingress: [{ ports: [{ port: 15020, protocol: 'UDP' }] }] })],
      ['udp'],
    ],
    ['deny all ingress', [policy('deny', { podSelector: {}, policyTypes: ['Ingress'] })], ['deny']],
    ['egress only', [policy('egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] })], []],
    ['other pods', [policy('other', { podSelector: { matchLabels: { app: 'x' } }, ingress: [] })], []],
    ['other namespace', [policy('ns', { podSelector: {}, ingress: [] }, 'bank')], []],
  ])('%s', (_, items, expected) => {
    expect(ingressBlockers(items, pods, 15020).map((i) => i.name)).toEqual(expected);
  });
});

describe("a function's own port exceptions", () => {
  const pa = (name: string, annotations: Record<string, string>, ports: { [key: string]: Json }) =>
    Item.create({
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name, namespace: 'shop', annotations },
      spec: { selector: { matchLabels: { app: 'cart' } }, mtls: { mode: 'STRICT' }, portLevelMtls: ports },
    });
  const edited = pa(
    'cart',
    {
      'meshscrape.dev/exception-ports-by': 'fix-pod-monitors',
      'meshscrape.dev/exception-ports': '8080=PodMonitor/shop/cart',
    },
    { '8080': { mode: 'PERMISSIVE' }, '9000': { mode: 'PERMISSIVE' } },
  );
  const generated = pa(
    'cart-metrics-port',
    { 'meshscrape.dev/generated-by': 'fix-pod-monitors' },
    { '9100': { mode: 'PERMISSIVE' } },
  );

  it('count for everyone else', () => {
    const policies = new PeerAuthentications([edited], 'istio-system', 'STRICT');
    expect(policies.modeAt('shop', { app: 'cart' }, 8080).mode).toBe('PERMISSIVE');
  });

  it('are left out for that function: the ports it added, and the policies it generated', () => {
    const policies = new PeerAuthentications(
      [generated, edited],
      'istio-system',
      'STRICT',
      'fix-pod-monitors',
    );
    expect(policies.modeAt('shop', { app: 'cart' }, 8080)).toMatchObject({
      mode: 'STRICT',
      source: 'PeerAuthentication/shop/cart',
    });
    expect(policies.modeAt('shop', { app: 'cart' }, 9000).mode).toBe('PERMISSIVE');
    expect(policies.modeAt('shop', { app: 'cart' }, 9100).mode).toBe('STRICT');
  });

  it('are recorded per port and monitor, in a stable order', () => {
    expect(addedPorts(edited, 'fix-pod-monitors')).toEqual([{ port: 8080, monitor: 'PodMonitor/shop/cart' }]);
    expect(addedPorts(edited, 'set-monitor-tls')).toEqual([]);
    expect(
      formatAddedPorts([
        { port: 9187, monitor: 'PodMonitor/shop/db' },
        { port: 8080, monitor: 'PodMonitor/shop/cart' },
        { port: 8080, monitor: 'PodMonitor/shop/cart' },
      ]),
    ).toBe('8080=PodMonitor/shop/cart,9187=PodMonitor/shop/db');
  });
});
