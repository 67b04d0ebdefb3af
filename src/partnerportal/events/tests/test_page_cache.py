"""The calendar and event pages keep what does not change with registrations in the shared
cache (events.changes): a cached page reads few queries, shows seats live, and a change of an
event or of the registry shows at once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerportal.events.models import Registration
from partnerportal.registry.tests.factories import MunicipalityFactory

from .calendar_fixtures import make_event, register

pytestmark = pytest.mark.django_db

#: Versions (2), cached pieces (2 reads), seats (1), the layout's footer links (2), session
#: and user lookups of the test client's anonymous request included.
CALENDAR_QUERIES = 8
EVENT_PAGE_QUERIES = 10


def test_calendar_cached_with_live_seats(client, site, django_assert_max_num_queries):
    for _ in range(25):
        make_event(capacity=10)
    soon = timezone.now() + dt.timedelta(days=1)
    event = make_event(
        title="Die erste", capacity=40, starts_at=soon, ends_at=soon + dt.timedelta(hours=2)
    )
    url = reverse("events:calendar")
    client.get(url)  # fills the cache
    with django_assert_max_num_queries(CALENDAR_QUERIES):
        response = client.get(url)
    assert response.context["page"].paginator.count == 26
    register(event, 3)  # registrations do not empty the cache: the seats are counted live
    with django_assert_max_num_queries(CALENDAR_QUERIES):
        page = client.get(url).content.decode()
    assert re.search(r"37 \w+ 40", page)
    event.title = "Umbenannt"
    event.save()
    assert "Umbenannt" in client.get(url).content.decode()
    assert len(client.get(url, {"page": 2}).context["rows"]) == 6
    assert len(client.get(url, {"page": "x"}).context["rows"]) == 20


def test_event_page_cached_with_live_seats(
    client, site, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    host = MunicipalityFactory(name="Bonn")
    event = make_event(capacity=50, hosts=[host], registration_open=True)
    register(event, 2, Registration.Status.WAITLISTED)
    url = reverse("events:event_detail", args=[event.slug])
    client.get(url)
    with django_assert_max_num_queries(EVENT_PAGE_QUERIES):
        page = client.get(url).content.decode()
    assert "Bonn" in page and re.search(r"50 \w+ 50", page)
    register(event, 12)
    page = client.get(url).content.decode()
    assert re.search(r"38 \w+ 50", page)  # seats live on a cached page
    host.name = "Bonn am Rhein"
    with django_capture_on_commit_callbacks(execute=True):
        host.save()  # the registry's version moves once the change commits
    assert "Bonn am Rhein" in client.get(url).content.decode()
    event.host_municipalities.set([MunicipalityFactory(name="Leipzig")])
    assert "Leipzig" in client.get(url).content.decode()
