# Image for the docker sandbox backend (CDA_DOCKER_IMAGE, default cda-grader:latest).
# Build from the repository root: docker build -f environments/grader.Dockerfile -t cda-grader .
# The venv sits at the same path as on the host so the grader's argv (sys.executable) works inside.
FROM debian:12.8-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv util-linux \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.lock /tmp/requirements.lock
ARG VENV=/work/main/.venv
RUN python3 -m venv "$VENV" && "$VENV/bin/pip" install --no-cache-dir --require-hashes -r /tmp/requirements.lock
USER 65534:65534
WORKDIR /workspace
HEALTHCHECK NONE
