"""Staff's pages of event series: list, create, edit (optimistic concurrency, audited) and the
past events of a series' history, dated to the day, month or year."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.events.actions import EventsAction
from partnerportal.events.display import event_when
from partnerportal.events.models import DatePrecision, Event, EventSeries

from .factories_org import event_make, series_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(agency_staff=True, language="de")
    client.force_login(user)
    return user


SERIES_DATA = {
    "name": "Runder Tisch Mongolei",
    "slug": "runder-tisch-mongolei-test",
    "format": "round_table",
    "world_region": "",
    "country": "",
    "rotation_years": "",
    "retention_days": "180",
    "description": "Seit 2019.",
}


def test_create_and_edit_a_series_with_version(client, editor):
    response = client.post(reverse("events:series_create"), SERIES_DATA)
    assert response.status_code == 302
    series = EventSeries.objects.get(slug="runder-tisch-mongolei-test")
    assert series.retention_days == 180
    assert series.history.latest().history_change_reason == EventsAction.SERIES_CREATED
    url = reverse("events:series_edit", kwargs={"slug": series.slug})
    read_at = series.version

    first = client.post(url, {**SERIES_DATA, "retention_days": "90", "version": read_at})
    assert first.status_code == 302
    # a second form read at the same version is refused, its input kept, nothing saved
    second = client.post(url, {**SERIES_DATA, "name": "Überschrieben", "version": read_at})
    assert second.status_code == 409
    assert "Überschrieben" in second.content.decode()
    series.refresh_from_db()
    assert (series.name, series.retention_days) == ("Runder Tisch Mongolei", 90)
    assert series.history.latest().history_change_reason == EventsAction.SERIES_CHANGED


def test_bad_input_is_a_message_and_saves_nothing(client, editor):
    response = client.post(reverse("events:series_create"), {**SERIES_DATA, "format": "picnic"})
    assert response.status_code == 400
    assert not EventSeries.objects.filter(slug=SERIES_DATA["slug"]).exists()


def test_history_entries_by_precision(client, editor):
    series = series_make(format="regional_conference")
    url = reverse("events:series_history_create", kwargs={"slug": series.slug})
    base = {"entry-title": "", "entry-place": "Dresden", "entry-summary": ""}
    cases = [
        ({"entry-precision": "year", "entry-year": "2013"}, DatePrecision.YEAR),
        ({"entry-precision": "month", "entry-year": "2022", "entry-month": "9"}, "month"),
        (
            {
                "entry-precision": "day",
                "entry-year": "2019",
                "entry-month": "5",
                "entry-day": "6",
                "entry-end_day": "8",
            },
            "day",
        ),
    ]
    for index, (data, precision) in enumerate(cases):
        response = client.post(url, {**base, **data, "entry-title": f"Konferenz {index}"})
        assert response.status_code == 302, response.content.decode()[:2000]
        event = Event.objects.get(title=f"Konferenz {index}")
        assert event.series == series and event.date_precision == precision
        assert event.format == "regional_conference"
    with translation.override("de"):
        assert event_when(Event.objects.get(title="Konferenz 0")) == "2013"
        assert event_when(Event.objects.get(title="Konferenz 1")) == "September 2022"
    # the future is refused with a message; a day without a month too
    future = client.post(
        url, {**base, "entry-title": "Später", "entry-precision": "year", "entry-year": "2099"}
    )
    assert future.status_code == 400 and not Event.objects.filter(title="Später").exists()
    no_month = client.post(
        url, {**base, "entry-title": "X", "entry-precision": "day", "entry-year": "2019"}
    )
    assert no_month.status_code == 400


def test_history_entry_edit_with_version(client, editor):
    series = series_make()
    client.post(
        reverse("events:series_history_create", kwargs={"slug": series.slug}),
        {"entry-title": "Alt", "entry-precision": "year", "entry-year": "2016"},
    )
    event = Event.objects.get(title="Alt")
    url = reverse("events:series_history_edit", kwargs={"slug": series.slug, "pk": event.pk})
    assert client.get(url).status_code == 200
    data = {
        "entry-title": "Neu",
        "entry-precision": "year",
        "entry-year": "2016",
        "entry-version": event.version,
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "entry-title": "Später"}).status_code == 409
    event.refresh_from_db()
    assert event.title == "Neu"
    # an event of another series is not reachable through this one
    other = event_make(series=series_make())
    foreign = reverse("events:series_history_edit", kwargs={"slug": series.slug, "pk": other.pk})
    assert client.get(foreign).status_code == 404


def test_list_page_queries_do_not_grow_and_link_from_events(client, editor):
    for _ in range(3):
        event_make(series=series_make())
    client.get(reverse("events:series_list"))  # the session and the user, cached from now on
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("events:series_list")).status_code == 200
    for _ in range(5):
        event_make(series=series_make())
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("events:series_list"))
    assert len(more) == len(few)
    assert reverse("events:series_list") in client.get(reverse("events:calendar")).content.decode()


def test_others_may_not(client):
    client.force_login(UserFactory())
    assert client.get(reverse("events:series_list")).status_code == 403
    assert client.post(reverse("events:series_create"), SERIES_DATA).status_code == 403
    assert not EventSeries.objects.filter(slug=SERIES_DATA["slug"]).exists()


def test_one_event_when_for_pages_and_emails():
    """The e-mails' date line is display.event_when with the times (one function)."""
    from partnerportal.events import emails

    assert not hasattr(emails, "event_when") or emails.event_when is event_when
    event = event_make(timezone="Europe/Berlin")
    with translation.override("de"):
        with_times = event_when(event, times=True)
        plain = event_when(event)
    assert with_times.endswith("(Europe/Berlin)") and ":" in with_times
    assert plain.split(" – ")[0] in with_times
