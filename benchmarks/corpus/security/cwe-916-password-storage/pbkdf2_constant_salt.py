import hashlib


def hash_password(password: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), b"mediatheque", 600_000).hex()  # expect: CWE-916
