import hashlib
import time


def reset_token(email: str) -> str:
    return hashlib.md5(f"{email}{time.time()}".encode()).hexdigest()  # expect: CWE-328
