"""One pytest session of a graded run, the same whether its process is a fresh interpreter
(pytest_child.py, a cold run) or a fork of the warm zygote (zygote.py).

The submission is appended to sys.path, after the standard library and site-packages, so it cannot
shadow them; only the trusted tests folder is collected, with the trusted ini file.
"""

import os
import sys

RUNNER_DIR = os.path.dirname(os.path.abspath(__file__))


def quiet_environment():
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    for name in ("PYTEST_ADDOPTS", "PYTEST_PLUGINS"):
        os.environ.pop(name, None)


def run_session(key, start_seq, done, workspace, tests_dir, results_file, per_test_timeout, extra=()):
    """pytest.main on the trusted tests; returns its exit status."""
    import cda_pytest_plugin
    import pytest

    recorder = cda_pytest_plugin.Recorder(results_file, key, workspace, start_seq, done)
    del key
    if RUNNER_DIR in sys.path:
        sys.path.remove(RUNNER_DIR)
    sys.path.append(workspace)
    return pytest.main(
        [
            tests_dir,
            "-c", os.path.join(RUNNER_DIR, "pytest.ini"),
            "--rootdir", tests_dir,
            "--confcutdir", tests_dir,
            "--import-mode=importlib",
            "--continue-on-collection-errors",
            "-p", "pytest_timeout",
            "--timeout", per_test_timeout,
            "-p", "no:cacheprovider",
            "-p", "no:stepwise",
            "-q", "--tb=short", "-rN",
            *extra,
        ],
        plugins=[recorder],
    )
