"""API tokens in a real browser: a runner makes a token for a watch sync, sees it once,
the sync uses it, and revoking it on the page stops it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import PASSWORD, make_plan, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def api_status(url: str, token: str) -> tuple[int, Any]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_runner_makes_a_token_for_a_sync_then_revokes_it(
    page: Page, live_server: Any, shoot: Any
) -> None:
    base = live_server.url
    user = make_user("sync@example.org")
    make_plan(user)
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Manage API tokens").click()
    expect(page.get_by_role("heading", name="API tokens", exact=True)).to_be_visible()

    page.get_by_label("What is it for?").fill("watch sync")
    page.locator('label:has(input[name="scope"][value="write"])').click()
    page.get_by_role("button", name="Make the token").click()
    token = page.locator("#new-token").inner_text().strip()
    assert token.startswith("bks_")
    expect(page.get_by_text("it is shown only this once")).to_be_visible()
    shoot("tokens-01-made")

    status, today = api_status(base + "/api/v1/me/today", token)
    assert 200 == status and today["prescription"] is not None

    page.goto(base + "/accounts/tokens/")
    expect(page.locator("#new-token")).to_have_count(0)  # never shown again
    page.get_by_role("link", name="Revoke watch sync").click()
    page.get_by_role("button", name="Revoke the token").click()
    expect(page.get_by_text("revoked: it no longer works")).to_be_visible()
    shoot("tokens-02-revoked")
    status, error = api_status(base + "/api/v1/me/today", token)
    assert 401 == status and "invalid_token" == error["error"]["code"]
