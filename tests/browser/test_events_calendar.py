"""The calendar on a phone (390 px): filter, open an event, read its times and seats, without
sideways scrolling (evcal, issue 12)."""

import datetime as dt
import zoneinfo

import pytest

from partnerportal.events.models import EventSeries
from partnerportal.events.tests.calendar_fixtures import make_event, register
from partnerportal.registry.tests.factories import MunicipalityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LONG_TITLE = (
    "Kommunale Partnerschaftskonferenz Deutschland – Lateinamerika und Karibik: "
    "Klimaanpassung, Wasserversorgung und Bürgerbeteiligung"
)


def _overflow(page) -> str:
    return page.evaluate(
        """() => {
            const width = window.innerWidth;
            const scroll = document.documentElement.scrollWidth;
            if (scroll <= width) return "";
            const culprits = Array.from(document.querySelectorAll("body *"))
                .filter((e) => e.getBoundingClientRect().right > width + 1)
                .slice(0, 3)
                .map((e) => e.tagName.toLowerCase() + "." + String(e.className).split(" ")[0]);
            return `${scroll} px wide (${culprits.join(", ")})`;
        }"""
    )


def test_calendar_to_event_page_on_a_phone(page, live_server):
    from partnerportal.events.history import history_ensure

    history_ensure()  # a transactional test flushed what migrate stored
    lima = zoneinfo.ZoneInfo("America/Lima")
    start = (dt.datetime.now(lima) + dt.timedelta(days=30)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    event = make_event(
        title=LONG_TITLE,
        series=EventSeries.objects.get(slug="partnerschaftskonferenz-lateinamerika-karibik"),
        format="partnership_conference",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=30),
        timezone="America/Lima",
        place="Lima",
        online_url="https://meet.example.org/eine-sehr-lange-adresse-fuer-die-videokonferenz-2031",
        capacity=40,
        registration_open=True,
        hosts=[MunicipalityFactory(name="Bonn")],
    )
    register(event, 10)
    make_event(title="Online-Seminar Förderung", format="seminar")

    page.set_viewport_size(PHONE)
    page.goto("/de/veranstaltungen/")
    assert _overflow(page) == ""
    page.get_by_text("Filter").first.click()
    page.get_by_label("Format").select_option("partnership_conference")
    page.get_by_role("button", name="Filter anwenden").click()
    assert "format=partnership_conference" in page.url
    assert page.get_by_role("link", name="Online-Seminar Förderung").count() == 0
    assert _overflow(page) == ""
    page.get_by_role("link", name=LONG_TITLE).click()
    page.wait_for_url(f"**/veranstaltungen/{event.slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == LONG_TITLE
    body = page.locator("main").inner_text()
    assert "America/Lima" in body and "Europe/Berlin" in body
    assert "30 von 40" in body
    assert page.get_by_role("link", name="Bonn").count() == 1
    assert _overflow(page) == "", _overflow(page)
