"""Browser tests: Debian's Chromium driven by Playwright, against the built site over HTTP.

Skipped only when no Chromium exists; under CI (CI=true) that is a failure, so a
missing browser can never pass for a green run.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scripts.dev.browser import CHROMIUM, StaticSite, launch_chromium

from ..conftest import ROOT


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    from mkdocs.config import load_config

    prefix = urlsplit(load_config(str(ROOT / "mkdocs.yml")).site_url).path or "/"
    with StaticSite(built_site, prefix) as server:
        yield server.url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"no Chromium at {CHROMIUM}: install Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must run the browser tests)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context()
    yield context
    context.close()
