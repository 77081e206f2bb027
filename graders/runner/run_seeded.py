"""Run the learner's own tests against a trusted variant of the code, inside the sandbox.

argv: WORKSPACE PACKAGE VARIANT_DIR TESTS PER_TEST_TIMEOUT_S [--first-failure] [--junit PATH] (started with
`python -I`; `--junit` writes pytest's JUnit XML there, for the checks that read the run test by test).

The learner's own package is removed from the (private) workspace copy and the variant (the
reference, or the reference with one seeded bug) is put first on sys.path, so the learner's tests
exercise the grader's code. Exit code: pytest's (0 every test passed, 1 some failed, 2+ the run
could not be completed), which the `seeded-bugs` check reads.
"""

import os
import shutil
import sys

workspace, package, variant, tests, per_test = sys.argv[1:6]
stop_early = ["-x"] if "--first-failure" in sys.argv[6:] else []  # a seed is caught at its first failing test
junit = [f"--junitxml={sys.argv[sys.argv.index('--junit') + 1]}"] if "--junit" in sys.argv[6:] else []
own = os.path.join(workspace, package)
if os.path.isdir(own):
    shutil.rmtree(own)
os.chdir(workspace)
sys.path[:0] = [variant, workspace]

import pytest  # noqa: E402

sys.exit(pytest.main([tests, *stop_early, "-q", "-p", "no:cacheprovider", "--import-mode=append", "-o", "pythonpath=",
                      "-p", "timeout", f"--timeout={per_test}", "-o", "timeout_method=signal", "--tb=no", "-rfE", *junit]))
