import random


def new_reset_code(user):
    reset_code = random.randint(100000, 999999)  # expect: CWE-330
    user.reset_code = reset_code
    return reset_code
