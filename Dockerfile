# syntax=docker/dockerfile:1
# exa-chatops: multi-stage build on the current Node LTS (24). The final image has the compiled bot
# and production dependencies only (no simulator, no demo, no TypeScript tooling), runs as the
# numeric user 1000:1000 (so Kubernetes runAsNonRoot accepts it), and reports liveness on /healthz.

# ---- build: compile TypeScript ------------------------------------------------------------
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY simulator ./simulator
# The simulator and the demo are for development only: built (the demo needs both), then dropped.
RUN npm run build && rm -rf dist/simulator dist/src/demo.js dist/src/console

# ---- deps: production dependencies only ---------------------------------------------------
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime ------------------------------------------------------------------------------
FROM node:24-bookworm-slim
# Encrypted credential profiles live on the data volume: `node dist/src/credentials-cli.js add …`
# run in the image writes them where the bot reads them.
ENV NODE_ENV=production \
    DATA_DIR=/app/data \
    EXA_CREDENTIALS_FILE=/app/data/exa-credentials.json \
    PORT=3000
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json manifest.yml ./
# The journal and audit log live here: mount a volume so they survive the container.
RUN mkdir -p /app/data && chown 1000:1000 /app/data && chmod 700 /app/data
VOLUME ["/app/data"]
USER 1000:1000
EXPOSE 3000
# Liveness only: /healthz answers 200 while the process serves (readiness is /readyz), on
# HEALTH_PORT when health has a port of its own.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HEALTH_PORT || process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Secrets come as files (SLACK_BOT_TOKEN_FILE, EXA_PASSWORD_FILE, … → /run/secrets/…), never as build args.
CMD ["node", "dist/src/main.js"]
