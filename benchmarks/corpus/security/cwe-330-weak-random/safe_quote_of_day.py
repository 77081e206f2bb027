import random

QUOTES = ["Lire, c'est voyager.", "Un livre est un ami."]


def quote_of_the_day():
    return random.choice(QUOTES)  # safe: CWE-330
