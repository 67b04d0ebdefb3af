"""Registering for an event in a real browser, on a desktop and on a phone (390 px): a new
person fills in the form (no account, no JavaScript needed), receives the confirmation e-mail
with the self-service link, cancels through it, and the next person on the waiting list gets
the seat (and an e-mail saying so)."""

import re

import pytest
from django.core import mail

from partnerportal.events.models import Registration
from partnerportal.events.tests.registration_helpers import event_make, person, register

from .test_phones import PHONE, too_wide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, PHONE], ids=["desktop", "phone"]
)
def test_register_receive_link_cancel_next_is_promoted(
    browser, live_server, browser_site, viewport
):
    event = event_make(
        capacity=1,
        title="Partnerschaftskonferenz Lateinamerika",
        consent_text="Fotos dürfen veröffentlicht werden.",
    )
    context = browser.new_context(base_url=live_server.url, locale="de-DE", viewport=viewport)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        mail.outbox.clear()
        page.goto(f"/de/veranstaltungen/{event.slug}/anmelden/")
        assert too_wide(page) == ""
        page.fill("input[name='person-0-name']", "Carla Mendoza")
        page.fill("input[name='person-0-email']", "carla@example.org")
        page.select_option("select[name='person-0-language']", "es")
        page.check("input[name='person-0-consent']")
        with page.expect_navigation():
            page.click("form[method=post] button[type=submit]")
        assert "Carla Mendoza" in page.content()
        assert too_wide(page) == ""
        carla = Registration.objects.get(event=event, email="carla@example.org")
        assert carla.status == Registration.Status.CONFIRMED

        # Someone else registers later and waits.
        jonas = person("Jonas Weber", language="de", consent=True)
        waiting = register(event, jonas)[0].registration
        assert waiting.status == Registration.Status.WAITLISTED

        (confirmation,) = [m for m in mail.outbox if m.to == ["carla@example.org"]]
        assert confirmation.attachments and confirmation.attachments[0][0] == "event.ics"
        link = re.search(r"https?://\S+/anmeldung/\S+/", confirmation.body).group(0)
        path = link.split("://", 1)[1].split("/", 1)[1]
        page.goto("/" + path)
        assert too_wide(page) == ""
        with page.expect_navigation():
            page.click("#cancel-registration")
        assert page.locator("#registration-status").inner_text() in {
            "Cancelado",
            "Cancelled",
            "Storniert",
        } or ("cancel" in page.locator("#registration-status").inner_text().lower())
        waiting.refresh_from_db()
        carla.refresh_from_db()
        assert (carla.status, waiting.status) == (
            Registration.Status.CANCELLED,
            Registration.Status.CONFIRMED,
        )
        promoted = [m for m in mail.outbox if m.to == [waiting.email]]
        assert any("Sie haben einen Platz" in m.subject for m in promoted), [
            m.subject for m in promoted
        ]
    finally:
        context.close()
