"""Scripts the SQL checks run inside the sandbox (copied under /cda/runner)."""
