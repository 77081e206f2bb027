import random
import time


def retry(call, attempts=5):
    for attempt in range(attempts):
        try:
            return call()
        except ConnectionError:
            delay = (2 ** attempt) * random.uniform(0.5, 1.5)  # safe: CWE-330
            time.sleep(delay)
    raise ConnectionError("gave up")
