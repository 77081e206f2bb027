import random


def pick_layout(layouts):
    """A/B test of page layouts: nothing depends on this being unpredictable."""
    layout = random.choice(layouts)  # safe: CWE-330
    return layout
