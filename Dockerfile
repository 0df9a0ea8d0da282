# scoracle in a container: Debian bookworm (amd64: the Makefile links
# OpenBLAS's serial variant by its x86_64 path), built with `make`, served
# by an unprivileged user with its state on a volume.
#
#   docker build -t scoracle .
#   docker run -d -p 8080:8080 -v scoracle-state:/var/lib/scoracle \
#     --env-file scoracled.env scoracle
#
# scoracled.env holds SCORACLE_ADMIN_TOKEN=...; without it the first start
# generates one into the volume and prints it once (docker logs).
# Replicas on PostgreSQL: deploy/compose.yaml and deploy/k8s/ run this
# image with --store and --master-key (deploy/README.md).

FROM debian:bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential pkg-config libmicrohttpd-dev libjansson-dev \
      libopenblas-serial-dev libsodium-dev libsqlite3-dev libpq-dev \
      libdouble-conversion-dev npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Only the daemon and the web arena's tree (npm ci fetches its pinned
# libraries): tests, benches and the C client example need more.
RUN make build/scoracled build/web/index.html

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libmicrohttpd12 libjansson4 libopenblas0-serial libsodium23 \
      libsqlite3-0 libpq5 libdouble-conversion3 curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --user-group --uid 10001 --home-dir /var/lib/scoracle \
      --shell /usr/sbin/nologin scoracle \
 && install -d -m 0700 -o scoracle -g scoracle /var/lib/scoracle
# The daemon finds proto/openapi.yaml next to its build folder.  The
# user's uid is fixed (10001) so that a mounted master key can be owned
# by it (deploy/README.md).
WORKDIR /opt/scoracle
COPY --from=build /src/build/scoracled build/scoracled
COPY --from=build /src/proto/openapi.yaml proto/openapi.yaml
COPY --from=build /src/build/web build/web

USER scoracle
VOLUME ["/var/lib/scoracle"]
EXPOSE 8080
ENV OPENBLAS_NUM_THREADS=1
# SIGTERM drains in-flight requests; give big batches time to finish.
STOPSIGNAL SIGTERM
# Ready: serving, the store answering, the keys loaded.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["build/scoracled"]
CMD ["--listen", "0.0.0.0:8080", "--state", "/var/lib/scoracle"]
