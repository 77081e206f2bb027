"""Errors that end a command with a documented exit code and one clear line."""


class CdaError(Exception):
    exit_code = 2


class BadInput(CdaError):
    """The user gave something unusable: unknown lab, missing path, malformed manifest."""

    exit_code = 2


class GraderUnavailable(CdaError):
    """The grader cannot grade here: a tool or sandbox is missing."""

    exit_code = 3
