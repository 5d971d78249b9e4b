# One image, two roles: the api (`node dist/server.js`, the default) and the worker (`node dist/worker.js`);
# docker-compose.yml picks the command. Production runs the compiled JavaScript with plain node: no tsx, no
# TypeScript, no compiler toolchain, and workflows bundled once at build time (docs/DEPLOY.md, "The image").
#
# Node 24 is the Active LTS line (maintained until April 2028; Node 22 until April 2027, Node 20 is past its end of
# life). The Temporal SDK, better-sqlite3 and every locked dependency support it (package.json `engines`).
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be fetched: the toolchain stays in this stage
# (unpinned: Debian's security updates replace exact versions, and nothing of it reaches the runtime image).
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
# The workspace's manifests only: npm ci checks them against the lock. Of the three packages only the bridge's code is
# copied; the sandbox and the dev tools (their emulators, pages, bench and chaos) never enter the image.
COPY package.json package-lock.json ./
COPY packages/bridge/package.json ./packages/bridge/
COPY packages/sandbox/package.json ./packages/sandbox/
COPY packages/dev-tools/package.json ./packages/dev-tools/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY packages/bridge ./packages/bridge
# dist/ (tsc) and dist/workflow-bundle*.js; then node_modules again with only the bridge's own dependencies
# (`--omit=dev --workspace channel-bridge`: nothing the sandbox or the dev tools depend on), without the links npm makes
# to the workspace folders. The Temporal core bridge ships native libraries for five platforms; only this one's is kept.
RUN npm run build \
  && npm ci --omit=dev --workspace channel-bridge --no-audit --no-fund \
  && rm -rf node_modules/channel-bridge node_modules/@channel-bridge \
  && find node_modules/@temporalio/core-bridge/releases -mindepth 1 -maxdepth 1 ! -name "$(uname -m)-unknown-linux-gnu" -exec rm -rf {} + \
  && rm -rf node_modules/@temporalio/core-bridge/sdk-core

FROM ${NODE_IMAGE} AS runtime
# NODE_OPTIONS and MALLOC_ARENA_MAX: the bridge's Node flags and process environment (packages/bridge/src/node-options.ts,
# the memory they save).
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=4 \
    MALLOC_ARENA_MAX=2 \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js \
    BRIDGE_API_HOST=0.0.0.0 \
    BRIDGE_DATA_DIR=/var/lib/channel-bridge
WORKDIR /app
COPY --from=build /app/packages/bridge/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages/bridge/dist ./dist
# The channel definition `channel register` reads (it fills in ${BRIDGE_PUBLIC_URL} from the environment).
COPY examples ./examples
# `channel-bridge …` in the container (docker compose exec api channel-bridge messages list); the SQLite folder,
# used only without BRIDGE_DATABASE_URL (mount a volume there).
RUN printf '#!/bin/sh\nexec node /app/dist/cli/index.js "$@"\n' > /usr/local/bin/channel-bridge \
  && chmod 755 /usr/local/bin/channel-bridge \
  && mkdir -p /var/lib/channel-bridge && chown node:node /var/lib/channel-bridge
# The base image's `node` user (uid 1000), numeric so orchestrators can check it is not root.
USER 1000:1000
# api: 3000 (webhooks, /admin, /metrics). The worker serves /metrics on BRIDGE_WORKER_METRICS_PORT and /healthz,
# /readyz on BRIDGE_WORKER_HEALTH_PORT when they are set (docker-compose.yml sets them).
EXPOSE 3000
# The worker when BRIDGE_WORKER_HEALTH_PORT is set, the api otherwise: /readyz answers 200 once Temporal and the
# store answer.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const e=process.env,w=Number(e.BRIDGE_WORKER_HEALTH_PORT||0),p=w||Number(e.BRIDGE_API_PORT||3000);fetch('http://127.0.0.1:'+p+'/readyz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/server.js"]
