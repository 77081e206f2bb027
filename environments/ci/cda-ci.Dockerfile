# The platform's CI image, for learner pipelines: `cda` ready on PATH, nothing to install per push
# (environments/ci/gitlab-ci.yml: set CDA_IMAGE to it; docs/ci-lab.md). Build it once per platform
# release, from the repository root, on a machine that can pull, and push it to your registry:
#   docker build -f environments/ci/cda-ci.Dockerfile -t registry.example.org/cda/ci:2026.12 .
FROM debian:12.8-slim
ENV DEBIAN_FRONTEND=noninteractive
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends make python3 python3-venv git ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY . /opt/cda
# make install adds the graders' Debian packages (bubblewrap, postgresql, redis-server...) and the venv.
RUN make -C /opt/cda install && rm -rf /var/lib/apt/lists/* /root/.cache
ENV PATH=/opt/cda/.venv/bin:$PATH
WORKDIR /builds
