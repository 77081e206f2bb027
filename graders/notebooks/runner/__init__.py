"""Trusted files copied under /cda in the sandbox (never imported by the grader itself)."""
