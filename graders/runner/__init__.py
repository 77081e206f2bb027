"""Trusted files copied into the sandbox to run tests; nothing here is imported by the grader."""
