# syntax=docker/dockerfile:1
# exa-chatops: multi-stage build. The final image has the compiled bot and production
# dependencies only, runs as the unprivileged `node` user, and reports health on /healthz.

# ---- build: compile TypeScript ------------------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY simulator ./simulator
RUN npm run build

# ---- deps: production dependencies only ---------------------------------------------------
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime ------------------------------------------------------------------------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/app/data \
    PORT=3000
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json manifest.yml ./
# The journal and audit log live here: mount a volume so they survive the container.
RUN mkdir -p /app/data && chown node:node /app/data && chmod 700 /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 3000
# Liveness: /healthz answers 200 while the process serves (readiness is in its body and on /readyz).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Secrets come as files (SLACK_BOT_TOKEN_FILE, EXA_PASSWORD_FILE, … → /run/secrets/…), never as build args.
CMD ["node", "dist/src/main.js"]
