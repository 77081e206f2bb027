import hashlib
import hmac


def api_signature(payload: bytes, key: bytes) -> str:
    return hmac.new(key, payload, hashlib.sha256).hexdigest()  # safe: CWE-328
