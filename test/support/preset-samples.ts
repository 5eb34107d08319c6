/** The sample each preset is shown on (presets/NAME/README.md), relative to the repository as render names it. */
export const presetSamples: Readonly<Record<string, string>> = {
  'istio-strict-monitoring': 'pipelines/example',
  'ama-metrics-istio': 'presets/ama-metrics-istio/sample',
};
