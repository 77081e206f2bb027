"""Quality procedures read from a learner's repository history (a git bundle), never executed."""
