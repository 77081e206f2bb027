import hashlib


def cache_key(url: str) -> str:
    """Name of the cached copy of a page (not a security control)."""
    return hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()  # safe: CWE-328
