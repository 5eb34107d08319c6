#!/usr/bin/env bash
# Assembles the image's root filesystem in OUT from the built project in SRC: this machine's node binary with the
# shared libraries it loads, the bundled module and its launcher, and passwd/group entries for nobody (kpt and
# kustomize run functions with --user nobody).
# Usage: container/rootfs.sh SRC OUT
set -euo pipefail
src=${1:?project directory}
out=${2:?output directory}
[ -f "$src/dist/meshscrape.cjs" ] || { echo "no $src/dist/meshscrape.cjs: run npm run build first" >&2; exit 1; }
node_bin=$(readlink -f "$(command -v node)")
rm -rf "$out"
mkdir -p "$out"/{usr/local/bin,etc,tmp,app/bin,app/dist}
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
install -m 0755 "$src/bin/meshscrape" "$out/app/bin/meshscrape"
# The bundle and its V8 code cache (made with this same node binary, so the image starts from it too).
install -m 0644 "$src/dist/meshscrape.cjs" "$src/dist/meshscrape.cjs.cache" "$out/app/dist/"
# What the launcher reads of package.json: "type" (it is an ES module) and name/version (--version).
node -e 'const p=require(process.argv[1]); console.log(JSON.stringify({name:p.name,version:p.version,type:p.type}))' \
  "$src/package.json" >"$out/app/package.json"
