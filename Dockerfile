# One image for both roles; docker-compose.yml picks the command (api: src/server.ts, worker: src/worker.ts).
# TypeScript runs through tsx (a runtime dependency), so there is no build step to drift from the sources.
FROM node:20-bookworm-slim
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
ENV NODE_ENV=production
USER node
# api: 3000 (webhooks, /admin, /metrics); worker: 9464 (/metrics, when BRIDGE_WORKER_METRICS_PORT is set).
EXPOSE 3000 9464
CMD ["node", "--import", "tsx", "src/server.ts"]
