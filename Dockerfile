# The API and console as one image. Run it with a real PostgreSQL (DATABASE_URL);
# see docker-compose.yml.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json schema.graphql ./
COPY api ./api
COPY migrations ./migrations
COPY bench ./bench
COPY admin ./admin
RUN npm run build && npm run build:admin && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=4000
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json schema.graphql ./
COPY api/src/demo ./api/src/demo
COPY --from=build /app/admin/dist ./admin/dist
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:4000/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/api/src/main.js"]
