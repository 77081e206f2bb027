import random


def generate_api_key() -> str:
    return "%032x" % random.getrandbits(128)  # expect: CWE-330
