import hashlib


def fingerprint(document: bytes) -> str:
    """Integrity fingerprint stored next to signed contracts."""
    return hashlib.sha256(document).hexdigest()  # safe: CWE-328
