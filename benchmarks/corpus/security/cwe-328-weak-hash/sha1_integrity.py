import hashlib


def fingerprint(document: bytes) -> str:
    """Integrity fingerprint stored next to signed contracts."""
    return hashlib.sha1(document).hexdigest()  # expect: CWE-328
