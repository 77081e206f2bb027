import random


def quiz(questions):
    order = random.sample(questions, k=len(questions))  # safe: CWE-330
    return order[:10]
