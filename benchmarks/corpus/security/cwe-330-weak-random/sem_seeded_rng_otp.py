import random


def send_otp(user, mailer):
    rng = random.Random()
    otp = f"{rng.randint(0, 999999):06d}"  # expect: CWE-330
    mailer.send(user.email, otp)
    return otp
