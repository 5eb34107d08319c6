/**
 * Schema checks for the prometheus-operator kinds beyond ServiceMonitor and PodMonitor (Prometheus,
 * PrometheusAgent, ScrapeConfig, Probe), against the operator's own CRDs vendored in test/fixtures/crds (see
 * SOURCE there), validated with ajv as crd-schema.ts does for the others. This replaced
 * @kubernetes-models/prometheus-operator, whose dependencies require Node 22 and warned on every `npm ci` here.
 */
import { join } from 'node:path';
import { crdValidatorOfKind } from './crd-schema.js';

const crds = join(import.meta.dirname, '..', 'fixtures', 'crds');
const kinds = [
  { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', file: 'prometheuses.yaml' },
  { apiVersion: 'monitoring.coreos.com/v1alpha1', kind: 'PrometheusAgent', file: 'prometheusagents.yaml' },
  { apiVersion: 'monitoring.coreos.com/v1alpha1', kind: 'ScrapeConfig', file: 'scrapeconfigs.yaml' },
  { apiVersion: 'monitoring.coreos.com/v1', kind: 'Probe', file: 'probes.yaml' },
];
const validators = new Map<string, (resource: unknown) => string[]>();

/** apiVersion and kind of each checked kind. */
export const modelKinds = kinds.map(({ apiVersion, kind }) => ({ apiVersion, kind }));

/** Problems of `resource` against its CRD, as readable strings; [] when valid. */
export function modelProblems(resource: { apiVersion: string; kind: string }): string[] {
  const entry = kinds.find((k) => k.apiVersion === resource.apiVersion && k.kind === resource.kind);
  if (!entry) throw new Error(`no operator CRD for ${resource.apiVersion} ${resource.kind}`);
  let validate = validators.get(entry.kind);
  if (!validate) {
    validate = crdValidatorOfKind(
      join(crds, entry.file),
      entry.kind,
      entry.apiVersion.split('/')[1] as string,
    );
    validators.set(entry.kind, validate);
  }
  return validate(resource);
}
