/**
 * Type checks for prometheus-operator kinds whose CRDs the repository does not vendor (Prometheus, PrometheusAgent,
 * ScrapeConfig, Probe): the schemas of @kubernetes-models/prometheus-operator, generated from the operator's Go API
 * types. They check field types and required fields, not unknown fields or enums, so they complement (never
 * replace) the CRD checks in crd-schema.ts.
 */

import { Probe } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Probe';
import { Prometheus } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus';
import { PrometheusAgent } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/PrometheusAgent';
import { ScrapeConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/ScrapeConfig';

type ModelClass = { apiVersion: string; kind: string; new (data: never): { validate(): void } };
const models: ModelClass[] = [Prometheus, PrometheusAgent, ScrapeConfig, Probe] as unknown as ModelClass[];

/** apiVersion and kind of each model-checked kind. */
export const modelKinds = models.map((m) => ({ apiVersion: m.apiVersion, kind: m.kind }));

/** Problems of `resource` against its operator model, as readable strings; [] when valid. */
export function modelProblems(resource: { apiVersion: string; kind: string }): string[] {
  const model = models.find((m) => m.apiVersion === resource.apiVersion && m.kind === resource.kind);
  if (!model) throw new Error(`no operator model for ${resource.apiVersion} ${resource.kind}`);
  try {
    new model(resource as never).validate();
    return [];
  } catch (error) {
    return [String(error)];
  }
}
