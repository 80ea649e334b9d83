# syntax=docker/dockerfile:1
# One image for every Accord app (README "Deploying"): the container's command names the built entry
# point of the app it runs, e.g. `dist/apps/membership-service/src/main.js`; the gateway's is the
# default. docker-compose.yml and k8s/ run this image with one command per app.
#
#   docker build -t accord:local .
#   docker run --rm accord:local dist/apps/cli/src/main.js --help
#
# tools/deploy/dockerfile.unit.spec.ts checks the shape of this file (`npm test`).

# Node 22 LTS, pinned to a patch release so that two builds run the same runtime. Both stages read
# it: bump it here when Node ships a security release (`--build-arg NODE_IMAGE=…` tries another).
ARG NODE_IMAGE=node:22.22.0-bookworm-slim

# --- Stage 1: every dependency (TypeScript, Nx, tsc-alias) and `npm run build` → dist/ ----------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# No Nx daemon or remote cache inside a one-shot build.
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true
# The lockfile first: the `npm ci` layer is reused until a dependency changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# --- Stage 2: what runs: production dependencies, the built JavaScript, no sources, no compiler --
FROM ${NODE_IMAGE} AS runtime
# tini is PID 1: it forwards SIGTERM to node (each app drains and closes on it) and reaps zombies.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*
# HOST: the gateway listens on every interface of its container (its default is loopback only).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    HEALTHCHECK_URL=http://127.0.0.1:3000/health
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no production dependency needs its install script (the two that have one only
# print a donation notice or send install analytics).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY tools/deploy/healthcheck.js ./tools/deploy/healthcheck.js
# The code stays owned by root, so the process cannot rewrite it. Only the embedded profile
# (dist/apps/platform/src/main.js) writes files: to DATA_DIR, by default ./data (mount a volume there).
RUN mkdir -p /app/data && chown node:node /app/data
USER node
# 3000: the gateway's HTTP port (PORT); 9464: each NATS service's ops port (OPS_PORT: /health, /metrics).
EXPOSE 3000 9464
# Slim images have no curl or wget: a few lines of Node ask HEALTHCHECK_URL (the gateway's /health
# by default; a service sets it to http://127.0.0.1:9464/health/live) and exit 0 on a 2xx answer.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "/app/tools/deploy/healthcheck.js"]
ENTRYPOINT ["/usr/bin/tini", "--", "node"]
CMD ["dist/apps/gateway/src/main.js"]
