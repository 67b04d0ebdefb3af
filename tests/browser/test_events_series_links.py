"""On a phone (390 px): staff's series pages (list, edit, a past event of the history), the
organisers' page of one registration with its timeline, and the page an old self-service link
shows. No page is wider than the screen or has a serious barrier (axe-core)."""

import pytest
from django.urls import reverse

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.events.models import Event
from partnerportal.events.registrations import access_token_for, registration_link_renew
from partnerportal.events.tests.registration_helpers import event_make, person, register

from .conftest import SCREENSHOTS
from .test_phones import PHONE, too_wide
from .test_site import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_series_registration_and_old_link_pages_on_a_phone(browser, live_server, browser_site, axe):
    event = event_make(capacity=1, title="Runder Tisch Burkina Faso")
    first = register(event, person("Awa Ouédraogo"))[0].registration
    register(event, person("Jonas Weber"))
    staff = UserFactory(role="agency_editor", mfa=True)
    old = access_token_for(first)
    registration_link_renew(actor=staff, registration=first)
    history_event = Event.objects.filter(series__slug="regionalkonferenz-afrika").first()

    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", viewport=PHONE, bypass_csp=True
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    problems = {}
    SCREENSHOTS.mkdir(exist_ok=True)

    def visit(name, url):
        page.goto(url)
        if wide := too_wide(page):
            problems[f"{name}: too wide"] = wide
        if violations := axe(page):
            problems[f"{name}: axe"] = violations
        page.screenshot(path=str(SCREENSHOTS / f"events-{name}-390.png"), full_page=True)

    try:
        visit("link-invalid", reverse("events:registration_manage", kwargs={"token": old}))
        assert page.is_visible("#link-invalid")
        visit("link-request", reverse("events:registration_link_request"))
        log_in(page, staff)
        visit("series-list", reverse("events:series_list"))
        assert page.is_visible("text=Regionalkonferenz")
        visit("series-edit", reverse("events:series_edit", args=["regionalkonferenz-afrika"]))
        visit(
            "series-history-entry",
            reverse(
                "events:series_history_edit",
                kwargs={"slug": "regionalkonferenz-afrika", "pk": history_event.pk},
            ),
        )
        visit(
            "organiser-registration",
            reverse("events:organiser_registration", kwargs={"slug": event.slug, "pk": first.pk}),
        )
        assert page.locator(".pp-timeline__item").count() >= 2
        # Cancelling here moves the next person up; their timeline says so.
        with page.expect_navigation():
            page.click("#cancel-registration")
        assert problems == {}, problems
    finally:
        context.close()
