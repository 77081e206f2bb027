"""One pytest process of a graded run, started by run_pytest.py (with `python -I`).

argv: WORKSPACE TESTS_DIR RESULTS_FILE PER_TEST_TIMEOUT_S; stdin: the run's signing key, then one
JSON line from the supervisor (the next sequence number, the items already done). Both are read
and stdin closed before any submission code is imported. The submission is appended to sys.path,
after the standard library and site-packages, so it cannot shadow them; only the trusted tests
folder is collected, with the trusted ini file.
"""

import os
import sys

key = sys.stdin.buffer.readline().strip()
runner_dir = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, runner_dir)
import cda_pytest_plugin  # noqa: E402

start_seq, done = cda_pytest_plugin.read_state(sys.stdin.buffer)
sys.stdin.close()  # closes fd 0; put /dev/null there so no later file lands on fd 0 (pytest captures it)
os.open(os.devnull, os.O_RDONLY)
workspace, tests_dir, results_file, per_test_timeout = sys.argv[1:5]
os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
for name in ("PYTEST_ADDOPTS", "PYTEST_PLUGINS"):
    os.environ.pop(name, None)

import pytest  # noqa: E402

recorder = cda_pytest_plugin.Recorder(results_file, key, workspace, start_seq, done)
del key
sys.path.remove(runner_dir)
sys.path.append(workspace)

sys.exit(
    pytest.main(
        [
            tests_dir,
            "-c", os.path.join(runner_dir, "pytest.ini"),
            "--rootdir", tests_dir,
            "--confcutdir", tests_dir,
            "--import-mode=importlib",
            "--continue-on-collection-errors",
            "-p", "pytest_timeout",
            "--timeout", per_test_timeout,
            "-p", "no:cacheprovider",
            "-p", "no:stepwise",
            "-q", "--tb=short", "-rN",
        ],
        plugins=[recorder],
    )
)
