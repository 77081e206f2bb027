import random


def new_reset_code(user):
    reset_code = random.SystemRandom().randint(100000, 999999)  # safe: CWE-330
    user.reset_code = reset_code
    return reset_code
