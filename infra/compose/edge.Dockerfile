# syntax=docker/dockerfile:1
#
# The compose edge: nginx with nginx.conf, serving apps/web's build at the API's origin. Built by
# compose.yaml (service `edge`) from the repository root:
#
#   docker build -f infra/compose/edge.Dockerfile -t platform-edge .
#
# The build stages follow infra/docker/Dockerfile (same base, pnpm from npm, turbo prune, frozen
# lockfile), but the result is static files, so the runtime is nginx rather than node.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS prune
ENV TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
# Must match the turbo devDependency in the root package.json.
ARG TURBO_VERSION=2.11.11
RUN npm install --global "turbo@${TURBO_VERSION}" && npm cache clean --force
WORKDIR /repo
COPY . .
RUN turbo prune @platform/web --docker

FROM ${NODE_IMAGE} AS build
ENV TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 CI=true
ARG PNPM_VERSION=10.34.9
RUN npm install --global "pnpm@${PNPM_VERSION}" && npm cache clean --force
# The web app's test dependencies reach the services' native addons; the same compilers as the app images.
RUN apt-get update \
 && apt-get install --yes --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /repo
COPY --from=prune /repo/out/json/ ./
COPY --from=prune /repo/out/pnpm-lock.yaml ./
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --store-dir /pnpm/store
COPY --from=prune /repo/out/full/ ./
COPY tsconfig.base.json ./
RUN pnpm turbo run build --filter=@platform/web \
 && test -f apps/web/dist/index.html

FROM nginx:1.28.0-alpine AS edge
# nginx's own welcome page and 50x.html must not be served as if they were the app's.
RUN rm -rf /usr/share/nginx/html/*
COPY infra/compose/nginx.conf /etc/nginx/conf.d/default.conf
COPY infra/compose/edge-headers.conf /etc/nginx/edge-headers.conf
COPY --from=build /repo/apps/web/dist/ /usr/share/nginx/html/
EXPOSE 8080
