"""Check-in at the door on a phone (390 px): a staff member logs in with the second factor,
types a badge's code, scans the next one with the camera (a stand-in BarcodeDetector and
camera, since headless Chromium has neither), is told when a code comes twice or belongs to a
cancelled registration, and undoes a mistake. No step is wider than the screen or has a
serious barrier (axe-core)."""

import pytest
from django.urls import reverse

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.events.models import Registration
from partnerportal.events.tests.factories_org import (
    delegation_make,
    event_make,
    registration_make,
)

from .conftest import SCREENSHOTS
from .test_phones import PHONE, too_wide
from .test_site import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: A QR reader and a camera for a browser that has neither: the reader "sees" the code the test
#: puts in window.__qr, the camera is a canvas.
FAKE_SCANNER = """
window.BarcodeDetector = class {
  static getSupportedFormats() { return Promise.resolve(["qr_code"]); }
  detect() { return Promise.resolve(window.__qr ? [{ rawValue: window.__qr }] : []); }
};
Object.defineProperty(navigator, "mediaDevices", { value: {
  getUserMedia: () => {
    const canvas = document.createElement("canvas");
    canvas.width = 64; canvas.height = 64;
    canvas.getContext("2d").fillRect(0, 0, 64, 64);
    return Promise.resolve(canvas.captureStream(5));
  },
}});
"""


def test_check_in_from_a_phone(browser, live_server, browser_site, axe):
    event = event_make(title="Runder Tisch Nicaragua")
    delegation_make(event, size=2, registrant_name="Stadt Schwäbisch Gmünd")
    typed = registration_make(event, name="Ana López", check_in_code="TYPE2345")
    scanned = registration_make(event, name="Jonas Weber", check_in_code="SCAN2345")
    registration_make(
        event, name="Storniert", status=Registration.Status.CANCELLED, check_in_code="GONE2345"
    )
    staff = UserFactory(role="agency_editor", mfa=True)
    url = reverse("events:organiser_check_in", kwargs={"slug": event.slug})

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

    def submit(code):
        page.fill("input[name=code]", code)
        with page.expect_navigation():
            page.press("input[name=code]", "Enter")
        return page.get_attribute("#check-in-result", "data-outcome")

    try:
        log_in(page, staff)
        page.goto(url)
        # No QR reader in this browser: no scan button, the typed code is the way.
        assert page.is_hidden("#check-in-scan")
        check("empty")
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "events-checkin-390.png"), full_page=True)

        assert submit("type-2345") == "checked_in"
        assert "Ana López" in page.inner_text("#check-in-result")
        check("checked in")
        page.screenshot(path=str(SCREENSHOTS / "events-checkin-390-done.png"), full_page=True)

        assert submit("TYPE2345") == "already"
        assert "bereits" in page.inner_text("#check-in-result") or "already" in page.inner_text(
            "#check-in-result"
        )
        assert submit("GONE2345") == "refused"
        check("refused")

        # With a QR reader and a camera, the scan button reads the badge and sends the form.
        page.add_init_script(FAKE_SCANNER)
        page.goto(url)
        assert page.is_visible("#check-in-scan")
        page.click("#check-in-scan")
        with page.expect_navigation():
            page.evaluate("window.__qr = 'SCAN2345'")
        assert page.get_attribute("#check-in-result", "data-outcome") == "checked_in"
        assert "Jonas Weber" in page.inner_text("#check-in-result")

        # A mistake: undo the first check-in.
        with page.expect_navigation():
            page.click(".pp-checkin-recent__item:has-text('Ana López') button")
        typed.refresh_from_db()
        scanned.refresh_from_db()
        assert typed.checked_in_at is None
        assert scanned.checked_in_at is not None
        check("undone")

        # The participant list and the messages page fit the phone too.
        page.goto(reverse("events:organiser_participants", kwargs={"slug": event.slug}))
        assert "Ana López" in page.content()
        check("participants")
        page.screenshot(path=str(SCREENSHOTS / "events-participants-390.png"), full_page=True)
        page.goto(reverse("events:organiser_messages", kwargs={"slug": event.slug}))
        check("messages")
        page.screenshot(path=str(SCREENSHOTS / "events-messages-390.png"), full_page=True)
        assert problems == {}, problems
    finally:
        context.close()
