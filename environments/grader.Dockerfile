# An image of your own for the docker sandbox backend, on a machine that can pull from a registry.
# Without one, the backend builds its image offline from the host's files (graders/sandbox/docker_image.py).
# Build from the repository root, with the venv at the path the grader itself runs from:
#   docker build -f environments/grader.Dockerfile --build-arg VENV="$PWD/.venv" -t cda-grader:own .
#   CDA_DOCKER_IMAGE=cda-grader:own .venv/bin/cda grade --sandbox docker LAB SUBMISSION
# The venv sits at the same path as on the host so the grader's argv (sys.executable) works inside.
# util-linux: prlimit (the address-space limit); postgresql-client: psql for the SQL lab.
FROM debian:12.8-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv util-linux \
    postgresql-client git && rm -rf /var/lib/apt/lists/*
COPY requirements.lock /tmp/requirements.lock
ARG VENV=/work/main/.venv
RUN python3 -m venv "$VENV" && "$VENV/bin/pip" install --no-cache-dir --require-hashes -r /tmp/requirements.lock
USER 65534:65534
HEALTHCHECK NONE
