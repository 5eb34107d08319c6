#!/usr/bin/env bash
# Builds, offline, with the repository's Dockerfile: localhost/meshscrape:vX.Y.Z (every function, picked by its
# config kind), one image per function as in kpt's catalog (so `kpt fn eval --image IMG -- k=v` works),
# localhost/meshscrape-FUNCTION:vX.Y.Z, and the Argo CD plugin sidecar (Dockerfile target `sidecar`),
# localhost/meshscrape-argocd:vX.Y.Z. Each is also tagged vX.Y and vX, never latest: a floating tag names a
# compatible line, and `latest` would say nothing about which one.
# These machines reach no container registry, so the Dockerfile's base images are passed as build arguments:
# NODE_BASE is assembled from this machine's node (container/rootfs.sh), KUBECTL_IMAGE holds this machine's kubectl,
# and APP_FROM=prebuilt takes bin/ and dist/ from `npm run build` on the host instead of running npm ci in a
# container. Reproducible (--timestamp 0). Needs `npm run build` first and podman + runc (CI: .ci/run installs them).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=podman/env.sh
. "$root/container/podman/env.sh"
[ -f "$root/dist/meshscrape.cjs" ] || { echo "no $root/dist/meshscrape.cjs: run npm run build first" >&2; exit 1; }
version=$(node -p "require('$root/package.json').version")
source_url=$(node -p "require('$root/package.json').repository.url.replace(/^git\+/, '').replace(/\.git$/, '')")
image=localhost/meshscrape
context=$root/.tmp/image
build() { podman build -q --pull=never --network none --timestamp 0 "$@" >/dev/null; }
# Every tag of one image: vX.Y.Z, vX.Y, vX.
tags() { podman tag "$1:v$version" "$1:v${version%.*}" "$1:v${version%%.*}"; }

rm -rf "$context"
mkdir -p "$context/kubectl/bin"
"$root/container/rootfs.sh" "$context/rootfs"
printf 'FROM scratch\nCOPY rootfs/ /\n' | build -f - -t "$image-node:v$version" "$context"
install -m 0755 "$(readlink -f "$(command -v kubectl)")" "$context/kubectl/bin/kubectl"
printf 'FROM scratch\nCOPY kubectl/ /\n' | build -f - -t "$image-kubectl:v$version" "$context"

args=(--build-arg "NODE_BASE=$image-node:v$version" --build-arg "KUBECTL_IMAGE=$image-kubectl:v$version"
  --build-arg APP_FROM=prebuilt --build-arg "VERSION=$version" --build-arg "SOURCE_URL=$source_url"
  -f "$root/Dockerfile")
build "${args[@]}" --target runtime -t "$image:v$version" "$root"
tags "$image"
for fn in $(ls "$root/functions"); do
  printf 'FROM %s\nLABEL org.opencontainers.image.title=meshscrape-%s\nENTRYPOINT ["/usr/local/bin/node", "/app/bin/meshscrape", "%s"]\n' \
    "$image:v$version" "$fn" "$fn" |
    build -f - -t "$image-$fn:v$version" "$context"
  tags "$image-$fn"
done
build "${args[@]}" --target sidecar -t "$image-argocd:v$version" "$root"
tags "$image-argocd"
podman image prune -f >/dev/null # earlier builds of the same tags, now dangling
echo "$image:v$version"
