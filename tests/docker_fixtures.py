"""pytest fixtures for the docker backend on a real engine: import them where they are used.

`docker_host` is an engine for the whole session: the one that answers (DOCKER_HOST, default
socket), else a private dockerd the session starts and its last user stops. `docker_sandbox` is
the docker backend on it, with the grader image built from this host's files (cached). Where no
engine can be had, the tests that use them are skipped with the reason.
"""

from __future__ import annotations

import os
import time
from contextlib import ExitStack

import pytest


@pytest.fixture(scope="session")
def docker_host():
    from graders.sandbox.docker_engine import docker_engine

    with ExitStack() as stack:
        start = time.monotonic()
        try:
            url = stack.enter_context(docker_engine())
        except RuntimeError as exc:
            pytest.skip(f"no Docker engine here: {exc}")
        print(f"\ndocker engine {url} ready in {time.monotonic() - start:.1f} s")
        previous = os.environ.get("DOCKER_HOST")
        os.environ["DOCKER_HOST"] = url
        try:
            yield url
        finally:
            if previous is None:
                os.environ.pop("DOCKER_HOST", None)
            else:
                os.environ["DOCKER_HOST"] = previous


@pytest.fixture(scope="session")
def docker_sandbox(docker_host):
    from graders.errors import GraderUnavailable
    from graders.sandbox.docker_backend import DockerSandbox

    start = time.monotonic()
    try:
        sandbox = DockerSandbox()
    except GraderUnavailable as exc:
        pytest.skip(f"no docker grader image here: {exc}")
    print(f"\ndocker grader image {sandbox.image} ready in {time.monotonic() - start:.1f} s")
    return sandbox
