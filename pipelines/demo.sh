#!/usr/bin/env bash
# Renders the bundled example (pipelines/example) with the functions through the real kubectl kustomize,
# using meshscrape's legacy kustomize plugins, and prints the result. Run from anywhere: npm run demo.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
plugins="$(mktemp -d)"
trap 'rm -rf "$plugins"' EXIT
"$root/bin/meshscrape" install-kustomize-plugins "$plugins" >/dev/null
echo "# kubectl kustomize --enable-alpha-plugins pipelines/kustomize (mount-istio-certs, set-sidecar-options, fix-pod-monitors, set-monitor-tls)" >&2
KUSTOMIZE_PLUGIN_HOME="$plugins" kubectl kustomize --enable-alpha-plugins "$root/pipelines/kustomize"
