/**
 * Built-in knowledge of charts (`preset`). `ama-metrics`: the Azure Monitor managed Prometheus add-on
 * (../shared/domain.md section 5). Its target allocator's address and TLS material are compiled into the collector
 * image and created at run time in kube-system, so the allocator, its Service and the AKS token Secret stay.
 */
import type { RelocateNamespaceConfig } from './config.js';

const amaKeeps = [
  { kind: 'Deployment', name: 'ama-metrics-operator-targets' },
  { kind: 'Service', name: 'ama-metrics-operator-targets' },
  { kind: 'Secret', name: 'aad-msi-auth-token' },
];

/** Keep entries a preset adds to `keep`. */
export function presetKeeps(config: RelocateNamespaceConfig): { kind: string; name: string }[] {
  return config.preset === 'ama-metrics' ? amaKeeps : [];
}

/** Services whose name is compiled into an image: the config's and the preset's. */
export function compiledServiceNames(config: RelocateNamespaceConfig): Set<string> {
  const names = new Set(config.compiledServiceNames);
  if (config.preset === 'ama-metrics') names.add('ama-metrics-operator-targets');
  return names;
}
