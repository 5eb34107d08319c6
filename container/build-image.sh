#!/usr/bin/env bash
# Builds localhost/meshscrape:vX.Y.Z (every function, picked by its config kind) and, as kpt's catalog has one
# image per function (so `kpt fn eval --image IMG -- k=v` works), localhost/meshscrape-FUNCTION:vX.Y.Z on top of it,
# and localhost/meshscrape-argocd:vX.Y.Z, the Argo CD plugin sidecar (plugin.yaml, kubectl); each also tagged vX.Y
# and vX (never latest). Offline and reproducible (--timestamp 0). Needs `npm run build` first
# and podman + runc (CI: .ci/run installs them).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=podman/env.sh
. "$root/container/podman/env.sh"
version=$(node -p "require('$root/package.json').version")
image=localhost/meshscrape
context=$root/.tmp/image
mkdir -p "$context"
"$root/container/rootfs.sh" "$root" "$context/rootfs"
podman build -q --pull=never --network none --timestamp 0 -f "$root/Dockerfile" -t "$image:v$version" "$context" >/dev/null
podman tag "$image:v$version" "$image:v${version%.*}" "$image:v${version%%.*}"
for fn in $(ls "$root/functions"); do
  printf 'FROM %s\nENTRYPOINT ["/usr/local/bin/node", "/app/bin/meshscrape", "%s"]\n' "$image:v$version" "$fn" |
    podman build -q --pull=never --network none --timestamp 0 -f - -t "$image-$fn:v$version" "$context" >/dev/null
  podman tag "$image-$fn:v$version" "$image-$fn:v${version%.*}" "$image-$fn:v${version%%.*}"
done
# The Argo CD plugin sidecar: kubectl (for kustomize sources) and plugin.yaml where the CMP server reads it.
rm -rf "$context/argocd"
mkdir -p "$context/argocd/usr/local/bin" "$context/argocd/home/argocd/cmp-server/config"
install -m 0755 "$(readlink -f "$(command -v kubectl)")" "$context/argocd/usr/local/bin/kubectl"
install -m 0644 "$root/plugin.yaml" "$context/argocd/home/argocd/cmp-server/config/plugin.yaml"
printf 'FROM %s\nCOPY argocd/ /\nUSER 999:999\nENV HOME=/tmp\n' "$image:v$version" |
  podman build -q --pull=never --network none --timestamp 0 -f - -t "$image-argocd:v$version" "$context" >/dev/null
podman tag "$image-argocd:v$version" "$image-argocd:v${version%.*}" "$image-argocd:v${version%%.*}"
podman image prune -f >/dev/null # earlier builds of the same tags, now dangling
echo "$image:v$version"
