import hashlib


def etag(content: bytes) -> str:
    return hashlib.blake2b(content, digest_size=16).hexdigest()  # safe: CWE-328
