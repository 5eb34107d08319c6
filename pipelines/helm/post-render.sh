#!/bin/sh
# Helm post-renderer that needs no --post-renderer-args: runs the pipeline in meshscrape.yaml beside it.
#   helm template REL CHART --post-renderer pipelines/helm/post-render.sh
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../../bin/meshscrape" post-render "$here/meshscrape.yaml"
