"""Event registrations in a person's data export (Art. 15 GDPR) and erasure (Art. 17): the
provider "event_registrations", registered with accounts in EventsConfig.ready (ADR 0012).

A registration is the person's if it is linked to their account or made with one of their
*verified* addresses: an address someone merely typed into their profile could be another
person's, whose registration would otherwise be exported to, or erased by, the wrong person.
Erasure anonymises exactly as the retention job does (retention.py) and first gives up seats
at events still to come, so that the waiting list moves up."""

from __future__ import annotations

import contextlib
from typing import Any

from allauth.account.models import EmailAddress
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from partnerportal.accounts.personal_data import PersonalDataProvider

from .models import Delegation, Registration
from .retention import registrations_anonymise

#: What the export shows of each registration: everything stored about the person.
EXPORTED_FIELDS = (
    "id",
    "status",
    "name",
    "email",
    "language",
    "municipality_text",
    "role",
    "answers",
    "dietary_needs",
    "interpretation_needs",
    "needs_visa_letter",
    "passport_number",
    "birth_date",
    "travel_support_requested",
    "travel_support_note",
    "consent_at",
    "queued_at",
    "confirmed_at",
    "cancelled_at",
    "checked_in_at",
    "created_at",
)


def _verified_addresses(user, addresses: list[str] | None = None) -> list[str]:
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    if addresses is not None:
        wanted = {address.casefold() for address in addresses if address}
        return [address for address in verified if address.casefold() in wanted]
    return list(verified)


def registrations_of(user, addresses: list[str] | None = None) -> models.QuerySet[Registration]:
    """The person's registrations not yet anonymised: by account or by a verified address."""
    query = Q(user=user)
    for address in _verified_addresses(user, addresses):
        query |= Q(email__iexact=address)
    return Registration.objects.filter(query, anonymised_at__isnull=True)


def delegations_registered_by(user, addresses: list[str] | None = None):
    """Delegations the person registered for others (their name and address as registrant)."""
    query = Q(pk__in=[])
    for address in _verified_addresses(user, addresses):
        query |= Q(registrant_email__iexact=address)
    return Delegation.objects.filter(query).exclude(registrant_email="")


def registrations_export(user) -> list[dict[str, Any]]:
    rows = []
    for registration in registrations_of(user).select_related(
        "event", "municipality", "group", "nationality", "delegation"
    ):
        row = {field: getattr(registration, field) for field in EXPORTED_FIELDS}
        row.update(
            {
                "event": registration.event.title,
                "event_id": registration.event_id,
                "event_starts_at": registration.event.starts_at,
                "municipality": registration.municipality.name if registration.municipality else "",
                "participant_group": registration.group.name if registration.group else "",
                "nationality": str(registration.nationality) if registration.nationality else "",
                "delegation_registered_by": (
                    registration.delegation.registrant_name if registration.delegation else ""
                ),
                "has_self_service_link": bool(registration.access_token_hash),
                "has_check_in_code": bool(registration.check_in_code),
            }
        )
        rows.append(row)
    for delegation in delegations_registered_by(user).select_related("event"):
        rows.append(
            {
                "delegation_id": delegation.pk,
                "event": delegation.event.title,
                "event_id": delegation.event_id,
                "registrant_name": delegation.registrant_name,
                "registrant_email": delegation.registrant_email,
                "language": delegation.language,
                "created_at": delegation.created_at,
            }
        )
    return rows


def registrations_erase(user, addresses: list[str]) -> None:
    """Give up future seats, then anonymise (inside the account's erasure transaction).

    Each future seat or place on the waiting list is given up through `registration_cancel`,
    the one service that frees seats: the waiting list moves up in its strict order (a waiting
    delegation as one) and the people who move up are told. The person being erased gets no
    cancellation e-mail."""
    from .actions import EventsRegistrationAction
    from .registrations import RegistrationStateError, registration_cancel

    now = timezone.now()
    with transaction.atomic():
        registrations = registrations_of(user, addresses)
        upcoming = registrations.filter(
            event__ends_at__gte=now,
            status__in=[
                Registration.Status.CONFIRMED,
                Registration.Status.WAITLISTED,
                Registration.Status.OFFERED,
            ],
        ).order_by("event_id", "queued_at", "pk")
        for registration in list(upcoming):
            # Cancelled meanwhile (RegistrationStateError): nothing left to give up.
            with contextlib.suppress(RegistrationStateError):
                registration_cancel(
                    registration=registration,
                    actor=user,
                    notify=False,
                    action=EventsRegistrationAction.CANCELLED_ON_ERASURE,
                )
        registrations_anonymise(registrations)
        delegations_registered_by(user, addresses).update(registrant_name="", registrant_email="")


PROVIDER = PersonalDataProvider(
    key="event_registrations", export=registrations_export, erase=registrations_erase
)
