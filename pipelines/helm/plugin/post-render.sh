#!/bin/sh
# The Helm 4 plugin's command: the pipeline files Helm passes (--post-renderer-args), else meshscrape.yaml here.
set -eu
[ $# -gt 0 ] || set -- "${HELM_PLUGIN_DIR:-$(cd "$(dirname "$0")" && pwd)}/meshscrape.yaml"
exec meshscrape post-render "$@"
