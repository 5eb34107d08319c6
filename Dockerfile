# syntax=docker/dockerfile:1
# The meshscrape KRM function image, and (target `sidecar`) the Argo CD plugin sidecar.
#
#   docker build -t meshscrape:v0.1.0 .                      # or: podman build -t ... .
#   docker build --target sidecar -t meshscrape-argocd:v0.1.0 .
#
# Stage `build` runs `npm ci` and `npm run build` in BUILD_BASE; the runtime stage copies the launcher and the one
# bundled module onto NODE_BASE, which must have node at /usr/local/bin/node (the official node images do; the
# exec-form entrypoint names it, no shell is needed). Offline, container/build-image.sh passes a base assembled
# from this machine's node (NODE_BASE=localhost/meshscrape-node:vX.Y.Z), a kubectl image of this machine's kubectl
# (KUBECTL_IMAGE) and APP_FROM=prebuilt, which takes bin/ and dist/ from the context (`npm run build` on the host)
# instead of running stage `build`, so no registry is reached.
ARG BUILD_BASE=docker.io/library/node:20-bookworm-slim
ARG NODE_BASE=docker.io/library/node:20-bookworm-slim
# Kubernetes' own kubectl image (kubectl at /bin/kubectl); only the sidecar target needs it.
ARG KUBECTL_IMAGE=registry.k8s.io/kubectl:v1.32.4
# `build` (npm ci + npm run build in BUILD_BASE) or `prebuilt` (bin/ and dist/ of the context, built on the host).
ARG APP_FROM=build

FROM ${BUILD_BASE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && mkdir -p /app/bin /app/dist \
  && cp bin/meshscrape /app/bin/ && cp dist/meshscrape.cjs dist/meshscrape.cjs.cache /app/dist/ && cp package.json /app/

FROM scratch AS prebuilt
COPY bin/meshscrape /app/bin/meshscrape
COPY dist/meshscrape.cjs dist/meshscrape.cjs.cache /app/dist/
COPY package.json /app/package.json

# The chosen stage's /app (a FROM, since COPY --from takes no build argument).
FROM ${APP_FROM} AS app

FROM ${KUBECTL_IMAGE} AS kubectl

FROM ${NODE_BASE} AS runtime
ARG VERSION=0.1.0
ARG SOURCE_URL=https://github.com/meshscrape/meshscrape
LABEL org.opencontainers.image.title="meshscrape" \
      org.opencontainers.image.description="KRM functions that make Prometheus scraping work under Istio STRICT mTLS" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=app /app/ /app/
# kpt and kustomize run functions as nobody; so does the image when run by hand.
USER 65534:65534
WORKDIR /tmp
ENTRYPOINT ["/usr/local/bin/node", "/app/bin/meshscrape"]

# The Argo CD config management plugin sidecar: plugin.yaml where the CMP server reads it, kubectl for kustomize
# sources; Argo CD runs the sidecar as uid 999.
FROM runtime AS sidecar
COPY --from=kubectl /bin/kubectl /usr/local/bin/kubectl
COPY plugin.yaml /home/argocd/cmp-server/config/plugin.yaml
USER 999:999
ENV HOME=/tmp
