/**
 * Presets: named pipelines for the two scenarios meshscrape exists for, so each is one step to ask for
 * (`render --preset NAME`, `preset: NAME` in meshscrape.yaml, Argo CD's `preset` parameter). Each is a list of
 * function configs (typed kinds) run in pipeline order; presets/NAME/README.md says what each step changes and why,
 * with the expected result on a sample (test/e2e/presets.test.ts checks it).
 */
import type { Resource } from '../krm/index.js';

/** A named pipeline. */
export interface Preset {
  name: string;
  summary: string;
  configs: readonly Resource[];
}

const config = (kind: string, name: string, fields: Record<string, unknown> = {}): Resource => ({
  apiVersion: 'meshscrape.dev/v1alpha1',
  kind,
  metadata: { name },
  ...fields,
});

/**
 * Big Bang style (kube-prometheus-stack, kube-prometheus): Prometheus keeps inbound capture and gets Istio's cert
 * files, Alertmanager's gossip leaves the sidecar, PodMonitors go through a scrape class, ServiceMonitors go https
 * where the target is STRICT, the monitoring namespace gets its STRICT policy with the exceptions the stack's own
 * callers need (no AuthorizationPolicy: a first ALLOW policy denies every caller it does not name), and the
 * validator checks the result. The first four are the bundled pipelines' steps (pipelines/kustomize, pipelines/kpt).
 */
const istioStrictMonitoring: Preset = {
  name: 'istio-strict-monitoring',
  summary:
    'Big Bang style for kube-prometheus-stack / kube-prometheus: cert mount, Alertmanager gossip, PodMonitor scrape class, ServiceMonitor TLS, policies for monitoring, validator',
  configs: [
    config('MountIstioCerts', 'mount-istio-certs', { inbound: 'mesh', scrapeClass: { name: 'istio-mtls' } }),
    config('SetSidecarOptions', 'set-sidecar-options', { preset: ['alertmanager-cluster'] }),
    config('FixPodMonitors', 'fix-pod-monitors', { strategy: 'scrape-class' }),
    config('SetMonitorTLS', 'set-monitor-tls'),
    config('GenerateMeshPolicies', 'generate-mesh-policies', {
      namespaces: ['monitoring'],
      exceptions: { preset: ['kube-prometheus-stack'] },
    }),
    config('ValidateMeshMetrics', 'validate-mesh-metrics'),
  ],
};

/**
 * The Azure Monitor ama-metrics collector out of kube-system (where Istio never injects) into `monitoring`, the
 * target allocator kept behind over plain HTTP (the one layout that works: docs/ama-metrics-relocation.md), the
 * add-on's health ports and Azure's instance metadata service out of the sidecar, Istio's cert files for the
 * collectors, their policies and egress, and the validator.
 */
/** ama-metrics workloads that run without a sidecar after the move: the Windows collector, kube-state-metrics. */
const outOfMesh = ['ama-metrics-win-node', 'ama-metrics-ksm'];

const amaMetricsIstio: Preset = {
  name: 'ama-metrics-istio',
  summary:
    'ama-metrics out of kube-system into monitoring: relocation (target allocator kept, plain HTTP), sidecar options, cert mount for the collectors, policies, validator',
  configs: [
    config('RelocateNamespace', 'relocate-namespace', {
      from: 'kube-system',
      to: 'monitoring',
      preset: 'ama-metrics',
      rewriteStrings: 'on',
      amaMetrics: { allocatorTraffic: 'plain-http' },
    }),
    config('MountIstioCerts', 'mount-istio-certs', {
      workloads: [
        {
          kind: 'Deployment',
          name: 'ama-metrics',
          namespace: 'monitoring',
          containers: ['prometheus-collector'],
        },
        {
          kind: 'DaemonSet',
          name: 'ama-metrics-node',
          namespace: 'monitoring',
          containers: ['prometheus-collector'],
        },
      ],
    }),
    config('SetSidecarOptions', 'set-sidecar-options', {
      inject: true,
      preset: ['ama-metrics', 'azure-imds'],
      select: { namespaces: ['monitoring'] },
      exclude: { names: outOfMesh },
    }),
    // Istio has no Windows sidecar, and the collector scrapes kube-state-metrics in plain text (its outbound
    // traffic leaves its sidecar): both stay out of the mesh, as they were in kube-system.
    config('SetSidecarOptions', 'keep-out-of-mesh', {
      inject: false,
      select: { namespaces: ['monitoring'], names: outOfMesh },
    }),
    config('GenerateMeshPolicies', 'generate-mesh-policies', {
      workloads: {
        namespaces: ['monitoring'],
        kinds: ['Deployment', 'DaemonSet'],
        names: ['ama-metrics', 'ama-metrics-node'],
      },
      egress: [{ namespace: 'monitoring', preset: 'azure-monitor' }],
    }),
    config('ValidateMeshMetrics', 'validate-mesh-metrics'),
  ],
};

/** Every preset, by name. */
export const presets: readonly Preset[] = [istioStrictMonitoring, amaMetricsIstio];

/** A preset by name. */
export const presetByName = (name: string): Preset | undefined => presets.find((p) => p.name === name);
