"""Registering, the waiting list and cancellations (events.registrations, events.waitlist)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from partnerportal.events.models import Event, ParticipantGroup, Registration, RegistrationQuestion
from partnerportal.events.registrations import (
    RegistrationClosed,
    RegistrationInvalid,
    access_token_for,
    offers_expire,
    registration_by_token,
    registration_cancel,
    registration_offer_accept,
    registration_offer_decline,
    reminders_send,
    token_hash,
)
from partnerportal.events.signals import travel_support_requested
from partnerportal.registry.tests.factories import ForeignMunicipalityFactory, MunicipalityFactory

from .registration_helpers import committed, event_make, person, register

pytestmark = pytest.mark.django_db

S = Registration.Status


def statuses(event: Event) -> dict[str, str]:
    return dict(Registration.objects.filter(event=event).values_list("name", "status"))


def test_seats_then_waiting_list_with_positions():
    event = event_make(capacity=2)
    a, b, c, d = (register(event, person(n))[0] for n in "ABCD")
    assert [r.registration.status for r in (a, b)] == [S.CONFIRMED, S.CONFIRMED]
    assert (a.position, c.registration.status, c.position, d.position) == (None, S.WAITLISTED, 1, 2)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"registration_open": False}, "ist geschlossen"),
        ({"registration_closes_at": timezone.now() - timedelta(hours=1)}, "wurde am"),
        ({"status": Event.Status.CANCELLED}, "abgesagt"),
        (
            {
                "starts_at": timezone.now() - timedelta(days=3),
                "ends_at": timezone.now() - timedelta(days=2),
            },
            "vorbei",
        ),
    ],
)
def test_closed_registration_is_refused_with_the_reason_and_saves_nothing(change, message):
    event = event_make(**change)
    with pytest.raises(RegistrationClosed, match=message):
        register(event, person())
    assert not Registration.objects.filter(event=event).exists()
    assert mail.outbox == []


def test_cancellation_promotes_in_order_confirm_mode():
    event = event_make(capacity=1)
    first = register(event, person("A"))[0].registration
    register(event, person("B"))
    register(event, person("C"))
    mail.outbox.clear()
    with committed():
        promoted = registration_cancel(registration=first)
    assert [r.name for r in promoted] == ["B"]
    assert statuses(event) == {"A": S.CANCELLED, "B": S.CONFIRMED, "C": S.WAITLISTED}
    c = Registration.objects.get(event=event, name="C")
    from partnerportal.events.waitlist import waitlist_position

    assert waitlist_position(c) == 1
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(subjects) == 2 and any("storniert" in s for s in subjects), subjects


def test_delegation_waits_whole_and_later_smaller_unit_does_not_jump_it():
    """Strict order: a delegation of three at the head waits for three seats; a single person
    behind it stays behind even though one seat is free."""
    event = event_make(capacity=3)
    one = register(event, person("A"))[0].registration
    register(event, person("B"))
    register(event, person("C"))
    delegation = register(event, person("D1"), person("D2"), person("D3"))
    assert {r.registration.status for r in delegation} == {S.WAITLISTED}
    assert {r.position for r in delegation} == {1}
    late = register(event, person("E"))[0]
    assert late.position == 2
    registration_cancel(registration=one)  # one seat free: the delegation needs three
    assert statuses(event)["E"] == S.WAITLISTED
    assert statuses(event)["D1"] == S.WAITLISTED
    # a newcomer does not take the free seat either
    assert register(event, person("F"))[0].registration.status == S.WAITLISTED
    for name in ("B", "C"):
        registration_cancel(registration=Registration.objects.get(event=event, name=name))
    s = statuses(event)
    assert (s["D1"], s["D2"], s["D3"], s["E"]) == (
        S.CONFIRMED,
        S.CONFIRMED,
        S.CONFIRMED,
        S.WAITLISTED,
    )


def test_delegation_that_allows_split_takes_what_fits():
    event = event_make(capacity=2)
    result = register(event, person("D1"), person("D2"), person("D3"), allow_split=True)
    assert [r.registration.status for r in result] == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED]
    assert result[2].position == 1
    registration_cancel(registration=result[0].registration)
    assert Registration.objects.get(pk=result[2].registration.pk).status == S.CONFIRMED


def test_delegation_confirmed_whole_when_all_fit():
    event = event_make(capacity=5)
    result = register(event, person(), person(), person())
    assert {r.registration.status for r in result} == {S.CONFIRMED}
    assert len({r.registration.delegation_id for r in result}) == 1
    assert len(mail.outbox) == 3  # each person their own e-mail and link


def test_partner_seats_only_for_municipalities_outside_germany():
    event = event_make(capacity=3)
    partner_seats = ParticipantGroup.objects.create(
        event=event, name="Partnerkommunen", seats=2, partner_side=True
    )
    german = MunicipalityFactory()
    lima = ForeignMunicipalityFactory(name="Lima", iso2="PE")
    g1 = register(event, person(municipality=german))[0].registration
    g2 = register(event, person(municipality=german))[0].registration
    assert (g1.status, g2.status) == (S.CONFIRMED, S.WAITLISTED)  # 1 open seat; group kept free
    p1 = register(event, person(municipality=lima))[0].registration
    p2 = register(event, person(municipality=lima))[0].registration
    p3 = register(event, person(municipality=lima))[0].registration
    assert (p1.group, p2.group) == (partner_seats, partner_seats)
    assert (p1.status, p2.status, p3.status) == (S.CONFIRMED, S.CONFIRMED, S.WAITLISTED)
    # a partner seat that becomes free goes to the partner behind, not to the German ahead
    registration_cancel(registration=p1)
    assert Registration.objects.get(pk=p3.pk).status == S.CONFIRMED
    assert Registration.objects.get(pk=g2.pk).status == S.WAITLISTED


def test_offer_mode_offers_accept_decline_and_expiry():
    event = event_make(capacity=1, waitlist_mode=Event.WaitlistMode.OFFER, offer_hours=24)
    a = register(event, person("A"))[0].registration
    b = register(event, person("B"))[0].registration
    c = register(event, person("C"))[0].registration
    d = register(event, person("D"))[0].registration
    registration_cancel(registration=a)
    b.refresh_from_db()
    assert b.status == S.OFFERED and b.offered_until > timezone.now() + timedelta(hours=23)
    # the offered seat is held: a newcomer waits
    assert register(event, person("E"))[0].registration.status == S.WAITLISTED
    registration_offer_decline(registration=b)
    c.refresh_from_db()
    assert c.status == S.OFFERED
    # nobody answers: the job passes it on
    assert offers_expire(at=timezone.now() + timedelta(hours=25)) == 1
    c.refresh_from_db()
    d.refresh_from_db()
    assert (c.status, d.status) == (S.CANCELLED, S.OFFERED)
    registration_offer_accept(registration=d)
    d.refresh_from_db()
    assert d.status == S.CONFIRMED


def test_leaving_the_waiting_list_moves_the_others_up():
    event = event_make(capacity=1)
    register(event, person("A"))
    b = register(event, person("B"))[0].registration
    c = register(event, person("C"))[0]
    assert c.position == 2
    registration_cancel(registration=b)
    from partnerportal.events.waitlist import waitlist_position

    assert waitlist_position(Registration.objects.get(pk=c.registration.pk)) == 1
    assert statuses(event)["A"] == S.CONFIRMED


def test_token_only_hash_is_stored_and_finds_the_registration():
    event = event_make()
    registration = register(event, person())[0].registration
    token = access_token_for(registration)
    assert registration.access_token_hash == token_hash(token) != token
    assert token not in str(Registration.objects.filter(pk=registration.pk).values().get())
    assert registration_by_token(token) == registration
    assert registration_by_token(token[:-1] + "x") is None


def test_questions_required_and_consent_checked():
    event = event_make(consent_text="Fotos dürfen veröffentlicht werden.")
    question = RegistrationQuestion.objects.create(
        event=event, label="Workshop", kind="choice", choices=["A", "B"], required=True
    )
    with pytest.raises(RegistrationInvalid) as error:
        register(event, person(answers={str(question.pk): "C"}))
    assert set(error.value.errors) == {f"q_{question.pk}", "consent"}
    assert not Registration.objects.exists()
    result = register(event, person(answers={str(question.pk): "B"}, consent=True))[0]
    assert result.registration.answers == {str(question.pk): "B"}
    assert result.registration.consent_at is not None


def test_travel_support_signal_after_commit():
    received = []

    def receiver(sender, registration, **kwargs):
        received.append((sender, registration.pk, registration.travel_support_note))

    travel_support_requested.connect(receiver)
    try:
        event = event_make()
        plain = register(event, person())[0].registration
        asked = register(
            event, person(travel_support_requested=True, travel_support_note="Flug aus Lima")
        )[0].registration
    finally:
        travel_support_requested.disconnect(receiver)
    assert received == [(Registration, asked.pk, "Flug aus Lima")]
    assert plain.pk not in [r[1] for r in received]


def test_reminders_once_per_registration():
    event = event_make(capacity=5, starts_at=timezone.now() + timedelta(hours=20))
    event.ends_at = event.starts_at + timedelta(hours=8)
    event.save()
    register(event, person())
    register(event, person())
    later = event_make(capacity=5)
    register(later, person())
    mail.outbox.clear()
    with committed():
        assert reminders_send() == 2
        assert reminders_send() == 0
    assert len(mail.outbox) == 2 and all("Erinnerung" in m.subject for m in mail.outbox)
