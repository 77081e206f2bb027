"""Runs import-linter inside the sandbox (started with `python -I`). argv: WORKSPACE CONFIG.

import-linter and grimp are fully imported before the submission joins sys.path (at the end),
so a submission cannot shadow them; import-linter only parses the code, it never runs it.
"""

import os
import sys

import grimp  # noqa: F401
import importlinter.cli
import importlinter.contracts.forbidden  # noqa: F401
import importlinter.contracts.independence  # noqa: F401
import importlinter.contracts.layers  # noqa: F401

workspace, config = sys.argv[1:3]
os.chdir("/tmp")
sys.path.append(workspace)
sys.argv = ["lint-imports", config, "--no-cache"]
sys.exit(importlinter.cli.lint_imports_command())
