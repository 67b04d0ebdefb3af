"""Retention: registrations are anonymised after the event's end plus the series' period (or
the default), statistics stay; and a person's own export and erasure (DSGVO provider)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from partnerportal.accounts.personal_data import personal_data_providers
from partnerportal.accounts.tests.factories import MunicipalityFactory, UserFactory
from partnerportal.events.models import Delegation, ParticipantGroup, Registration
from partnerportal.events.retention import (
    events_due_for_anonymisation,
    registrations_retention_run,
    retention_apply,
)
from partnerportal.geo.models import Country

from .factories_org import delegation_make, event_make, registration_make, series_make

pytestmark = pytest.mark.django_db


def _personal(event) -> int:
    """Registrations of `event` that still name a person."""
    return Registration.objects.filter(event=event).exclude(name="").count()


def _full_registration(event, **fields) -> Registration:
    return registration_make(
        event,
        answers={"1": "Workshop B"},
        dietary_needs="halal",
        interpretation_needs="Französisch",
        passport_number="P1234567",
        birth_date=timezone.now().date() - timedelta(days=40 * 365),
        nationality=Country.objects.filter(pk="BF").first(),
        needs_visa_letter=True,
        travel_support_note="Flug Ouagadougou–Frankfurt",
        municipality_text="Verein e. V.",
        check_in_code=fields.pop("check_in_code", ""),
        **fields,
    )


@pytest.fixture
def past_events(settings):
    settings.EVENTS_RETENTION_DAYS = 365
    now = timezone.now()
    short = series_make(retention_days=30)
    due = event_make(series=short, starts_at=now - timedelta(days=41))  # ended 40 days ago
    kept = event_make(series=short, starts_at=now - timedelta(days=11))  # ended 10 days ago
    old = event_make(starts_at=now - timedelta(days=401))  # no series: 365 days
    recent = event_make(starts_at=now - timedelta(days=101))  # no series, within 365
    return due, kept, old, recent


def test_figures_before_and_after(past_events):
    due, kept, old, recent = past_events
    municipality = MunicipalityFactory()
    group = ParticipantGroup.objects.create(event=due, name="Partner", seats=5)
    checked_in_at = timezone.now() - timedelta(days=40)
    for _ in range(4):
        _full_registration(due, municipality=municipality, group=group, checked_in_at=checked_in_at)
    _full_registration(due, status=Registration.Status.CANCELLED, language="fr")
    delegation, _ = delegation_make(due, size=2)
    for event in (kept, old, recent):
        for _ in range(3):
            _full_registration(event)

    before = {event.pk: _personal(event) for event in past_events}
    assert before == {due.pk: 7, kept.pk: 3, old.pk: 3, recent.pk: 3}
    statistics_before = list(
        Registration.objects.filter(event=due)
        .order_by("pk")
        .values_list("status", "group_id", "municipality_id", "language", "checked_in_at")
    )

    figures = retention_apply()
    assert figures == {"events": 2, "registrations": 10}

    after = {event.pk: _personal(event) for event in past_events}
    assert after == {due.pk: 0, kept.pk: 3, old.pk: 0, recent.pk: 3}
    # the statistics stay exactly
    statistics_after = list(
        Registration.objects.filter(event=due)
        .order_by("pk")
        .values_list("status", "group_id", "municipality_id", "language", "checked_in_at")
    )
    assert statistics_after == statistics_before
    for registration in Registration.objects.filter(event__in=[due, old]):
        assert registration.anonymised_at is not None
        assert (registration.name, registration.email, registration.passport_number) == ("", "", "")
        assert registration.answers == {} and registration.birth_date is None
        assert registration.nationality_id is None and registration.user_id is None
        assert registration.dietary_needs == registration.interpretation_needs == ""
        assert registration.travel_support_note == registration.municipality_text == ""
        assert registration.access_token_hash is None
    delegation.refresh_from_db()
    assert (delegation.registrant_name, delegation.registrant_email) == ("", "")
    # counts by status are what they were
    assert Registration.objects.filter(event=due, status="confirmed").count() == 6
    assert Registration.objects.filter(event=due, checked_in_at__isnull=False).count() == 4


def test_idempotent(past_events):
    due = past_events[0]
    for _ in range(2):
        _full_registration(due)
    assert retention_apply() == {"events": 1, "registrations": 2}
    first = list(Registration.objects.filter(event=due).values_list("anonymised_at", flat=True))
    assert retention_apply() == {"events": 0, "registrations": 0}
    assert registrations_retention_run.call() == {"events": 0, "registrations": 0}
    second = list(Registration.objects.filter(event=due).values_list("anonymised_at", flat=True))
    assert first == second
    assert events_due_for_anonymisation() == []


def test_series_period_decides(past_events):
    _due, kept, *_ = past_events
    _full_registration(kept)
    assert kept not in events_due_for_anonymisation()
    later = timezone.now() + timedelta(days=25)
    assert kept in events_due_for_anonymisation(at=later)


def test_job_is_registered():
    from partnerportal.core.schedule import job_get

    assert job_get("event_registrations_retention").interval == timedelta(days=1)
    assert job_get("event_messages_send_due").interval == timedelta(minutes=5)


# --- DSGVO -----------------------------------------------------------------------------------


def _provider():
    return next(p for p in personal_data_providers() if p.key == "event_registrations")


def test_export_by_account_and_verified_address():
    person = UserFactory(email="jana@example.org")
    EmailAddress.objects.create(user=person, email="jana.alt@example.org", verified=True)
    EmailAddress.objects.create(user=person, email="someone@example.org", verified=False)
    event = event_make(title="Netzwerktreffen")
    linked = _full_registration(event, user=person, email="other@example.org")
    by_address = _full_registration(event_make(), email="Jana.Alt@example.org")
    not_hers = _full_registration(event, email="someone@example.org")

    rows = _provider().export(person)
    assert {row["id"] for row in rows} == {linked.pk, by_address.pk}
    row = next(row for row in rows if row["id"] == linked.pk)
    assert row["event"] == "Netzwerktreffen"
    assert row["passport_number"] == "P1234567"
    assert row["answers"] == {"1": "Workshop B"}
    assert not_hers.pk not in {row["id"] for row in rows}


def test_erase_anonymises_and_gives_up_future_seats():
    person = UserFactory(email="kim@example.org")
    future = event_make(starts_at=timezone.now() + timedelta(days=10))
    past = event_make(starts_at=timezone.now() - timedelta(days=10))
    seat = _full_registration(future, user=person, email="kim@example.org")
    waiting = _full_registration(future, email="kim@example.org", status="waitlisted")
    attended = _full_registration(past, user=person, checked_in_at=timezone.now())
    someone_else = _full_registration(future)

    _provider().erase(person, ["kim@example.org"])

    seat.refresh_from_db()
    waiting.refresh_from_db()
    attended.refresh_from_db()
    someone_else.refresh_from_db()
    assert seat.status == waiting.status == Registration.Status.CANCELLED
    assert seat.cancelled_at is not None
    assert attended.status == Registration.Status.CONFIRMED  # the past stays as it was
    assert attended.checked_in_at is not None
    for registration in (seat, waiting, attended):
        assert registration.anonymised_at is not None and registration.name == ""
        assert registration.email == "" and registration.passport_number == ""
    assert someone_else.anonymised_at is None and someone_else.name
    assert _provider().export(person) == []


def test_account_erasure_runs_the_provider(client):
    from partnerportal.accounts.services import account_delete

    person = UserFactory(email="lea@example.org")
    registration = _full_registration(event_make(), user=person, email="lea@example.org")
    account_delete(actor=person, user=person)
    registration.refresh_from_db()
    assert registration.anonymised_at is not None
    assert registration.status == Registration.Status.CANCELLED


def test_delegation_registrant_kept_while_members_are_not_all_anonymised():
    event = event_make()
    person = UserFactory(email="member@example.org")
    delegation, members = delegation_make(event, size=2)
    Registration.objects.filter(pk=members[0].pk).update(user=person)
    _provider().erase(person, [])
    delegation.refresh_from_db()
    assert delegation.registrant_name  # the other member's registration still needs it
    assert Delegation.objects.filter(pk=delegation.pk).exists()


def test_delegations_registered_by_the_person_are_exported_and_erased():
    person = UserFactory(email="leitung@example.org")
    event = event_make(title="Regionalkonferenz Asien")
    delegation, members = delegation_make(
        event, size=2, registrant_name="Frau Leitung", registrant_email="Leitung@example.org"
    )
    rows = _provider().export(person)
    assert [row["delegation_id"] for row in rows] == [delegation.pk]
    assert rows[0]["registrant_name"] == "Frau Leitung"

    _provider().erase(person, ["leitung@example.org"])
    delegation.refresh_from_db()
    assert (delegation.registrant_name, delegation.registrant_email) == ("", "")
    # the members are other people: their registrations stay
    assert all(
        not member.anonymised_at
        for member in Registration.objects.filter(pk__in=[m.pk for m in members])
    )
