import uuid


def create_reset_link(user):
    user.reset_token = uuid.uuid1().hex  # expect: CWE-330
    return f"https://example.org/reset/{user.reset_token}"
