import hashlib


def api_signature(payload: bytes, key: bytes) -> str:
    digest = hashlib.new("md5")  # expect: CWE-328
    digest.update(key + payload)
    return digest.hexdigest()
