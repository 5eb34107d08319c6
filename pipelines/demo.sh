#!/usr/bin/env bash
# Renders the bundled example (pipelines/example) with meshscrape render: kubectl kustomize builds it, then the
# pipeline (pipelines/helm/meshscrape.yaml, the same four steps as pipelines/kustomize) runs on it. What changed goes
# to stderr first, in short (`meshscrape render DIR` without --summary short prints every result), then the
# manifests to stdout. Run from anywhere: npm run demo.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
app="$(mktemp -d)"
trap 'rm -rf "$app"' EXIT
cp "$root"/pipelines/example/*.yaml "$app"
cp "$root/pipelines/helm/meshscrape.yaml" "$app/meshscrape.yaml"
# The summary before the manifests: render holds stdout until the run is done, so print stderr first.
out="$("$root/bin/meshscrape" render "$app" --summary short 2> >(sed "s|$app|pipelines/example|" >&2))"
wait
printf '%s\n' "$out"
