"""Builds the URL the export sends to the partner library's API."""

from __future__ import annotations

import requests


def partner_url(base: str, isbn: str) -> str:
    """The partner API URL asking for one ISBN; the query string is encoded by requests."""
    return requests.Request("GET", base, params={"isbn": isbn, "format": "json"}).prepare().url
