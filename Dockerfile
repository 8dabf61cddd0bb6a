# napter-bot production image. Two stages: the build stage has the C++ toolchain better-sqlite3 compiles
# with and the TypeScript compiler; the runtime stage has only Node, the built JavaScript and the production
# dependencies. Build: `docker build -t napter-bot .`  Run: see docs/deploy.md.

FROM node:20-bookworm-slim AS build
# better-sqlite3 builds from source when no prebuilt binary matches the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    NAPTER_DB=/data/napter-bot.db
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json manifest.yml policy.example.yaml ./
# The ledger and the bot's state live in SQLite on a volume, so an upgrade or a restart keeps them.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The bot stops taking work on SIGTERM and finishes or hands back what is in flight before it exits.
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "dist/main.js"]
