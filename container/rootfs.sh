#!/usr/bin/env bash
# Assembles in OUT the root filesystem of the offline node base image (the Dockerfile's NODE_BASE when no registry
# is reachable): this machine's node binary at /usr/local/bin/node, as in the official node images, with the shared
# libraries it loads, and passwd/group entries for nobody (kpt and kustomize run functions with --user nobody). No
# shell, no package manager. The Dockerfile adds the launcher and the bundle.
# Usage: container/rootfs.sh OUT
set -euo pipefail
out=${1:?output directory}
node_bin=$(readlink -f "$(command -v node)")
rm -rf "$out"
mkdir -p "$out"/{usr/local/bin,etc,tmp}
chmod 1777 "$out/tmp"
install -m 0755 "$node_bin" "$out/usr/local/bin/node"
# Every library ldd names (the dynamic loader included), dereferenced, at the path node looks for it.
ldd "$node_bin" | grep -oE '/[^ ]+' | sort -u | while read -r lib; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
# nobody for kpt and kustomize; argocd (999) for the Argo CD plugin sidecar.
printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nargocd:x:999:999:argocd:/home/argocd:/sbin/nologin\n' >"$out/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\nargocd:x:999:\n' >"$out/etc/group"
