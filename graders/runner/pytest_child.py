"""One pytest process of a cold graded run, started by run_pytest.py (with `python -I`).

argv: WORKSPACE TESTS_DIR RESULTS_FILE PER_TEST_TIMEOUT_S; stdin: the run's signing key, then one
JSON line from the supervisor (the next sequence number, the items already done). Both are read
and stdin closed before any submission code is imported. The session itself: pytest_session.py.
"""

import os
import sys

key = sys.stdin.buffer.readline().strip()
runner_dir = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, runner_dir)
import cda_pytest_plugin  # noqa: E402
from pytest_session import quiet_environment, run_session  # noqa: E402

start_seq, done = cda_pytest_plugin.read_state(sys.stdin.buffer)
sys.stdin.close()  # closes fd 0; put /dev/null there so no later file lands on fd 0 (pytest captures it)
os.open(os.devnull, os.O_RDONLY)
quiet_environment()

sys.exit(run_session(key, start_seq, done, *sys.argv[1:5]))
