# The meshscrape KRM function image: node, the one bundled module, nothing else (no shell, no package manager).
# Built from a root filesystem that container/build-image.sh assembles (no base image: no registry is needed), run
# by kpt and kustomize as nobody with --network none. `npm run image` builds it.
FROM scratch
COPY rootfs/ /
USER 65534:65534
WORKDIR /tmp
ENTRYPOINT ["/usr/local/bin/node", "/app/bin/meshscrape"]
