/**
 * The scrape-path model (domain.md section 0): PeerAuthentication precedence as istiod composes it, monitor
 * selection with the operator's nil / {} semantics, sidecar capture per port, and the requirement that follows.
 */
import { describe, expect, it } from 'vitest';
import { AuthorizationPolicies } from '../../src/domain/authorization.js';
import { serviceEndpointTargets } from '../../src/domain/endpoint-targets.js';
import { Inventory } from '../../src/domain/inventory.js';
import { PeerAuthentications } from '../../src/domain/peer-authentication.js';
import { podSourceOf } from '../../src/domain/pod-sources.js';
import { ScrapeModel } from '../../src/domain/scrape-path.js';
import { loadsMonitor, scraperOf } from '../../src/domain/scrapers.js';
import { captureOf } from '../../src/domain/sidecar-capture.js';
import type { Resource } from '../../src/krm/index.js';
import { Item } from '../../src/krm/item.js';

type Spec = Record<string, unknown>;
const peer = (namespace: string, name: string, spec: Spec, created?: string): Item =>
  Item.create({
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: { name, namespace, ...(created ? { creationTimestamp: created } : {}) },
    spec,
  } as Resource);

const cart = { app: 'cart' };
const strict = { mtls: { mode: 'STRICT' } };
const permissive = { mtls: { mode: 'PERMISSIVE' } };
const disable = { mtls: { mode: 'DISABLE' } };
const unset = { mtls: { mode: 'UNSET' } };
const onCart = (spec: Spec): Spec => ({ selector: { matchLabels: cart }, ...spec });

describe('PeerAuthentication precedence (pilot ComposePeerAuthentication)', () => {
  it.each([
    ['no policy: the meshMtls assumption', [], 'STRICT', true],
    ['mesh-wide PERMISSIVE', [peer('istio-system', 'default', permissive)], 'PERMISSIVE', false],
    [
      'mesh-wide UNSET is Istio default PERMISSIVE',
      [peer('istio-system', 'default', unset)],
      'PERMISSIVE',
      false,
    ],
    [
      'namespace beats mesh',
      [peer('istio-system', 'default', permissive), peer('shop', 'default', strict)],
      'STRICT',
      false,
    ],
    [
      'namespace UNSET inherits mesh',
      [peer('istio-system', 'default', disable), peer('shop', 'default', unset)],
      'DISABLE',
      false,
    ],
    [
      'workload beats namespace',
      [peer('shop', 'default', strict), peer('shop', 'cart', onCart(permissive))],
      'PERMISSIVE',
      false,
    ],
    [
      'workload UNSET inherits namespace',
      [peer('shop', 'default', disable), peer('shop', 'cart', onCart(unset))],
      'DISABLE',
      false,
    ],
    [
      'port level beats workload',
      [peer('shop', 'cart', onCart({ ...strict, portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } }))],
      'PERMISSIVE',
      false,
    ],
    [
      'port level UNSET inherits the workload mode',
      [
        peer('shop', 'default', permissive),
        peer('shop', 'cart', onCart({ ...strict, portLevelMtls: { 8080: { mode: 'UNSET' } } })),
      ],
      'STRICT',
      false,
    ],
    [
      'port level for another port does not apply',
      [peer('shop', 'cart', onCart({ ...permissive, portLevelMtls: { 9090: { mode: 'STRICT' } } }))],
      'PERMISSIVE',
      false,
    ],
    [
      'UNSET workload with a port exception keeps the inherited mode elsewhere',
      [peer('shop', 'cart', onCart({ ...unset, portLevelMtls: { 9090: { mode: 'PERMISSIVE' } } }))],
      'STRICT',
      true,
    ],
    [
      'a selector policy in the root namespace is ignored',
      [peer('istio-system', 'cart', onCart(permissive))],
      'STRICT',
      true,
    ],
    [
      'a selector without matchLabels is a namespace policy',
      [peer('shop', 'odd', { selector: {}, ...permissive })],
      'PERMISSIVE',
      false,
    ],
    [
      'a workload policy for other pods does not apply',
      [peer('shop', 'web', { selector: { matchLabels: { app: 'web' } }, ...permissive })],
      'STRICT',
      true,
    ],
    ['a policy in another namespace does not apply', [peer('bank', 'default', permissive)], 'STRICT', true],
    [
      'the oldest namespace policy wins',
      [
        peer('shop', 'b', strict, '2024-01-01T00:00:00Z'),
        peer('shop', 'a', permissive, '2024-02-01T00:00:00Z'),
      ],
      'STRICT',
      false,
    ],
    [
      'without creation times, the first by name wins',
      [peer('shop', 'b', strict), peer('shop', 'a', permissive)],
      'PERMISSIVE',
      false,
    ],
    [
      'the oldest workload policy wins',
      [
        peer('shop', 'z', onCart(disable), '2023-01-01T00:00:00Z'),
        peer('shop', 'a', onCart(strict), '2024-01-01T00:00:00Z'),
      ],
      'DISABLE',
      false,
    ],
  ])('%s', (_name, policies, mode, assumed) => {
    const decision = new PeerAuthentications(policies, 'istio-system', 'STRICT').modeAt('shop', cart, 8080);
    expect(decision.mode).toBe(mode);
    expect(decision.assumed).toBe(assumed);
  });

  it('names the policy that decided, with the port when a port level did', () => {
    const policies = [
      peer('shop', 'cart', onCart({ ...strict, portLevelMtls: { 8080: { mode: 'DISABLE' } } })),
    ];
    expect(
      new PeerAuthentications(policies, 'istio-system', 'STRICT').modeAt('shop', cart, 8080).source,
    ).toBe('PeerAuthentication/shop/cart port 8080');
  });

  it('honours a configured root namespace', () => {
    const policies = [peer('mesh-root', 'default', permissive)];
    expect(new PeerAuthentications(policies, 'mesh-root', 'STRICT').modeAt('shop', cart, 8080).mode).toBe(
      'PERMISSIVE',
    );
  });
});

const prometheus = (spec: Spec, namespace = 'monitoring'): Item =>
  Item.create({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'Prometheus',
    metadata: { name: 'k8s', namespace },
    spec,
  } as Resource);
const monitor = (kind: string, namespace: string, labels: Record<string, string> = {}): Item =>
  Item.create({
    apiVersion: 'monitoring.coreos.com/v1',
    kind,
    metadata: { name: 'm', namespace, labels },
    spec: { selector: {} },
  } as Resource);
const namespace = (name: string, labels: Record<string, string>): Item =>
  Item.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } } as Resource);

describe('which Prometheus loads a monitor (operator selector semantics)', () => {
  const team = { team: 'shop' };
  it.each([
    ['nil selector loads nothing', {}, monitor('ServiceMonitor', 'monitoring'), false],
    [
      '{} loads every monitor of its own namespace',
      { serviceMonitorSelector: {} },
      monitor('ServiceMonitor', 'monitoring'),
      true,
    ],
    [
      'nil namespace selector: only its own namespace',
      { serviceMonitorSelector: {} },
      monitor('ServiceMonitor', 'shop'),
      false,
    ],
    [
      '{} namespace selector: every namespace',
      { serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: {} },
      monitor('ServiceMonitor', 'shop'),
      true,
    ],
    [
      'label selector on the monitor',
      { serviceMonitorSelector: { matchLabels: team } },
      monitor('ServiceMonitor', 'monitoring', team),
      true,
    ],
    [
      'label selector not matching',
      { serviceMonitorSelector: { matchLabels: team } },
      monitor('ServiceMonitor', 'monitoring'),
      false,
    ],
    [
      'the PodMonitor selector is separate',
      { serviceMonitorSelector: {} },
      monitor('PodMonitor', 'monitoring'),
      false,
    ],
    [
      'PodMonitor with its own selector',
      { podMonitorSelector: {} },
      monitor('PodMonitor', 'monitoring'),
      true,
    ],
    ['Probe selector', { probeSelector: {} }, monitor('Probe', 'monitoring'), true],
    ['ScrapeConfig selector', { scrapeConfigSelector: {} }, monitor('ScrapeConfig', 'monitoring'), true],
    [
      'namespace selector by metadata.name needs no Namespace resource',
      {
        serviceMonitorSelector: {},
        serviceMonitorNamespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
      },
      monitor('ServiceMonitor', 'shop'),
      true,
    ],
    [
      'namespace selector by label, Namespace missing from the list',
      { serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: { matchLabels: team } },
      monitor('ServiceMonitor', 'shop'),
      'unknown',
    ],
  ])('%s', (_name, spec, target, loads) => {
    const inventory = new Inventory([]);
    expect(loadsMonitor(inventory, scraperOf(prometheus(spec)), target).loads).toBe(loads);
  });

  it('namespace selector by label, with the Namespace in the list', () => {
    const spec = {
      serviceMonitorSelector: {},
      serviceMonitorNamespaceSelector: { matchLabels: { team: 'shop' } },
    };
    const yes = new Inventory([namespace('shop', { team: 'shop' })]);
    const no = new Inventory([namespace('shop', { team: 'bank' })]);
    expect(loadsMonitor(yes, scraperOf(prometheus(spec)), monitor('ServiceMonitor', 'shop')).loads).toBe(
      true,
    );
    expect(loadsMonitor(no, scraperOf(prometheus(spec)), monitor('ServiceMonitor', 'shop')).loads).toBe(
      false,
    );
  });
});

const deployment = (annotations: Record<string, string>, extra: Spec = {}): Item =>
  Item.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'cart', namespace: 'shop' },
    spec: {
      template: {
        metadata: { labels: cart, annotations },
        spec: { containers: [{ name: 'app', ports: [{ name: 'metrics', containerPort: 8080 }] }], ...extra },
      },
    },
  } as Resource);

describe('sidecar capture of a port', () => {
  const injected = namespace('shop', { 'istio-injection': 'enabled' });
  it.each([
    ['captured by default', {}, {}, 8080, 'captured'],
    ['excluded', { 'traffic.sidecar.istio.io/excludeInboundPorts': '9000, 8080' }, {}, 8080, 'not-captured'],
    [
      'excluded list not naming it',
      { 'traffic.sidecar.istio.io/excludeInboundPorts': '9000' },
      {},
      8080,
      'captured',
    ],
    [
      'includeInboundPorts ""',
      { 'traffic.sidecar.istio.io/includeInboundPorts': '' },
      {},
      8080,
      'not-captured',
    ],
    [
      'includeInboundPorts naming another port',
      { 'traffic.sidecar.istio.io/includeInboundPorts': '9000' },
      {},
      8080,
      'not-captured',
    ],
    [
      'includeInboundPorts naming it',
      { 'traffic.sidecar.istio.io/includeInboundPorts': '9000,8080' },
      {},
      8080,
      'captured',
    ],
    ['includeInboundPorts *', { 'traffic.sidecar.istio.io/includeInboundPorts': '*' }, {}, 8080, 'captured'],
    ["Istio's own port", {}, {}, 15020, 'not-captured'],
    ['hostNetwork', {}, { hostNetwork: true }, 8080, 'not-captured'],
  ])('%s', (_name, annotations, extra, port, state) => {
    const item = deployment(annotations, extra);
    const inventory = new Inventory([injected, item]);
    const pods = podSourceOf(item);
    if (!pods) throw new Error('no pods');
    expect(captureOf(inventory, pods, port).state).toBe(state);
  });

  it.each([
    'kube-system',
    'kube-public',
    'kube-node-lease',
  ])('Istio never injects in %s, whatever the pod or the Namespace label says (found by the red team)', (ns) => {
    const item = Item.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'agent', namespace: ns },
      spec: {
        template: { metadata: { labels: { 'sidecar.istio.io/inject': 'true' } }, spec: { containers: [] } },
      },
    } as Resource);
    const inventory = new Inventory([namespace(ns, { 'istio-injection': 'enabled' }), item]);
    expect(captureOf(inventory, podSourceOf(item) as never, 8080)).toMatchObject({ state: 'not-captured' });
  });

  it('an ambient namespace has no sidecar to capture', () => {
    const item = deployment({});
    const inventory = new Inventory([namespace('shop', { 'istio.io/dataplane-mode': 'ambient' }), item]);
    expect(captureOf(inventory, podSourceOf(item) as never, 8080).state).toBe('ambient');
  });

  // istio/istio manifests/charts/default/templates/mutatingwebhook.yaml: the object. webhook injects a pod labelled
  // sidecar.istio.io/inject: "true" where the namespace has neither istio-injection nor istio.io/rev, and
  // namespace. injects every pod of an istio-injection: enabled namespace; ambient skips pods with a sidecar
  // (cni/pkg/util/podutil.go podHasSidecar). The annotation is no webhook selector.
  it.each([
    [
      'the pod label inject "true"',
      { 'istio.io/dataplane-mode': 'ambient' },
      { 'sidecar.istio.io/inject': 'true' },
      {},
      'captured',
    ],
    [
      'istio-injection: enabled beside it',
      { 'istio.io/dataplane-mode': 'ambient', 'istio-injection': 'enabled' },
      {},
      {},
      'captured',
    ],
    [
      'only the annotation inject "true"',
      { 'istio.io/dataplane-mode': 'ambient' },
      {},
      { 'sidecar.istio.io/inject': 'true' },
      'ambient',
    ],
    [
      'the label inject "true" and istio-injection: disabled',
      { 'istio.io/dataplane-mode': 'ambient', 'istio-injection': 'disabled' },
      { 'sidecar.istio.io/inject': 'true' },
      {},
      'ambient',
    ],
  ])('a pod in an ambient namespace with %s', (_name, nsLabels, podLabels, annotations, state) => {
    const item = Item.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'cart', namespace: 'shop' },
      spec: {
        template: {
          metadata: { labels: { ...cart, ...podLabels }, annotations },
          spec: { containers: [{ name: 'app', ports: [{ name: 'metrics', containerPort: 8080 }] }] },
        },
      },
    } as Resource);
    const inventory = new Inventory([namespace('shop', nsLabels), item]);
    expect(captureOf(inventory, podSourceOf(item) as never, 8080).state).toBe(state);
  });
});

describe('requirement of a ServiceMonitor endpoint', () => {
  const service = Item.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'cart', namespace: 'shop', labels: cart },
    spec: { selector: cart, ports: [{ name: 'http-metrics', port: 80, targetPort: 'metrics' }] },
  } as Resource);
  const run = (items: Item[]): string => {
    const model = new ScrapeModel([namespace('shop', { 'istio-injection': 'enabled' }), service, ...items], {
      meshMtls: 'STRICT',
      rootNamespace: 'istio-system',
    });
    const targets = serviceEndpointTargets(model, [service], { port: 'http-metrics' }, []);
    expect(targets.map((t) => t.containerPort)).toEqual([8080]);
    return model.requirementAt(targets[0] as never).send;
  };
  it('follows the named targetPort to the container port, captured and STRICT: istio-mtls', () => {
    expect(run([deployment({})])).toBe('istio-mtls');
  });
  it('a port-level PERMISSIVE exception on that container port: plain', () => {
    expect(
      run([
        deployment({}),
        peer('shop', 'cart', onCart({ portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } })),
      ]),
    ).toBe('plain');
  });
  it('an excluded container port: what the app serves', () => {
    expect(run([deployment({ 'traffic.sidecar.istio.io/excludeInboundPorts': '8080' })])).toBe('app');
  });
  it('declares the Service port HTTP by its name', () => {
    const model = new ScrapeModel([service, deployment({})], {
      meshMtls: 'STRICT',
      rootNamespace: 'istio-system',
    });
    expect(serviceEndpointTargets(model, [service], { port: 'http-metrics' }, [])[0]?.declaredHttp).toBe(
      true,
    );
  });
});

describe('AuthorizationPolicies: does the scraper get in', () => {
  const policy = (namespace: string, name: string, spec: Spec): Item =>
    Item.create({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name, namespace },
      spec,
    } as Resource);
  const prom = { principal: 'cluster.local/ns/monitoring/sa/prometheus-k8s', namespace: 'monitoring' };
  const plainText = { principal: '', namespace: '' };
  const allowFrom = (source: Spec, extra: Spec = {}): Spec => ({
    action: 'ALLOW',
    rules: [{ from: [{ source }], ...extra }],
  });
  it.each([
    ['no policy', [], prom, true],
    [
      'an ALLOW policy for someone else denies',
      [policy('shop', 'a', allowFrom({ principals: ['cluster.local/ns/shop/sa/web'] }))],
      prom,
      false,
    ],
    [
      'an ALLOW naming the principal',
      [policy('shop', 'a', allowFrom({ principals: [prom.principal] }))],
      prom,
      true,
    ],
    ['an ALLOW by namespace', [policy('shop', 'a', allowFrom({ namespaces: ['monitoring'] }))], prom, true],
    [
      'a principal suffix pattern',
      [policy('shop', 'a', allowFrom({ principals: ['*/sa/prometheus-k8s'] }))],
      prom,
      true,
    ],
    [
      'plain text matches no principal, not even *',
      [policy('shop', 'a', allowFrom({ principals: ['*'] }))],
      plainText,
      false,
    ],
    [
      'an ALLOW on another port',
      [
        policy(
          'shop',
          'a',
          allowFrom({ namespaces: ['monitoring'] }, { to: [{ operation: { ports: ['9000'] } }] }),
        ),
      ],
      prom,
      false,
    ],
    [
      'an ALLOW on this port',
      [
        policy(
          'shop',
          'a',
          allowFrom({ namespaces: ['monitoring'] }, { to: [{ operation: { ports: ['8080'] } }] }),
        ),
      ],
      prom,
      true,
    ],
    [
      'an ALLOW on HTTP paths cannot be decided offline',
      [
        policy(
          'shop',
          'a',
          allowFrom({ namespaces: ['monitoring'] }, { to: [{ operation: { paths: ['/metrics'] } }] }),
        ),
      ],
      prom,
      'unknown',
    ],
    [
      'a DENY matching wins over an ALLOW',
      [
        policy('shop', 'a', allowFrom({ namespaces: ['monitoring'] })),
        policy('shop', 'd', {
          action: 'DENY',
          rules: [{ from: [{ source: { namespaces: ['monitoring'] } }] }],
        }),
      ],
      prom,
      false,
    ],
    [
      'a mesh-wide ALLOW in the root namespace applies',
      [policy('istio-system', 'a', allowFrom({ namespaces: ['istio-system'] }))],
      prom,
      false,
    ],
    [
      'a policy for other pods does not apply',
      [
        policy('shop', 'a', {
          selector: { matchLabels: { app: 'web' } },
          ...allowFrom({ namespaces: ['x'] }),
        }),
      ],
      prom,
      true,
    ],
    ['an empty ALLOW rule allows all', [policy('shop', 'a', { action: 'ALLOW', rules: [{}] })], prom, true],
    ['an ALLOW policy without rules allows nothing', [policy('shop', 'a', { action: 'ALLOW' })], prom, false],
  ])('%s', (_name, policies, caller, allowed) => {
    const verdict = new AuthorizationPolicies(policies, 'istio-system').verdict('shop', cart, 8080, caller);
    expect(verdict.allowed).toBe(allowed);
  });
});
