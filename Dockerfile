# monasca-base: the base image for Monasca service containers. One static
# binary, plinth, is the init process, the wait scripts, the templater,
# su-exec and the health check. Layout, alternatives and the child contract:
# docs/image.md.
#
#   docker build -t monasca-base:1.0.0 .
#   scripts/build-image                  # adds build date, revision, tags
#
# Targets: monasca-base (the default, last) needs /bin/sh in the base;
# runtime has no RUN step at all and suits bases without a shell.

ARG RUST_IMAGE=rust:1-slim-bookworm
ARG BASE_IMAGE=python:3.11-slim-bookworm

# ---- build: plinth from source, offline when vendor/ is in the context ----
FROM ${RUST_IMAGE} AS build
WORKDIR /src
COPY . .
RUN set -eu; \
    offline=; \
    if [ -d vendor ]; then \
        printf '\n[source.crates-io]\nreplace-with = "vendored-sources"\n\n[source.vendored-sources]\ndirectory = "vendor"\n' \
            >> .cargo/config.toml; \
        offline=--offline; \
    fi; \
    cargo build --release --locked $offline --bin plinth
# Declared after the compile so that a new date or commit reuses its cache.
ARG BASE_CREATION_TIME=
ARG BASE_GIT_COMMIT=
ARG BASE_VERSION=1.0.0
RUN sh image/assemble target/x86_64-unknown-linux-gnu/release/plinth /out

# ---- runtime: plinth and the legacy names on any base, shell or not ----
FROM ${BASE_IMAGE} AS runtime
ARG BASE_CREATION_TIME=
ARG BASE_GIT_COMMIT=
ARG BASE_VERSION=1.0.0
ARG BASE_SOURCE=https://opendev.org/openstack/monasca-common
COPY --from=build /out/ /
ENV PYTHONIOENCODING=utf-8 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    ENV=/etc/profile.d/monasca-base.sh
LABEL org.opencontainers.image.created="${BASE_CREATION_TIME}" \
      org.opencontainers.image.title="monasca-base" \
      org.opencontainers.image.version="${BASE_VERSION}" \
      org.opencontainers.image.revision="${BASE_GIT_COMMIT}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="${BASE_SOURCE}"
ENTRYPOINT ["/usr/local/bin/plinth", "init", "--"]

# ---- monasca-base: the default; adds the child contract ----
FROM runtime AS monasca-base
RUN ["/bin/sh", "/usr/local/lib/monasca-base/finish-base"]

# Every image built FROM this one runs the triggers below. The original
# base's build arguments become labels; the child must bring start.sh and
# a health check (health_check.py, or ARG PLINTH_HEALTH=... before FROM).
ONBUILD ARG CREATION_TIME
ONBUILD ARG DOCKER_IMAGE
ONBUILD ARG APP_REPO
ONBUILD ARG GITHUB_REPO
ONBUILD ARG REPO_VERSION
ONBUILD ARG GIT_COMMIT
ONBUILD ARG CONSTRAINTS_FILE
ONBUILD ARG EXTRA_DEPS
ONBUILD ARG COMMON_REPO
ONBUILD ARG COMMON_VERSION
ONBUILD ARG COMMON_GIT_COMMIT
ONBUILD ARG PLINTH_HEALTH
ONBUILD LABEL org.opencontainers.image.created="${CREATION_TIME}" \
              org.opencontainers.image.title="${DOCKER_IMAGE}" \
              org.opencontainers.image.source="${APP_REPO}" \
              org.opencontainers.image.url="${GITHUB_REPO}" \
              org.opencontainers.image.version="${REPO_VERSION}" \
              org.opencontainers.image.revision="${GIT_COMMIT}" \
              org.openstack.constraints_uri="${CONSTRAINTS_FILE}" \
              org.openstack.extra_deps="${EXTRA_DEPS}" \
              org.openstack.common_repo="${COMMON_REPO}" \
              org.openstack.common_version="${COMMON_VERSION}" \
              org.openstack.common_git_commit="${COMMON_GIT_COMMIT}"
ONBUILD COPY start.sh health_check.p[y] /
ONBUILD RUN ["/bin/sh", "/usr/local/lib/monasca-base/onbuild"]
# The health check always runs through `plinth health`: the declared target,
# or the legacy health_check.py as a command under the same deadline.
ONBUILD ENV PLINTH_HEALTH="${PLINTH_HEALTH:-cmd python3 /health_check.py}"
ONBUILD HEALTHCHECK --interval=5s --timeout=2s \
    CMD ["/usr/local/bin/plinth", "health"]

CMD ["/start.sh"]
