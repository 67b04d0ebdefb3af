"""The site as people use it: log in through the real form as every role (with the second
factor for staff), switch language, and let axe-core look for barriers."""

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from partnerportal.accounts.tests.factories import PASSWORD, MunicipalityFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data (conftest.browser_site restores what migrations made).
    pytest.mark.django_db(transaction=True),
]

#: role -> factory arguments. Agency staff must use a second factor (see accounts.roles).
ROLES = {
    "registered": {},
    "municipal_editor": {"municipality": "new"},
    "agency_editor": {"role": "agency_editor", "mfa": True},
    "agency_admin": {"role": "agency_admin", "mfa": True},
    "reviewer": {"role": "reviewer", "mfa": True},
    "expert": {"role": "expert"},
}


def make_user(role: str):
    kwargs = dict(ROLES[role])
    if kwargs.get("municipality") == "new":
        kwargs["municipality"] = MunicipalityFactory()
    return UserFactory(**kwargs)


def current_totp(secret: str) -> str:
    """The code an authenticator app shows now; near the end of a period, wait for the next one
    so that the code is still valid when the form arrives."""
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def path_of(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]


def log_in(page, user) -> None:
    page.goto("/de/konto/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    if "/2fa/" in path_of(page):
        assert getattr(user, "totp_secret", None), f"{user} was asked for a code it cannot have"
        page.fill("input[name=code]", current_totp(user.totp_secret))
        with page.expect_navigation():
            page.press("input[name=code]", "Enter")
    assert path_of(page) == "/de/konto/", f"after login: {page.url}\n{page.content()[:2000]}"


def test_public_visitor_sees_home_and_is_sent_to_login_for_the_account(page):
    page.goto("/de/")
    assert page.get_attribute("html", "lang") == "de"
    assert page.locator("a[href='/de/konto/login/']").first.is_visible()
    page.goto("/de/konto/")
    assert path_of(page) == "/de/konto/login/"


@pytest.mark.parametrize("role", list(ROLES))
def test_log_in_through_the_form(page, role):
    user = make_user(role)
    log_in(page, user)
    assert page.get_attribute("html", "lang") == "de"
    assert page.locator("main h1").first.is_visible()
    # The header shows who is logged in.
    assert page.locator(".pp-account").inner_text().find(user.display_name) >= 0


def test_staff_login_asks_for_the_second_factor(page):
    user = make_user("agency_admin")
    page.goto("/de/konto/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    assert "/2fa/" in path_of(page)
    page.fill("input[name=code]", "000000" if current_totp(user.totp_secret) != "000000" else "1")
    page.press("input[name=code]", "Enter")
    page.wait_for_load_state()
    assert path_of(page) != "/de/konto/"


def test_language_switch_keeps_the_page(page):
    log_in(page, make_user("registered"))
    with page.expect_navigation():
        page.click(".pp-language a[hreflang=en]")
    assert path_of(page) == "/en/konto/"
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator(".pp-language [aria-current=true]").get_attribute("lang") == "en"


def test_language_switch_on_the_home_page(page):
    page.goto("/de/")
    with page.expect_navigation():
        page.click(".pp-language a[hreflang=en]")
    assert path_of(page).startswith("/en/")
    assert page.get_attribute("html", "lang") == "en"


@pytest.mark.parametrize("language", ["de", "en"])
def test_home_page_has_no_serious_barriers(page, axe, screenshot, language):
    page.goto(f"/{language}/")
    assert page.get_attribute("html", "lang") == language
    screenshot(page, f"home-{language}")
    assert axe(page) == []


def test_login_page_has_no_serious_barriers(page, axe, screenshot):
    page.goto("/de/konto/login/")
    screenshot(page, "login")
    assert axe(page) == []


def test_account_page_has_no_serious_barriers(page, axe, screenshot):
    log_in(page, make_user("agency_admin"))
    screenshot(page, "account")
    assert axe(page) == []


def test_new_staff_member_is_led_through_setting_up_the_second_factor(page, axe):
    """Agency staff without an authenticator can do nothing before they set one up: log in,
    confirm the password, scan (here: read) the secret, enter a code, and the account opens."""
    user = UserFactory(role="agency_editor")
    page.goto("/de/konto/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    if "/reauthenticate/" in path_of(page):
        page.fill("main input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.press("main input[name=password]", "Enter")
    assert path_of(page) == "/de/konto/2fa/totp/activate/"
    assert axe(page) == []
    secret = page.input_value("input[name=secret], #authenticator_secret")
    page.fill("input[name=code]", current_totp(secret))
    with page.expect_navigation():
        page.press("input[name=code]", "Enter")
    page.goto("/de/konto/")
    assert path_of(page) == "/de/konto/"


def test_staff_pages_have_no_serious_barriers(page, axe, screenshot):
    from partnerportal.accounts.tests.factories import MembershipFactory

    membership = MembershipFactory()
    MembershipFactory(requested=True, municipality=membership.municipality)
    log_in(page, make_user("agency_admin"))
    for path, name in [
        ("/de/konto/redaktion/", "staff-editors"),
        (f"/de/aenderungen/accounts/membership/{membership.pk}/", "audit-trail"),
        ("/de/aktivitaet/", "activity"),
        ("/en/konto/redaktion/", "staff-editors-en"),
    ]:
        page.goto(path)
        assert path_of(page) == path
        screenshot(page, name)
        assert axe(page) == [], path
