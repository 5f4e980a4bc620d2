# syntax=docker/dockerfile:1
# MarketGraph: the `mkg` command (GraphQL API by default). TypeScript runs directly on Node 24
# (type stripping), so there is no compile step: the build stage only installs production
# dependencies from the lockfile, and the runtime stage copies them next to the sources.
#
#   docker build -t marketgraph .
#   docker run --rm -p 4000:4000 -v mkg-data:/data marketgraph          # embedded SQLite in /data
#   docker run --rm marketgraph migrate                                  # any mkg command

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only, exactly as locked (sqlite-vec's prebuilt linux binary included;
# no package needs an install script). If the lockfile ever goes out of sync with package.json,
# `npm ci` stops here: refresh it with `npm install` rather than weakening this step.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    MKG_DB=/data/graph.db \
    PORT=4000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY schema ./schema
COPY extraction ./extraction
COPY graph ./graph
COPY pipelines ./pipelines
COPY api ./api
COPY cli ./cli
# The embedded store's directory, writable by the unprivileged `node` user of the base image.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 4000
# /health answers 200 once the server listens (it only listens after the stores checked out).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 4000}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "cli/mkg.ts"]
CMD ["serve", "--host", "0.0.0.0"]
