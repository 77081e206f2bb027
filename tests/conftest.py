"""Shared pytest fixtures. Keep this file small and generic."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session (skipped only when it is not installed)."""
    from graders import browser as browser_mod

    if not os.path.exists(browser_mod.CHROMIUM):
        pytest.skip(f"Chromium not installed at {browser_mod.CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = browser_mod.launch(playwright)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser):
    """A fresh page in its own browser context, closed after the test."""
    context = browser.new_context()
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


# The longest tests first: with `--dist worksteal` the other workers share out the rest meanwhile,
# instead of one worker finishing alone on a long test at the end.
LONG_FIRST = ("tests/test_service_e2e.py", "tests/test_nbgrader_cycle.py", "tests/test_jupyterlab_browser.py", "tests/test_lab_c8.py")


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        path = item.nodeid.split("::")[0]
        return LONG_FIRST.index(path) if path in LONG_FIRST else len(LONG_FIRST)

    items.sort(key=rank)  # stable: the rest keeps its order
