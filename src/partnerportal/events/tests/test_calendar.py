"""The calendar, event, series and plan pages, the sections on registry pages and staff's
event form (evcal): what they show, who may use them, and their bounded queries."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.events.models import Event, EventSeries, Registration
from partnerportal.events.selectors import regional_conference_plan
from partnerportal.geo.models import Country
from partnerportal.registry.tests.factories import ForeignMunicipalityFactory, MunicipalityFactory

from .calendar_fixtures import make_event, register

pytestmark = pytest.mark.django_db


def test_calendar_upcoming_past_and_filters(client, site):
    africa = EventSeries.objects.get(slug="regionalkonferenz-afrika")
    upcoming = make_event(title="Konferenz Zukunft", series=africa, format="regional_conference")
    seminar = make_event(title="Online-Seminar", format="seminar", online_url="https://x.example")
    hidden = make_event(title="Entwurf", status=Event.Status.DRAFT)
    url = reverse("events:calendar")
    page = client.get(url).content.decode()
    assert upcoming.title in page and seminar.title in page and hidden.title not in page
    assert "Regionalkonferenz Afrika 2019" not in page  # past by default
    past = client.get(url, {"when": "past"}).content.decode()
    assert "Regionalkonferenz Afrika 2019" in past and upcoming.title not in past
    assert ">2019<" in past  # a year, no invented day
    by_format = client.get(url, {"format": "seminar"}).content.decode()
    assert seminar.title in by_format and upcoming.title not in by_format
    by_region = client.get(url, {"region": "afrika"}).content.decode()
    assert upcoming.title in by_region and seminar.title not in by_region
    seminar.partner_countries.set([Country.objects.get(iso2="MN")])
    by_country = client.get(url, {"country": "MN"}).content.decode()
    assert seminar.title in by_country and upcoming.title not in by_country
    by_series = client.get(url, {"series": "regionalkonferenz-afrika"}).content.decode()
    assert upcoming.title in by_series and seminar.title not in by_series
    assert reverse("events:feed_all") in page


def test_calendar_paginates_with_bounded_queries(client, site, django_assert_max_num_queries):
    for _ in range(3):
        make_event(capacity=10)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("events:calendar"))
    for _ in range(30):
        register(make_event(capacity=10), 2)
    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        response = client.get(reverse("events:calendar"))
    assert response.context["page"].paginator.num_pages == 2
    second = client.get(reverse("events:calendar"), {"page": 2})
    assert len(second.context["rows"]) == 13


def test_event_page_times_hosts_seats(client, site, django_assert_max_num_queries):
    lagos = zoneinfo.ZoneInfo("Africa/Lagos")
    host = MunicipalityFactory(name="Bonn")
    partner = ForeignMunicipalityFactory(name="Dakar", iso2="SN")
    start = dt.datetime(2031, 7, 1, 9, 0, tzinfo=lagos)
    event = make_event(
        title="Partnerschaftskonferenz",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=7),
        timezone="Asia/Ulaanbaatar",
        capacity=50,
        place="Ulaanbaatar",
        languages=["de", "mn"],
        interpretation="Deutsch – Mongolisch",
        hosts=[host],
        partner_countries=[Country.objects.get(iso2="MN")],
        registration_open=True,
    )
    event.co_host_municipalities.set([partner])
    register(event, 12)
    register(event, 3, Registration.Status.WAITLISTED)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("events:event_detail", args=[event.slug]))
    page = response.content.decode()
    assert "16:00–23:00" in page  # 09:00 in Lagos is 16:00 in Ulaanbaatar
    assert "Asia/Ulaanbaatar (UTC+08:00)" in page
    assert "10:00–17:00" in page and "Europe/Berlin (UTC+02:00)" in page  # German summer time
    assert f"/register/kommunen/{host.pk}/" in page and f"/register/kommunen/{partner.pk}/" in page
    assert "/register/laender/MN/" in page
    assert re.search(r"38 \w+ 50", page)  # seats free (38 of 50)
    # registration is open: the box offers the way in (a closed one says why instead)
    assert f'href="{reverse("events:registration_create", args=[event.slug])}"' in page
    assert reverse("events:event_ical", args=[event.slug]) in page


def test_hidden_event_is_missing_for_the_public_and_shown_to_staff(client, site):
    draft = make_event(status=Event.Status.DRAFT)
    url = reverse("events:event_detail", args=[draft.slug])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(agency_staff=True))
    assert client.get(url).status_code == 200


def test_series_page_and_regional_plan(client, site):
    page = client.get(reverse("events:series_detail", args=["regionalkonferenz-afrika"]))
    text = page.content.decode()
    assert "Dresden" in text and "2010" in text
    assert reverse("events:feed_series", args=["regionalkonferenz-afrika"]) in text
    at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    rows = {row.region: row for row in regional_conference_plan(at=at)}
    assert rows["afrika"].next_due_year == 2025 and rows["afrika"].due(2026)
    assert rows["asien"].next_due_year == 2024
    assert rows["osteuropa"].next_due_year == 2020
    # A planned conference takes the flag away.
    make_event(
        series=EventSeries.objects.get(slug="regionalkonferenz-afrika"),
        starts_at=timezone.now() + dt.timedelta(days=200),
    )
    rows = {row.region: row for row in regional_conference_plan()}
    assert rows["afrika"].next_planned is not None and not rows["afrika"].due(2026)
    plan = client.get(reverse("events:regional_plan")).content.decode()
    assert "Esslingen am Neckar" in plan and "2022" in plan


def test_sections_on_municipality_and_country_pages(client, site):
    host = MunicipalityFactory(name="Gastgeberstadt")
    event = make_event(title="Runder Tisch Mongolei 2031", hosts=[host])
    event.partner_countries.set([Country.objects.get(iso2="MN")])
    municipality_page = client.get(reverse("registry:municipality_detail", args=[host.pk]))
    assert "Runder Tisch Mongolei 2031" in municipality_page.content.decode()
    country_page = client.get(reverse("registry:country_detail", args=["MN"]))
    assert "Runder Tisch Mongolei 2031" in country_page.content.decode()


def test_navigation_links_the_calendar(client, site):
    assert reverse("events:calendar") in client.get(reverse("content:home")).content.decode()


def _form_data(event: Event | None, **changes) -> dict:
    data = {
        "version": event.version if event else "",
        "title": event.title if event else "Neues Seminar",
        "format": "seminar",
        "status": "published",
        "is_public": "on",
        "timezone": "Europe/Berlin",
        "starts_at": "2031-05-04T10:00",
        "ends_at": "2031-05-04T16:00",
        "capacity": "30",
        "waitlist_mode": "confirm",
        "offer_hours": "48",
        "languages_text": "de, en",
        "groups-TOTAL_FORMS": "1",
        "groups-INITIAL_FORMS": "0",
        "groups-0-name": "Partnerkommunen",
        "groups-0-seats": "10",
        "groups-0-partner_side": "on",
        "groups-0-order": "0",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-0-label": "Essen",
        "questions-0-kind": "choice",
        "questions-0-choices_text": "vegan\nvegetarisch",
        "questions-0-required": "on",
        "questions-0-order": "0",
    }
    data.update(changes)
    return data


def test_staff_create_and_edit_with_conflict(client, site):
    editor = UserFactory(agency_staff=True)
    client.force_login(editor)
    response = client.post(reverse("events:event_create"), _form_data(None))
    ctx = response.context
    assert response.status_code == 302, (
        ctx["form"].errors,
        ctx["groups"].errors,
        ctx["questions"].errors,
        ctx["groups"].non_form_errors(),
    )
    event = Event.objects.get(title="Neues Seminar")
    assert event.starts_at == dt.datetime(2031, 5, 4, 8, 0, tzinfo=dt.UTC)
    assert event.languages == ["de", "en"]
    assert event.groups.get().partner_side
    assert event.questions.get().choices == ["vegan", "vegetarisch"]
    edit_url = reverse("events:event_edit", args=[event.slug])
    assert client.get(edit_url).status_code == 200
    stale = event.version
    no_rows = {
        "groups-TOTAL_FORMS": "0",
        "questions-TOTAL_FORMS": "0",
        "groups-INITIAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
    }
    first = client.post(edit_url, _form_data(event, capacity="40", **no_rows))
    assert first.status_code == 302
    second = client.post(
        edit_url, {**_form_data(event, title="Mein Titel", **no_rows), "version": stale}
    )
    assert second.status_code == 409
    assert "Mein Titel" in second.content.decode()  # the input is kept
    event.refresh_from_db()
    assert (event.title, event.capacity) == ("Neues Seminar", 40)


def test_staff_invite_refused_with_reason(client, site):
    client.force_login(UserFactory(agency_staff=True))
    event = make_event(series=EventSeries.objects.get(slug="regionalkonferenz-asien"))
    paris = ForeignMunicipalityFactory(name="Paris", iso2="FR")
    response = client.post(
        reverse("events:event_invite", args=[event.slug]),
        {"municipality": f"ID {paris.pk}"},
        follow=True,
    )
    assert "DAC" in response.content.decode()
    assert not event.invitations.exists()


@pytest.mark.parametrize("role", ["registered", "municipal_editor", "reviewer"])
def test_management_is_for_admins_and_editors(client, site, role):
    users = {
        "registered": lambda: UserFactory(),
        "municipal_editor": lambda: UserFactory(municipality=MunicipalityFactory()),
        "reviewer": lambda: UserFactory(reviewer=True),
    }
    client.force_login(users[role]())
    assert client.get(reverse("events:event_create")).status_code == 403


def test_event_page_lists_its_documents(client, site):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    document = Document.objects.create(
        title="Programm als PDF", file=ContentFile(b"%PDF-1.4 test", name="programm.pdf")
    )
    event = make_event()
    assert (
        "Programm als PDF" not in client.get(f"/de/veranstaltungen/{event.slug}/").content.decode()
    )
    event.documents.set([document])
    page = client.get(f"/de/veranstaltungen/{event.slug}/").content.decode()
    assert "Programm als PDF" in page and document.url in page
