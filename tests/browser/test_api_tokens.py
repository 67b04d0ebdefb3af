"""The API tokens page in a real browser, on a phone (390 px), German and English: a staff
member makes a token, sees its secret once, copies it, and revokes it after confirming; no page
of the way is wider than the screen or has a serious barrier (axe-core)."""

import pytest

from partnerportal.accounts.services import api_token_authenticate
from partnerportal.accounts.tests.factories import UserFactory

from .test_phones import PHONE, too_wide
from .test_site import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["de", "en"])
def test_token_shown_once_then_revoked_on_a_phone(
    browser, live_server, browser_site, axe, language
):
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", viewport=PHONE, bypass_csp=True
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    problems = {}

    def check(step):
        if wide := too_wide(page):
            problems[f"{step}: too wide"] = wide
        if violations := axe(page):
            problems[f"{step}: axe"] = violations

    try:
        staff = UserFactory(role="agency_editor", mfa=True)
        log_in(page, staff)
        page.goto(f"/{language}/konto/api-tokens/")
        check("empty list")
        page.fill("input[name=name]", "Veranstaltungskalender")
        with page.expect_navigation():
            page.click("form.pp-form button[type=submit]")
        secret = page.input_value("#new-token")
        assert api_token_authenticate(secret) == staff
        check("secret shown")
        page.goto(f"/{language}/konto/api-tokens/")
        assert secret not in page.content()
        assert "Veranstaltungskalender" in page.content()
        with page.expect_navigation():
            page.click("td a.kern-link")
        check("confirm")
        with page.expect_navigation():
            page.click("form.pp-form button[type=submit]")
        assert api_token_authenticate(secret) is None
        check("revoked")
        assert problems == {}, problems
    finally:
        context.close()
