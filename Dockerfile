# syntax=docker/dockerfile:1
# ESXi Backup Manager: `docker build -t esxi-backup-manager .` then
#   docker run -d -p 8000:8000 -v ebm-data:/data esxi-backup-manager
# With no DATABASE_URL the app keeps an embedded PGlite database in /data/pg (run ONE container per volume);
# /data also holds the generated app-secret, which encrypts the ESXi passwords: back the volume up.

ARG NODE_IMAGE=node:24-bookworm-slim

# --- build: compile TypeScript, then drop the dev dependencies ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
COPY package.json package-lock.json ./
RUN npm ci --loglevel=error
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY views ./views
COPY drizzle ./drizzle
COPY public ./public
RUN npm run build \
 && npm prune --omit=dev --loglevel=error \
 && mkdir -p src/vsphere/wsdl

# --- runtime ---
FROM ${NODE_IMAGE} AS runtime
# postgresql-client: pg_dump/psql for database backups; tini: PID 1 that forwards SIGTERM and reaps children.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-client tini ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system app \
 && useradd --system --gid app --home-dir /app --shell /usr/sbin/nologin app \
 && mkdir -p /data \
 && chown app:app /data

WORKDIR /app
ENV NODE_ENV=production \
    PORT=8000 \
    HOST=0.0.0.0 \
    DATA_DIR=/data \
    LOG_LEVEL=info

COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/drizzle ./drizzle
COPY --from=build /app/public ./public
# tsc does not copy the vim25 WSDL: dist/src/vsphere reads it from src/vsphere/wsdl.
COPY --from=build /app/src/vsphere/wsdl ./src/vsphere/wsdl

USER app
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/index.js"]
