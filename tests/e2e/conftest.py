"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live server.

Never ``playwright install``: the browser is the system one (RECIPES.md).
Screenshots of every page go to ``var/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tests.web.two_factor import code_now

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses
# to run next to one unless told it is safe (the test server is its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # Phone-sized first: the product is used on a phone during a run.
    return {**browser_context_args, "viewport": PHONE, "locale": "en-GB",
            "timezone_id": "Europe/London"}


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: SQLite hands out the ids of rolled-back rows
    again, so one test's patient could otherwise meet another's cached today page."""
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def shoot(page: Any) -> Any:
    """``shoot("name")`` saves a full-page screenshot as var/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


def type_code(page: Page, device: Any) -> None:
    """The two-factor step: type the authenticator's current code."""
    expect(page.get_by_role("heading", name="Your code")).to_be_visible()
    page.get_by_label("Code").fill(code_now(device))
    page.get_by_role("button", name="Continue").click()
