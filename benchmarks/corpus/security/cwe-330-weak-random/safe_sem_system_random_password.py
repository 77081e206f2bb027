import random
import string

_RNG = random.SystemRandom()


def temporary_password(length=14):
    alphabet = string.ascii_letters + string.digits
    return "".join(_RNG.choice(alphabet) for _ in range(length))  # safe: CWE-330
