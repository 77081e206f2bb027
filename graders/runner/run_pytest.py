"""Entry point of a graded pytest run inside the sandbox (started with `python -I`).

argv: WORKSPACE TESTS_DIR RESULTS_FILE PER_TEST_TIMEOUT_S
The submission is appended to sys.path, after the standard library and site-packages, so it
cannot shadow them; only the trusted tests folder is collected, with the trusted ini file.
"""

import os
import sys

workspace, tests_dir, results_file, per_test_timeout = sys.argv[1:5]
runner_dir = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, runner_dir)
sys.path.append(workspace)
os.environ["CDA_RESULTS"] = results_file
os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
for name in ("PYTEST_ADDOPTS", "PYTEST_PLUGINS"):
    os.environ.pop(name, None)

import pytest  # noqa: E402  (sys.path must be set first)

sys.exit(
    pytest.main(
        [
            tests_dir,
            "-c", os.path.join(runner_dir, "pytest.ini"),
            "--rootdir", tests_dir,
            "--confcutdir", tests_dir,
            "--import-mode=importlib",
            "-p", "cda_pytest_plugin",
            "-p", "pytest_timeout",
            "--timeout", per_test_timeout,
            "-p", "no:cacheprovider",
            "-p", "no:stepwise",
            "-q", "--tb=short", "-rN",
        ]
    )
)
