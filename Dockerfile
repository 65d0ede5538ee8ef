# Gatehouse: one container with the BFF serving the built SPA.
# Build:  docker build -t gatehouse .
# Run:    docker run --env-file .env -p 3080:3080 -v gatehouse-data:/app/data gatehouse
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN npm i -g pnpm@12.4.2 && apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY . .
RUN pnpm install --frozen-lockfile && pnpm build \
  && pnpm deploy --filter @gatehouse/bff --prod --legacy /out \
  && cp -r apps/bff/dist /out/dist && mkdir -p /out/web && cp -r apps/web/dist /out/web/dist

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3080 GATEHOUSE_WEB_DIST=/app/web/dist
# glibc keeps up to 64 MiB of freed heap instead of handing it back at 128 KiB: the download proxy
# frees a 64 KiB buffer per socket read, and faulting them back in cost up to 5x the CPU per byte
# (docs/attachments.md, "Download throughput"). bench/download.ts runs the BFF with the same value.
ENV MALLOC_TRIM_THRESHOLD_=67108864
WORKDIR /app
COPY --from=build /out /app
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
EXPOSE 3080
VOLUME ["/app/data"]
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/main.js"]
