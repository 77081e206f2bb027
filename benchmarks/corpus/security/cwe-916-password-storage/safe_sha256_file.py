import hashlib


def checksum(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()  # safe: CWE-916
