/** The verdict of explain (src/domain/verdict.ts, scrape-report.ts) on small lists, one scrape-path fact at a time. */
import { describe, expect, it } from 'vitest';
import { readResourceStream } from '../../src/cli/flatten-lists.js';
import { ScrapeModel } from '../../src/domain/scrape-path.js';
import { type ReportRow, scrapeReport } from '../../src/domain/scrape-report.js';

interface Shape {
  /** Extra YAML lines under the Prometheus spec. */
  prometheus?: string;
  /** Annotations of the app's pod template, as YAML lines at 8 spaces. */
  podAnnotations?: string;
  /** The Service port name of the metrics port. */
  portName?: string;
  /** YAML lines of the endpoint after `port:` (4 spaces). */
  endpoint?: string;
  /** Labels of the ServiceMonitor. */
  monitorLabels?: string;
  /** More documents. */
  extra?: string;
}

const certs = `      scheme: https
      tlsConfig:
        caFile: /etc/prom-certs/root-cert.pem
        certFile: /etc/prom-certs/cert-chain.pem
        keyFile: /etc/prom-certs/key.pem
        insecureSkipVerify: true`;
const ownTls = `      scheme: https
      tlsConfig:
        insecureSkipVerify: true`;
const mounted = `  volumeMounts:
    - name: istio-certs
      mountPath: /etc/prom-certs/`;

/** A namespace policy making \`shop\` PERMISSIVE. */
const permissive = `---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: shop
spec:
  mtls:
    mode: PERMISSIVE`;

/** A PodMonitor on the cart pods: one endpoint (YAML lines at 6 spaces after the first), one more spec line. */
const cartPodMonitor = (name: string, endpoint: string, specLine = '') => `---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  name: ${name}
  namespace: shop
spec:
  ${specLine}
  selector:
    matchLabels:
      app: cart
  podMetricsEndpoints:
    - ${endpoint}`;

/** An injected namespace `shop` with one app behind a Service and a ServiceMonitor, and a Prometheus loading all. */
function list(shape: Shape = {}): string {
  const port = shape.portName ?? 'metrics';
  return `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio-injection: enabled
---
apiVersion: v1
kind: Namespace
metadata:
  name: monitoring
  labels:
    istio-injection: enabled
---
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: k8s
  namespace: monitoring
spec:
  replicas: 1
  serviceMonitorSelector:
    matchLabels:
      team: shop
  serviceMonitorNamespaceSelector: {}
  podMonitorSelector: {}
  podMonitorNamespaceSelector: {}
${shape.prometheus ?? ''}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
  namespace: shop
spec:
  selector:
    matchLabels:
      app: cart
  template:
    metadata:
      labels:
        app: cart
      annotations:
        example.com/none: "x"
${shape.podAnnotations ?? ''}
    spec:
      containers:
        - name: cart
          image: cart
          ports:
            - name: metrics
              containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: cart
  namespace: shop
  labels:
    app: cart
spec:
  selector:
    app: cart
  ports:
    - name: ${port}
      port: 8080
      targetPort: metrics
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: cart
  namespace: shop
  labels:
    team: ${shape.monitorLabels ?? 'shop'}
spec:
  selector:
    matchLabels:
      app: cart
  endpoints:
    - port: ${port}
${shape.endpoint ?? ''}
${shape.extra ?? ''}
`;
}

function rows(text: string): ReportRow[] {
  const read = readResourceStream(text);
  if (!read.ok) throw new Error(read.problems.map((p) => p.message).join('\n'));
  const model = new ScrapeModel(read.value, { meshMtls: 'STRICT', rootNamespace: 'istio-system' });
  return scrapeReport(model, read.value);
}

const only = (text: string, name = 'cart'): ReportRow => {
  const found = rows(text).filter((r) => r.monitor.name === name);
  expect(found).toHaveLength(1);
  return found[0] as ReportRow;
};

const fixesOf = (row: ReportRow): string[] => row.verdict.fixes.map((f) => f.fix);

describe('STRICT, captured', () => {
  it('plain http is broken, and set-monitor-tls is the fix', () => {
    const row = only(list({ prometheus: mounted }));
    expect(row.capture?.state).toBe('captured');
    expect(row.mtls).toMatchObject({ mode: 'STRICT', assumed: true });
    expect(row.sending).toMatchObject({ scheme: 'http', tls: 'none' });
    expect(row.verdict).toMatchObject({
      verdict: 'broken',
      reason: expect.stringMatching(/refuses plain text/),
    });
    expect(fixesOf(row)).toEqual(['set-monitor-tls']);
  });

  it('plain http is broken, and the fix mounts the certs first when the scraper does not mount them', () => {
    const row = only(list());
    expect(row.verdict.verdict).toBe('broken');
    expect(row.verdict.fixes).toEqual([
      {
        fix: 'mount-istio-certs',
        detail: expect.stringMatching(
          /^run mount-istio-certs on Prometheus monitoring\/k8s .*, then set-monitor-tls: https with the cert files$/,
        ),
      },
    ]);
  });

  it('https with the cert files works when the scraper mounts them', () => {
    const row = only(list({ endpoint: certs, prometheus: mounted }));
    expect(row.sending).toMatchObject({ tls: 'cert-files', certsFrom: 'endpoint' });
    expect(row.verdict.verdict).toBe('works');
  });

  it('https with the cert files is broken when the scraper does not mount them', () => {
    const row = only(list({ endpoint: certs }));
    expect(row.verdict).toMatchObject({ verdict: 'broken', reason: expect.stringMatching(/does not mount/) });
    expect(fixesOf(row)).toEqual(['mount-istio-certs']);
  });

  it('names the policy that set the mode', () => {
    const policy = `---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: istio-system
spec:
  mtls:
    mode: STRICT`;
    const row = only(list({ extra: policy }));
    expect(row.mtls).toEqual({
      mode: 'STRICT',
      source: 'PeerAuthentication/istio-system/default',
      assumed: false,
    });
  });
});

describe('PERMISSIVE', () => {
  it("https with the cert files is broken: Prometheus cannot send Istio's mTLS variant", () => {
    const row = only(list({ endpoint: certs, prometheus: mounted, extra: permissive }));
    expect(row.mtls).toMatchObject({ mode: 'PERMISSIVE', source: 'PeerAuthentication/shop/default' });
    expect(row.verdict).toMatchObject({ verdict: 'broken', reason: expect.stringMatching(/PERMISSIVE/) });
    expect(fixesOf(row)).toEqual(['set-monitor-tls']);
  });

  it('plain http works', () => {
    expect(only(list({ extra: permissive })).verdict.verdict).toBe('works');
  });

  it("the app's own TLS passes through, unless the Service declares the port HTTP", () => {
    expect(only(list({ endpoint: ownTls, extra: permissive })).verdict.verdict).toBe('works');
    const declared = only(list({ endpoint: ownTls, extra: permissive, portName: 'http-metrics' }));
    expect(declared.verdict).toMatchObject({
      verdict: 'broken',
      reason: expect.stringMatching(/declares HTTP/),
    });
  });
});

describe('a port the target excludes from capture', () => {
  const excluded = '        traffic.sidecar.istio.io/excludeInboundPorts: "8080"';

  it('is not captured, and plain http works', () => {
    const row = only(list({ podAnnotations: excluded }));
    expect(row.capture).toMatchObject({
      state: 'not-captured',
      reason: expect.stringMatching(/excludeInboundPorts/),
    });
    expect(row.mtls).toBeUndefined();
    expect(row.verdict.verdict).toBe('works');
  });

  it("is broken with Istio's cert files (the app answers itself)", () => {
    const row = only(list({ podAnnotations: excluded, endpoint: certs, prometheus: mounted }));
    expect(row.verdict).toMatchObject({ verdict: 'broken', reason: expect.stringMatching(/not captured/) });
  });

  it("keeps working with the app's own TLS", () => {
    expect(only(list({ podAnnotations: excluded, endpoint: ownTls })).verdict.verdict).toBe('works');
  });
});

describe("the app's own TLS under STRICT", () => {
  it('is broken, naming both fixes with the workload and port', () => {
    const row = only(list({ endpoint: ownTls }));
    expect(row.sending).toMatchObject({ scheme: 'https', tls: 'own' });
    expect(row.verdict.verdict).toBe('broken');
    expect(row.verdict.fixes).toEqual([
      {
        fix: 'exclude-port',
        detail: expect.stringMatching(/port 8080 .*Deployment\/shop\/cart.*excludeInboundPorts/),
      },
      {
        fix: 'permissive-port',
        detail: expect.stringMatching(
          /PERMISSIVE exception for port 8080 \(Istio passes a plain TLS handshake/,
        ),
      },
    ]);
  });

  it('names only excludeInboundPorts when the Service declares the port HTTP, saying why PERMISSIVE would not help', () => {
    const row = only(list({ endpoint: ownTls, portName: 'http-metrics' }));
    expect(fixesOf(row)).toEqual(['exclude-port']);
    expect(row.verdict.reason).toMatch(
      /PERMISSIVE exception would not help: the Service declares the port HTTP/,
    );
  });
});

describe('an app that serves TLS itself (a TLS flag on its container)', () => {
  const appTls = (text: string): string =>
    text.replace(
      '          image: cart\n',
      '          image: cart\n          args: ["--web.enable-tls=true"]\n',
    );

  it('on a captured STRICT port, plain http is broken both ways: the own-TLS fixes, as set-monitor-tls words them', () => {
    const row = only(appTls(list()));
    expect(row.sending?.tls).toBe('none');
    expect(row.verdict).toMatchObject({
      verdict: 'broken',
      reason: expect.stringMatching(/serves TLS itself on a port Istio captures under STRICT/),
    });
    expect(row.verdict.fixes).toEqual([
      {
        fix: 'exclude-port',
        detail:
          'exclude port 8080 from inbound capture on Deployment/shop/cart (traffic.sidecar.istio.io/excludeInboundPorts)',
      },
      {
        fix: 'permissive-port',
        detail:
          'add a port-level PERMISSIVE exception for port 8080 (Istio passes a plain TLS handshake through to the app there)',
      },
    ]);
  });

  it("on a captured STRICT port, Istio's cert files are broken too (the sidecar would hand the app plain text)", () => {
    const row = only(appTls(list({ endpoint: certs, prometheus: mounted })));
    expect(row.verdict.verdict).toBe('broken');
    expect(fixesOf(row)).toEqual(['exclude-port', 'permissive-port']);
  });

  it('on an uncaptured port, plain http is broken: the fix is https with its own TLS, never the cert files', () => {
    const excluded = '        traffic.sidecar.istio.io/excludeInboundPorts: "8080"';
    const row = only(appTls(list({ podAnnotations: excluded })));
    expect(row.verdict).toMatchObject({
      verdict: 'broken',
      reason: expect.stringMatching(/serves TLS itself/),
    });
    expect(fixesOf(row)).toEqual(['app-https']);
    expect(row.verdict.fixes[0]?.detail).not.toMatch(/set-monitor-tls|cert-chain|prom-certs/);
    expect(only(appTls(list({ podAnnotations: excluded, endpoint: ownTls }))).verdict.verdict).toBe('works');
  });

  it('on a captured PERMISSIVE port, plain http is broken too (Envoy hands it to the app as it is); its own TLS passes', () => {
    const row = only(appTls(list({ extra: permissive })));
    expect(row.verdict.verdict).toBe('broken');
    expect(fixesOf(row)).toEqual(['app-https']);
    expect(only(appTls(list({ extra: permissive, endpoint: ownTls }))).verdict.verdict).toBe('works');
  });
});

describe('self-scrape', () => {
  const selfMonitor = (endpoint: string) => `---
apiVersion: v1
kind: Service
metadata:
  name: prometheus-k8s
  namespace: monitoring
  labels:
    app: prometheus
spec:
  selector:
    prometheus: k8s
  ports:
    - name: web
      port: 9090
      targetPort: web
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: prometheus-k8s
  namespace: monitoring
  labels:
    team: shop
spec:
  selector:
    matchLabels:
      app: prometheus
  endpoints:
    - port: web
${endpoint}`;

  const selfRow = (replicas: number, endpoint = ''): ReportRow =>
    only(
      list({ prometheus: mounted, extra: selfMonitor(endpoint) }).replace(
        'replicas: 1',
        `replicas: ${replicas}`,
      ),
      'prometheus-k8s',
    );

  it('plain http works for a single replica', () => {
    const row = selfRow(1);
    expect(row.requirement?.send).toBe('self');
    expect(row.verdict).toMatchObject({ verdict: 'works', reason: expect.stringMatching(/scraper's own/) });
  });

  it('https is broken: each replica reaches itself in plain text', () => {
    const row = selfRow(1, certs);
    expect(row.verdict).toMatchObject({ verdict: 'broken', reason: expect.stringMatching(/https fails/) });
  });

  it('plain http is broken with two replicas keeping inbound capture under STRICT, naming both fixes', () => {
    const row = selfRow(2);
    expect(row.verdict).toMatchObject({
      verdict: 'broken',
      reason: expect.stringMatching(/self-scrape.*2 pods/),
    });
    expect(fixesOf(row)).toEqual(['permissive-port', 'inbound-bypass']);
    expect(row.verdict.fixes[0]?.detail).toMatch(/own ports \(web 9090, reloader-web 8080\) on the pods/);
  });

  it("names the scraper's own ports from its pods: the Thanos sidecar's http port with spec.thanos", () => {
    const thanos = `${mounted}\n  thanos:\n    image: thanos`;
    const row = only(
      list({ prometheus: thanos, extra: selfMonitor('') }).replace('replicas: 1', 'replicas: 2'),
      'prometheus-k8s',
    );
    expect(row.verdict.fixes[0]?.detail).toMatch(
      /own ports \(web 9090, reloader-web 8080, http 10902\) on the pods/,
    );
  });
});

describe('loading', () => {
  it('a monitor no scraper loads is unknown, saying why and what a scraper outside the list would see', () => {
    const row = only(list({ monitorLabels: 'other' }));
    expect(row.loaders).toEqual([]);
    expect(row.notLoaded).toMatch(/serviceMonitorSelector does not match its labels/);
    expect(row.verdict).toMatchObject({
      verdict: 'unknown',
      reason: expect.stringMatching(
        /no scraper in the list loads this monitor.*for one outside the list: broken/,
      ),
    });
  });

  it('with no scraper in the list at all, the targets decide', () => {
    const text = list().replace(/apiVersion: monitoring.coreos.com\/v1\nkind: Prometheus[\s\S]*?\n---\n/, '');
    const row = only(text);
    expect(row.loaders).toEqual([]);
    expect(row.notLoaded).toBeUndefined();
    expect(row.verdict.verdict).toBe('broken');
  });
});

describe('PodMonitors, Probes and ScrapeConfigs', () => {
  const podMonitor = (scrapeClass: string) =>
    cartPodMonitor('cart-pods', 'port: metrics\n      scheme: https', scrapeClass);
  const classes = `${mounted}
  scrapeClasses:
    - name: istio-mtls
      tlsConfig:
        caFile: /etc/prom-certs/root-cert.pem
        certFile: /etc/prom-certs/cert-chain.pem
        keyFile: /etc/prom-certs/key.pem
        insecureSkipVerify: true`;

  it('a PodMonitor gets its cert files from the scrape class it names', () => {
    const row = only(
      list({ prometheus: classes, extra: podMonitor('scrapeClass: istio-mtls') }),
      'cart-pods',
    );
    expect(row.target && 'pods' in row.target && row.target.pods.containerPort).toBe(8080);
    expect(row.sending).toMatchObject({ tls: 'cert-files', certsFrom: 'scrape class istio-mtls' });
    expect(row.verdict.verdict).toBe('works');
  });

  it('a PodMonitor with https and no class sends its own TLS, broken under STRICT; fix-pod-monitors is not one of the two fixes', () => {
    const row = only(list({ prometheus: classes, extra: podMonitor('jobLabel: app') }), 'cart-pods');
    expect(row.sending?.tls).toBe('own');
    expect(fixesOf(row)).toEqual(['exclude-port', 'permissive-port']);
  });

  it('a Probe is listed, not analysed', () => {
    const probe = `---
apiVersion: monitoring.coreos.com/v1
kind: Probe
metadata:
  name: site
  namespace: shop
spec:
  prober:
    url: blackbox:9115`;
    const row = only(list({ extra: probe }), 'site');
    expect(row.verdict.verdict).toBe('not-analysed');
  });
});

describe('AuthorizationPolicies at the target', () => {
  const policy = (rule: string) => `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: cart-allow
  namespace: shop
spec:
  selector:
    matchLabels:
      app: cart
  action: ALLOW
  rules:
${rule}`;
  const otherPrincipal = `    - from:
        - source:
            principals: ["cluster.local/ns/shop/sa/frontend"]`;
  const scraperPrincipal = `    - from:
        - source:
            principals: ["cluster.local/ns/monitoring/sa/default"]`;
  const byPath = `    - to:
        - operation:
            paths: ["/metrics"]`;

  it('an ALLOW policy for another principal denies the scraper: broken, naming the policy and the fix', () => {
    const row = only(list({ endpoint: certs, prometheus: mounted, extra: policy(otherPrincipal) }));
    expect(row.verdict).toMatchObject({
      verdict: 'broken',
      reason: expect.stringMatching(
        /Prometheus monitoring\/k8s \(its mesh identity\) is denied at port 8080 of Deployment\/shop\/cart: .*AuthorizationPolicy\/shop\/cart-allow/,
      ),
    });
    expect(row.verdict.fixes).toEqual([
      {
        fix: 'allow-scraper',
        detail: expect.stringMatching(
          /allow cluster\.local\/ns\/monitoring\/sa\/default on port 8080 of Deployment\/shop\/cart/,
        ),
      },
    ]);
  });

  it('an ALLOW policy for the scraper keeps it working', () => {
    const row = only(list({ endpoint: certs, prometheus: mounted, extra: policy(scraperPrincipal) }));
    expect(row.verdict.verdict).toBe('works');
  });

  it('a rule on HTTP paths is unknown, saying why', () => {
    const row = only(list({ endpoint: certs, prometheus: mounted, extra: policy(byPath) }));
    expect(row.verdict).toMatchObject({
      verdict: 'unknown',
      reason: expect.stringMatching(/cannot tell offline .*HTTP paths/),
    });
  });

  it('plain text to a PERMISSIVE port carries no principal, so a principal rule denies it', () => {
    const row = only(list({ extra: `${permissive}\n${policy(scraperPrincipal)}` }));
    expect(row.verdict).toMatchObject({
      verdict: 'broken',
      reason: expect.stringMatching(/in plain text, with no mesh identity\) is denied/),
    });
    expect(fixesOf(row)).toEqual(['allow-scraper']);
  });
});

describe("Istio's own metrics ports", () => {
  const envoyMonitor = (endpoint: string) => cartPodMonitor('envoy-stats', endpoint);

  it.each([
    ['by name', 'port: http-envoy-prom\n      path: /stats/prometheus'],
    ['by number', 'portNumber: 15020'],
    ['by path', 'path: /stats/prometheus'],
  ])('%s: plain http works, never captured, even when the workload does not declare the injected port', (_, endpoint) => {
    const found = rows(list({ extra: envoyMonitor(endpoint) })).filter(
      (r) => r.monitor.name === 'envoy-stats',
    );
    expect(found.length).toBeGreaterThan(0);
    for (const row of found) {
      expect(row.capture?.state).toBe('not-captured');
      expect(row.mtls).toBeUndefined();
      expect(row.verdict).toMatchObject({
        verdict: 'works',
        reason: expect.stringMatching(/Istio's own metrics ports, no fix needed/),
      });
    }
  });
});
