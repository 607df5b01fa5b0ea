# wasmnn serve in a container: the digit-recognition page, POST /api/predict, /healthz (liveness),
# /readyz (readiness), /metrics (Prometheus). Configure with WASMNN_* variables (docs/DEPLOY.md).
#   docker build -t wasmnn .
#   docker run --rm -p 8080:8080 -e WASMNN_ACCESS_LOG=json wasmnn

# Build: compiles the WASM kernels and the TypeScript, then packs the package exactly as npm
# would publish it, so the runtime stage gets the same files a registry install gets.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build \
 && npm pack --ignore-scripts --pack-destination /tmp \
 && mv /tmp/wasmnn-*.tgz /tmp/wasmnn.tgz

# Runtime: the packed files (prebuilt dist/ and the pretrained model) and the production
# dependencies from the lock file; no compiler, no dev dependencies, no install scripts.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    WASMNN_HOST=0.0.0.0 \
    WASMNN_PORT=8080
WORKDIR /app
COPY --from=build /tmp/wasmnn.tgz /tmp/wasmnn.tgz
COPY --from=build /src/package-lock.json ./
RUN tar -xzf /tmp/wasmnn.tgz --strip-components=1 \
 && rm /tmp/wasmnn.tgz \
 && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
# The files stay root-owned and read-only to the server, which runs as the image's unprivileged user.
USER node
EXPOSE 8080
# Liveness only: readiness (/readyz) is for the orchestrator's probe, see docs/DEPLOY.md.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.WASMNN_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/cli.js", "serve"]
