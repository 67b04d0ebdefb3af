"""The iCal feeds parse with the icalendar library and carry their time zones (evcal)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from partnerportal.events.models import Event

from .calendar_fixtures import make_event

pytestmark = pytest.mark.django_db


def _parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_event_feed_has_zone_and_right_times(client, site):
    lagos = zoneinfo.ZoneInfo("Africa/Lagos")
    start = dt.datetime(2031, 3, 12, 9, 30, tzinfo=lagos)
    event = make_event(
        title="Lagos",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=6),
        timezone="Africa/Lagos",
        place="Lagos",
    )
    cal = _parse(client.get(reverse("events:event_ical", args=[event.slug])))
    zones = list(cal.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["Africa/Lagos"]
    (entry,) = cal.walk("VEVENT")
    dtstart = entry.decoded("DTSTART")
    assert dtstart == start and str(dtstart.tzinfo) == "Africa/Lagos"
    assert entry["DTSTART"].params["TZID"] == "Africa/Lagos"
    assert entry.decoded("DTEND") - dtstart == dt.timedelta(hours=6)
    assert str(entry["SUMMARY"]) == "Lagos"
    assert str(entry["URL"]).endswith(f"/veranstaltungen/{event.slug}/")


def test_all_and_series_feeds(client, site):
    berlin = make_event(title="Berlin", timezone="Europe/Berlin")
    make_event(title="Ulan-Bator", timezone="Asia/Ulaanbaatar")
    make_event(title="Entwurf", status=Event.Status.DRAFT)
    cal = _parse(client.get(reverse("events:feed_all")))
    titles = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert {"Berlin", "Ulan-Bator"} <= titles and "Entwurf" not in titles
    assert {str(z["TZID"]) for z in cal.walk("VTIMEZONE")} >= {"Europe/Berlin", "Asia/Ulaanbaatar"}
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids)) and f"event-{berlin.pk}@partnerportal" in uids

    series = _parse(client.get(reverse("events:feed_series", args=["regionalkonferenz-afrika"])))
    entries = {str(e["SUMMARY"]): e for e in series.walk("VEVENT")}
    assert len(entries) == 5
    # Known only by its year: an all-day entry over the year, not an invented day.
    year = entries["Regionalkonferenz Afrika 2013"]
    assert year.decoded("DTSTART") == dt.date(2013, 1, 1)
    assert year.decoded("DTEND") == dt.date(2014, 1, 1)
    month = entries["Regionalkonferenz Afrika 2022"]
    assert (month.decoded("DTSTART"), month.decoded("DTEND")) == (
        dt.date(2022, 9, 1),
        dt.date(2022, 10, 1),
    )
    assert "Dresden" in str(month["LOCATION"])


def test_hidden_event_feed_is_missing(client, site):
    draft = make_event(status=Event.Status.DRAFT)
    assert client.get(reverse("events:event_ical", args=[draft.slug])).status_code == 404
