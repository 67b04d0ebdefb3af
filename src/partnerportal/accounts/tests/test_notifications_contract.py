"""Accounts against the real notifications app."""

import json

import pytest

from partnerportal.accounts import services

from .conftest import REAL_NOTIFICATION_SERVICES
from .factories import MembershipFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_notifications(monkeypatch):
    from partnerportal.notifications.models import Activity

    monkeypatch.setattr(services, "notifications", REAL_NOTIFICATION_SERVICES)
    return Activity


def test_request_and_confirm_reach_the_activity_feed(
    real_notifications, django_capture_on_commit_callbacks
):
    Activity = real_notifications
    municipality = MunicipalityFactory()
    staff = UserFactory(role="agency_editor", mfa=True)
    person = UserFactory(email="me@example.org", name="Erika Muster")
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_request(actor=person, municipality=municipality)
    assert Activity.objects.filter(recipient=staff, event="membership.requested").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_confirm(actor=staff, membership=membership)
    assert Activity.objects.filter(recipient=person, event="membership.confirmed").count() == 1

    # The export holds entries the person received and those they caused.
    exported = json.loads(services.account_export_json(actor=person, user=person))
    events = sorted(a["event"] for a in exported["activity"])
    assert events == ["membership.confirmed", "membership.requested"]

    staff_entry = Activity.objects.get(recipient=staff, event="membership.requested")
    assert person.name in staff_entry.target_repr
    services.account_delete(actor=person, user=person)
    assert not Activity.objects.filter(recipient=person).exists()
    # Staff keep their entry, without the person's name.
    staff_entry.refresh_from_db()
    assert person.name not in staff_entry.target_repr
    assert municipality.name in staff_entry.target_repr


def test_decline_reaches_the_person(real_notifications, django_capture_on_commit_callbacks):
    Activity = real_notifications
    request = MembershipFactory(requested=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decline(
            actor=UserFactory(role="agency_admin", mfa=True), membership=request
        )
    assert Activity.objects.filter(recipient=request.user, event="membership.declined").exists()


def test_export_of_entries_caused_for_others_leaves_out_the_recipient(
    real_notifications, django_capture_on_commit_callbacks
):
    """Who was told of a person's request, and when they read it, is the recipient's data."""
    from django.utils import timezone

    Activity = real_notifications
    municipality = MunicipalityFactory()
    staff = UserFactory(role="agency_editor", mfa=True)
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request(actor=person, municipality=municipality)
    Activity.objects.filter(recipient=staff).update(read_at=timezone.now())

    exported = json.loads(services.account_export_json(actor=person, user=person))

    [entry] = [a for a in exported["activity"] if a["event"] == "membership.requested"]
    assert entry["actor_id"] == person.pk
    assert "recipient_id" not in entry and "read_at" not in entry


def test_deletion_scrubs_the_name_from_entries_about_the_person_only(
    real_notifications, django_capture_on_commit_callbacks
):
    """A name is free text ("Köln", "e"): the entries of other people that are not about the
    person keep their text; those about the person's request lose the name."""
    Activity = real_notifications
    koeln = MunicipalityFactory(name="Köln")
    staff = UserFactory(role="agency_editor", mfa=True)
    other = UserFactory(name="Erika Muster")
    person = UserFactory(name="Köln")
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request(actor=other, municipality=koeln)
        services.membership_request(actor=person, municipality=koeln)
    about_other = Activity.objects.get(recipient=staff, actor=other)
    about_person = Activity.objects.get(recipient=staff, actor=person)
    assert about_other.target_repr == "Erika Muster – Köln"

    services.account_delete(actor=person, user=person)

    about_other.refresh_from_db()
    assert about_other.target_repr == "Erika Muster – Köln"
    about_person.refresh_from_db()
    assert about_person.target_repr.count("Köln") == 1  # the municipality, not the name
