"""DSGVO erasure of a participant with a future seat gives the seat up through the one cancel
service, so the waiting list moves up in its order (personal_data.registrations_erase)."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from partnerportal.accounts.personal_data import personal_data_providers
from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.events.models import Registration
from partnerportal.events.registrations import registration_cancel

from .registration_helpers import committed, event_make, person, register

pytestmark = pytest.mark.django_db

S = Registration.Status


def _erase(user, addresses):
    provider = next(p for p in personal_data_providers() if p.key == "event_registrations")
    with committed():
        provider.erase(user, addresses)


def _status(event) -> dict[str, str]:
    return dict(Registration.objects.filter(event=event).values_list("name", "status"))


def _kim():
    kim = person("Kim")
    kim.email = "kim@example.org"
    return kim


def _person_with_account(email: str):
    user = UserFactory(email=email)
    EmailAddress.objects.update_or_create(email=email, defaults={"user": user, "verified": True})
    return user


def test_erasing_a_confirmed_participant_promotes_the_first_waiting_person():
    event = event_make(capacity=1)
    kim = _person_with_account("kim@example.org")
    seat = register(event, _kim())[0].registration
    first = register(event, person("Erste"))[0].registration
    register(event, person("Zweite"))
    mail.outbox.clear()

    _erase(kim, ["kim@example.org"])

    seat.refresh_from_db()
    assert seat.status == S.CANCELLED and seat.anonymised_at is not None and seat.name == ""
    status = Registration.objects.filter(event=event)
    assert status.get(pk=first.pk).status == S.CONFIRMED
    assert status.get(name="Zweite").status == S.WAITLISTED
    # the person who moved up is told; the erased person gets no e-mail
    recipients = [address for message in mail.outbox for address in message.to]
    assert first.email in recipients
    assert "kim@example.org" not in recipients


def test_erasing_frees_seats_for_a_waiting_delegation_as_one():
    """Two seats; a delegation of two waits ahead of a single person. One seat freed by a
    cancellation is not enough (strict order: the single person stays behind); erasing the
    second confirmed participant seats the delegation whole."""
    event = event_make(capacity=2)
    kim = _person_with_account("kim@example.org")
    seat = register(event, _kim())[0].registration
    other = register(event, person("Other"))[0].registration
    register(event, person("D1"), person("D2"))
    register(event, person("Single"))
    with committed():
        registration_cancel(registration=other)
    assert (_status(event)["D1"], _status(event)["Single"]) == (S.WAITLISTED, S.WAITLISTED)

    _erase(kim, ["kim@example.org"])

    seat.refresh_from_db()
    assert seat.status == S.CANCELLED
    status = _status(event)
    assert (status["D1"], status["D2"], status["Single"]) == (
        S.CONFIRMED,
        S.CONFIRMED,
        S.WAITLISTED,
    )
