"""events.services and events.rules: create, change with the version check, invitations by the
DAC rule, and the series history stored after migrate (evcal)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.core.concurrency import EditConflict
from partnerportal.events import services
from partnerportal.events.history import EVENTS, SERIES, history_ensure
from partnerportal.events.models import (
    DatePrecision,
    Event,
    EventInvitation,
    EventSeries,
    ParticipantGroup,
    RegistrationQuestion,
)
from partnerportal.events.rules import partner_municipality_admissible
from partnerportal.events.selectors import local_year
from partnerportal.registry.tests.factories import ForeignMunicipalityFactory, MunicipalityFactory

from .calendar_fixtures import make_event

pytestmark = pytest.mark.django_db

LAGOS = zoneinfo.ZoneInfo("Africa/Lagos")


def _times():
    start = dt.datetime(2031, 3, 12, 9, 0, tzinfo=LAGOS)
    return start, start + dt.timedelta(days=2, hours=8)


@pytest.fixture
def editor():
    return UserFactory(agency_staff=True)


def test_create_with_groups_questions_and_audit(editor):
    start, end = _times()
    event = services.event_create(
        actor=editor,
        title="Regionalkonferenz Afrika 2031",
        starts_at=start,
        ends_at=end,
        timezone="Africa/Lagos",
        capacity=120,
        registration_open=True,
        series=EventSeries.objects.get(slug="regionalkonferenz-afrika"),
        groups=[{"name": "Partnerkommunen", "seats": 40, "partner_side": True}],
        questions=[
            {
                "label": "Ernährung?",
                "kind": "choice",
                "choices": ["vegan", "alles"],
                "required": True,
            },
            {"label": "Dolmetschung?", "kind": "yes_no"},
        ],
    )
    event.refresh_from_db()
    assert event.slug == "regionalkonferenz-afrika-2031"
    assert event.format == "regional_conference"  # from the series
    assert event.starts_at == start
    assert ParticipantGroup.objects.get(event=event).seats == 40
    assert list(
        RegistrationQuestion.objects.filter(event=event).values_list("kind", flat=True)
    ) == [
        "choice",
        "yes_no",
    ]
    record = event.history.latest()
    assert record.history_change_reason == "events.event_created"
    assert record.history_user == editor


def test_create_refuses_others_naive_times_and_end_before_start(editor):
    start, end = _times()
    with pytest.raises(PermissionDenied):
        services.event_create(actor=UserFactory(), title="x", starts_at=start, ends_at=end)
    with pytest.raises(ValidationError) as naive:
        services.event_create(
            actor=editor, title="x", starts_at=start.replace(tzinfo=None), ends_at=end
        )
    assert "starts_at" in naive.value.error_dict
    with pytest.raises(ValidationError) as order:
        services.event_create(actor=editor, title="x", starts_at=end, ends_at=start)
    assert "__all__" in order.value.error_dict or "ends_at" in str(order.value)
    with pytest.raises(ValidationError) as zone:
        services.event_create(
            actor=editor, title="x", starts_at=start, ends_at=end, timezone="Mars/Olympus"
        )
    assert "timezone" in zone.value.error_dict
    assert not Event.objects.filter(title="x").exists()


def test_groups_may_not_keep_more_seats_than_the_event(editor):
    start, end = _times()
    with pytest.raises(ValidationError):
        services.event_create(
            actor=editor,
            title="Zu klein",
            starts_at=start,
            ends_at=end,
            capacity=10,
            groups=[{"name": "Partner", "seats": 11, "partner_side": True}],
        )
    assert not Event.objects.filter(title="Zu klein").exists()


def test_two_editors_never_overwrite_each_other(editor):
    event = make_event(title="Runder Tisch", capacity=30)
    read_by_both = event.version
    first = Event.objects.get(pk=event.pk)
    services.event_update(actor=editor, event=first, expected_version=read_by_both, capacity=40)
    second = Event.objects.get(pk=event.pk)
    with pytest.raises(EditConflict) as conflict:
        services.event_update(
            actor=UserFactory(agency_admin=True),
            event=second,
            expected_version=read_by_both,
            title="Überschrieben",
        )
    assert conflict.value.current_version == read_by_both + 1
    event.refresh_from_db()
    assert (event.title, event.capacity) == ("Runder Tisch", 40)
    assert event.history.latest().history_change_reason == "events.event_changed"


def test_update_changes_and_deletes_rows_of_its_own_event_only(editor):
    event = make_event()
    group = ParticipantGroup.objects.create(event=event, name="A", seats=5)
    other = ParticipantGroup.objects.create(event=make_event(), name="B", seats=5)
    services.event_update(
        actor=editor,
        event=event,
        expected_version=event.version,
        groups=[{"id": group.pk, "name": "A2", "seats": 6, "partner_side": False}],
    )
    group.refresh_from_db()
    assert (group.name, group.seats) == ("A2", 6)
    with pytest.raises(PermissionDenied):
        services.event_update(
            actor=editor,
            event=event,
            expected_version=event.version,
            groups=[{"id": other.pk, "delete": True}],
        )
    assert ParticipantGroup.objects.filter(pk=other.pk).exists()


def test_dac_rule_for_regional_conferences(editor):
    series = EventSeries.objects.get(slug="regionalkonferenz-afrika")
    event = make_event(series=series)
    german = MunicipalityFactory(name="Bonn")
    recipient = ForeignMunicipalityFactory(name="Dakar", iso2="SN")
    not_on_list = ForeignMunicipalityFactory(name="Paris", iso2="FR")
    assert partner_municipality_admissible(event, german) == (True, "")
    assert partner_municipality_admissible(event, recipient) == (True, "")
    admissible, reason = partner_municipality_admissible(event, not_on_list)
    assert not admissible and "DAC" in reason and "Paris" in reason

    services.event_invite(actor=editor, event=event, municipality=recipient)
    with pytest.raises(ValidationError) as refused:
        services.event_invite(actor=editor, event=event, municipality=not_on_list)
    assert "DAC" in refused.value.messages[0]
    with pytest.raises(ValidationError):  # twice
        services.event_invite(actor=editor, event=event, municipality=recipient)
    assert list(EventInvitation.objects.values_list("municipality__name", flat=True)) == ["Dakar"]
    # A round table has no such rule.
    round_table = make_event(series=EventSeries.objects.get(slug="runder-tisch-nicaragua"))
    services.event_invite(actor=editor, event=round_table, municipality=not_on_list)
    with pytest.raises(PermissionDenied):
        services.event_invite(actor=UserFactory(), event=round_table, municipality=german)


def test_history_is_there_after_migrate_and_idempotent():
    assert EventSeries.objects.filter(slug__in=[s.slug for s in SERIES]).count() == len(SERIES)
    keys = {e.source_key for e in EVENTS}
    assert Event.objects.filter(source_key__in=keys).count() == len(EVENTS)
    assert history_ensure() == (0, 0)
    africa = Event.objects.filter(series__slug="regionalkonferenz-afrika").order_by("starts_at")
    assert [local_year(e) for e in africa] == [2010, 2013, 2016, 2019, 2022]
    assert africa[0].date_precision == DatePrecision.YEAR
    dresden = africa.last()
    assert (dresden.place, dresden.date_precision) == ("Dresden", DatePrecision.MONTH)
    esslingen = Event.objects.get(source_key="history:regionalkonferenz-osteuropa-2017")
    assert esslingen.place == "Esslingen am Neckar"
    assert EventSeries.objects.get(slug="runder-tisch-mongolei").events.count() == 0
    assert EventSeries.objects.get(slug="regionalkonferenz-asien").rotation_years == 3
    assert EventSeries.objects.get(slug="regionalkonferenz-asien").oda_recipients_only


def test_fresh_installation_serves_the_calendar_and_the_plan(client):
    """No `site` fixture: what `migrate` alone leaves (events.signals stores the history)."""
    past = client.get("/de/veranstaltungen/?when=past")
    assert past.status_code == 200
    assert "Regionalkonferenz Osteuropa 2017" in past.content.decode()
    assert client.get("/de/veranstaltungen/regionalkonferenzen/").status_code == 200


def test_demo_events_are_open_for_registration_and_idempotent():
    from partnerportal.events.demo import DEMO, demo_events_load

    admin = UserFactory(agency_admin=True)
    assert demo_events_load(actor=admin) == len(DEMO)
    assert demo_events_load(actor=admin) == 0
    demo = Event.objects.filter(source_key__startswith="demo:")
    assert demo.count() == 3
    assert all(e.registration_open and e.ends_at > e.starts_at for e in demo)
    assert {e.format for e in demo} == {"regional_conference", "round_table", "seminar"}


def test_slugs_are_unique_and_never_a_page_of_the_calendar(editor):
    start, end = _times()
    first = services.event_create(actor=editor, title="Reihen", starts_at=start, ends_at=end)
    second = services.event_create(actor=editor, title="Reihen", starts_at=start, ends_at=end)
    assert (first.slug, second.slug) == ("reihen-2", "reihen-3")
