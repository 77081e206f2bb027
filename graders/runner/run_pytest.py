"""Supervisor of a graded pytest run, inside the sandbox (started with `python -I`).

argv: WORKSPACE TESTS_DIR RESULTS_FILE PER_TEST_TIMEOUT_S BUDGET_S; stdin: the run's signing key.

pytest runs in a child process (pytest_child.py). Its per-test timeout (pytest-timeout, signal
method) stops most endless loops and keeps pytest alive, but not all: a loop that swallows the
exception, code stuck in C, `os._exit()`, a segfault or a pytest INTERNALERROR end or freeze the
whole process. The supervisor (supervisor.py) watches the signed record stream; when the child
dies, or makes no progress for longer than the hard per-test limit, it kills it, records the test
that was running as failed with the reason (a *grading incident*, never tampering), and starts a
new child on the tests not yet run. One test's crash thus costs that test only; the run's wall
clock (the sandbox) stays the last resort.
"""

import os
import sys

key = sys.stdin.buffer.readline().strip()
sys.stdin.close()
os.open(os.devnull, os.O_RDONLY)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from supervisor import Supervisor  # noqa: E402

Supervisor(key, *sys.argv[1:6]).run()
