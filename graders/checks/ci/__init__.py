"""The CI lab's checks: what a pipeline file declares (`pipeline.py`), running a GitLab pipeline for
real with gitlab-ci-local (`gitlab_local.py`, `run_pipeline.py` inside the sandbox), the seeded
regressions it must catch (`regressions.py`) and an offline stand-in for pip-audit (`offline_audit.py`)."""
