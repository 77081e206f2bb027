import hashlib
import os


def hash_password(password: str) -> tuple[bytes, bytes]:
    salt = os.urandom(16)  # safe: CWE-330
    return salt, hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
