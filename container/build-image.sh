#!/usr/bin/env bash
# Builds localhost/meshscrape:vX.Y.Z (every function, picked by its config kind) and, as kpt's catalog has one
# image per function (so `kpt fn eval --image IMG -- k=v` works), localhost/meshscrape-FUNCTION:vX.Y.Z on top of it,
# each also tagged vX.Y and vX (never latest). Offline and reproducible (--timestamp 0). Needs `npm run build` first
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
podman image prune -f >/dev/null # earlier builds of the same tags, now dangling
echo "$image:v$version"
