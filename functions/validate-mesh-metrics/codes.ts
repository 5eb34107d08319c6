/**
 * Every finding code of validate-mesh-metrics, with its severity, meaning and fix (the README lists them all; a test
 * checks it). `IST*` codes are istioctl analyze's, used only where it has the same rule and with its meaning
 * (istio/istio pkg/config/analysis/msg/messages.yaml); `MS*` codes are this project's.
 */

/** A finding's severity. */
export type Severity = 'error' | 'warning' | 'info';

/** One code of the catalog. */
export interface CodeInfo {
  severity: Severity;
  /** What the finding means, one line. */
  meaning: string;
  /** What to do about it, one line. */
  fix: string;
}

/** The catalog, in README order. */
export const codes = {
  MS0001: {
    severity: 'error',
    meaning: 'a ServiceMonitor endpoint sends plain http to a port its sidecar captures under STRICT mTLS',
    fix: 'run set-monitor-tls (https with the cert files), after mount-istio-certs on the scraper',
  },
  MS0002: {
    severity: 'error',
    meaning:
      'a PodMonitor endpoint targets a STRICT port without a scrape class, Istio metrics merging or a port exception',
    fix: 'run fix-pod-monitors (scrape class, ServiceMonitor, merging or a port-level exception)',
  },
  MS0003: {
    severity: 'error',
    meaning:
      "an endpoint sends https with Istio's cert files, but a scraper that loads it does not mount them",
    fix: 'run mount-istio-certs on that Prometheus / PrometheusAgent',
  },
  MS0004: {
    severity: 'error',
    meaning:
      'a ServiceMonitor names cert files, but the Prometheus loading it sets arbitraryFSAccessThroughSMs.deny: true',
    fix: 'set arbitraryFSAccessThroughSMs.deny: false, or hand the files over a scrape class',
  },
  MS0005: {
    severity: 'error',
    meaning:
      "the app serves its own TLS on a port Istio's sidecar captures under STRICT: neither TLS reaches it",
    fix: 'exclude the port from inbound capture, or a port-level PERMISSIVE exception (not on a port declared HTTP)',
  },
  MS0006: {
    severity: 'error',
    meaning:
      "an endpoint sends https with Istio's cert files where no sidecar wants them (PERMISSIVE, DISABLE, uncaptured, Istio's own ports)",
    fix: 'plain http there (set-monitor-tls / fix-pod-monitors)',
  },
  MS0007: {
    severity: 'error',
    meaning: 'plain http to an app that serves TLS itself where no sidecar terminates it',
    fix: "scheme: https with the app's own CA (or insecureSkipVerify), not Istio's certs",
  },
  MS0008: {
    severity: 'error',
    meaning:
      "a Prometheus' self-scrape breaks: https to itself, or plain http to replicas behind their STRICT sidecars",
    fix: "plain http for the self-scrape and a port-level PERMISSIVE exception for the scraper's own ports, or inbound: bypass",
  },
  MS0009: {
    severity: 'error',
    meaning: 'an AuthorizationPolicy at the target denies the scrape (the principal or port is not allowed)',
    fix: "an ALLOW rule from the scraper's principal (or, for plain text, by port only) to that port, scoped to the workload",
  },
  MS0010: {
    severity: 'error',
    meaning: "a Prometheus loads monitors of STRICT targets but does not mount Istio's cert files",
    fix: 'run mount-istio-certs on it',
  },
  MS0011: {
    severity: 'warning',
    meaning:
      'Istio metrics merging is on for a pod whose metrics are served over TLS: the agent fetches only http://localhost',
    fix: 'prometheus.istio.io/merge-metrics: "false" on the pod, and scrape the app with its own TLS',
  },
  MS0012: {
    severity: 'warning',
    meaning: 'a PeerAuthentication with a selector in the root namespace: Istio ignores it',
    fix: "move it to the workload's namespace",
  },
  MS0013: {
    severity: 'error',
    meaning:
      'a portLevelMtls key is a port name, or a Service port that is not the container port: it never applies',
    fix: 'key portLevelMtls by the container (target) port number',
  },
  MS0014: {
    severity: 'warning',
    meaning:
      'a workload PeerAuthentication selects some workloads of a service account and leaves others of it out',
    fix: 'one policy per workload, with a selector from its own pod labels',
  },
  MS0015: {
    severity: 'error',
    meaning:
      'a DestinationRule originates TLS (SIMPLE / MUTUAL) to a port the ServiceEntry declares HTTPS or TLS: double TLS',
    fix: 'drop the TLS origination; keep the ServiceEntry port protocol TLS (or HTTPS) for an app that speaks TLS',
  },
  MS0016: {
    severity: 'error',
    meaning:
      'an ALLOW AuthorizationPolicy without a selector in the root namespace applies mesh-wide: everything else is denied',
    fix: 'scope ALLOW policies to the target namespace and workload (a selector)',
  },
  MS0017: {
    severity: 'warning',
    meaning:
      'HTTP-only fields (paths, methods, hosts, requestPrincipals, request.* conditions) in a rule that matches TCP traffic',
    fix: 'match TCP traffic by port and source only',
  },
  MS0018: {
    severity: 'warning',
    meaning:
      'a principal names a namespace / service account that no workload in the list runs as, or a source namespace of the list holds no workload',
    fix: 'update the principal (after a move, the namespace part changes) or remove it',
  },
  MS0019: {
    severity: 'error',
    meaning:
      'an ALLOW rule requires principals on a port under a PERMISSIVE exception: plain-text requests carry none',
    fix: 'allow that port by port only (no from.source.principals), or keep the port STRICT',
  },
  MS0020: {
    severity: 'error',
    meaning:
      'the kube-apiserver (no mesh identity) calls a webhook / APIService backend on a port captured under STRICT',
    fix: 'a port-level PERMISSIVE exception for the container port, or exclude it from inbound capture',
  },
  MS0021: {
    severity: 'error',
    meaning: 'Alertmanager cluster gossip (9094, TCP and UDP) goes through the sidecar, which breaks it',
    fix: 'exclude 9094 from inbound and outbound capture (set-sidecar-options preset alertmanager-cluster)',
  },
  MS0022: {
    severity: 'warning',
    meaning:
      "the Thanos sidecar's gRPC port is captured under STRICT: a Thanos Query outside the mesh is refused",
    fix: 'run Thanos Query in the mesh, or a port-level PERMISSIVE exception / exclusion for the gRPC port',
  },
  MS0023: {
    severity: 'warning',
    meaning: 'a ScrapeConfig / Probe targets a STRICT mesh namespace: it cannot carry cert files',
    fix: "a scrape class with Istio's cert files (fix-pod-monitors), or scrape through a ServiceMonitor",
  },
  MS0024: {
    severity: 'warning',
    meaning: 'an ambient namespace: the sidecar cert-mount recipe and sidecar annotations do not apply there',
    fix: 'use ambient-mode scraping (ztunnel, waypoints) for it, or take it out of ambient mode',
  },
  MS0025: {
    severity: 'error',
    meaning:
      'Prometheus calls an Alertmanager behind a STRICT sidecar in plain http while its own outbound bypasses its sidecar',
    fix: 'scheme: https with the cert files on spec.alerting.alertmanagers[] (mount-istio-certs does it)',
  },
  MS0026: {
    severity: 'error',
    meaning:
      "a prometheus-operator resource does not match its CRD's schema (unknown field, wrong type, value not allowed): the API server rejects it",
    fix: 'correct the field as the message says',
  },
  MS0027: {
    severity: 'error',
    meaning: 'the ValidateMeshMetrics config failOn: warning and the list has warnings',
    fix: 'fix the warnings, or failOn: error',
  },
  MS0028: {
    severity: 'error',
    meaning:
      "NetworkPolicies isolate a scrape's target pods and admit nothing on its port (e.g. after metrics moved to 15020)",
    fix: "an ingress rule for that port from the scraper's pods",
  },
  MS0029: {
    severity: 'error',
    meaning:
      'a document or file of the input cannot be read (malformed YAML, not a resource, over a size limit): it was not validated',
    fix: 'fix that document (the message names its file and line); the rest of the input was validated',
  },
  MS0030: {
    severity: 'warning',
    meaning: 'assumeStrict names a namespace that no resource of the list is in: nothing was evaluated there',
    fix: 'name a namespace of the list (check the spelling), or render the namespace into the list',
  },
  IST0102: {
    severity: 'info',
    meaning: 'a namespace is not enabled for Istio injection',
    fix: 'label it istio-injection=enabled (or istio-injection=disabled to say it stays out)',
  },
  IST0103: {
    severity: 'warning',
    meaning: 'a Pod in an injected namespace has no Istio proxy',
    fix: 'restart or redeploy the workload',
  },
  IST0106: {
    severity: 'error',
    meaning:
      "schema validation error: the CRD schema, or Istio's own validation (wildcard + DNS without endpoints, portLevelMtls without selector, duplicate ports...)",
    fix: 'correct the field as the message says',
  },
  IST0107: {
    severity: 'warning',
    meaning:
      'an Istio annotation on a kind it does not apply to (e.g. a pod annotation on the Deployment itself)',
    fix: 'move it where it applies (a pod annotation to the pod template)',
  },
  IST0108: {
    severity: 'warning',
    meaning: "an annotation in an istio.io domain that Istio's annotation catalog does not know (a typo?)",
    fix: 'correct the name (istio/api annotation/annotations.yaml lists them)',
  },
  IST0123: {
    severity: 'warning',
    meaning: 'a namespace carries both istio-injection and istio.io/rev labels',
    fix: 'keep one injection label',
  },
  IST0125: {
    severity: 'warning',
    meaning:
      'an Istio annotation whose value the sidecar injector rejects (a port list, CIDR list, quantity, mode)',
    fix: 'correct the value as the message says',
  },
  IST0127: {
    severity: 'warning',
    meaning: "no workload in the list matches the resource's selector",
    fix: 'correct the selector labels (pod template labels)',
  },
  IST0128: {
    severity: 'warning',
    meaning:
      'a DestinationRule sets TLS mode SIMPLE / MUTUAL without caCertificates: the server is not verified',
    fix: 'set caCertificates (or credentialName with a workloadSelector)',
  },
  IST0129: {
    severity: 'warning',
    meaning: 'a DestinationRule port-level TLS SIMPLE / MUTUAL without caCertificates',
    fix: 'set caCertificates for that port',
  },
  IST0133: {
    severity: 'warning',
    meaning:
      "a schema validation warning of Istio's own validation (a selector without labels, a partial wildcard host...)",
    fix: 'correct the field as the message says',
  },
  IST0134: {
    severity: 'warning',
    meaning: 'a ServiceEntry without addresses has a TCP (or unset protocol) port',
    fix: 'set addresses, a port protocol (TLS, HTTPS, HTTP), or enable IP auto-allocation',
  },
  IST0135: {
    severity: 'info',
    meaning: 'a deprecated Istio annotation (e.g. sidecar.istio.io/inject, which is now a label)',
    fix: 'use what replaces it (the sidecar.istio.io/inject label)',
  },
  IST0167: {
    severity: 'warning',
    meaning:
      'a Sidecar resource for an ambient namespace or ambient workloads: there is no sidecar, it has no impact',
    fix: 'remove it, or take the namespace out of ambient mode',
  },
  IST0177: {
    severity: 'warning',
    meaning: 'several ServiceEntries define the same host and port with conflicting protocols',
    fix: 'one protocol per host and port',
  },
} as const satisfies Record<string, CodeInfo>;

/** A code of the catalog. */
export type Code = keyof typeof codes;
