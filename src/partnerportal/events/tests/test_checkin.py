"""Check-in at the door: codes, idempotence, refusals with reasons, undo, the page without
JavaScript."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.events.models import Registration
from partnerportal.events.organising import (
    CHECK_IN_ALPHABET,
    CHECK_IN_CODE_LENGTH,
    CheckInOutcome,
    check_in_code_ensure,
    check_in_codes_ensure,
    registration_check_in,
    registration_check_in_undo,
)

from .factories_org import event_make, registration_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return UserFactory(agency_staff=True)


def test_code_is_given_once_and_kept():
    registration = registration_make(event_make())
    code = check_in_code_ensure(registration)
    assert len(code) == CHECK_IN_CODE_LENGTH
    assert set(code) <= set(CHECK_IN_ALPHABET)
    assert check_in_code_ensure(registration) == code
    registration.refresh_from_db()
    assert registration.check_in_code == code


def test_every_confirmed_registration_gets_a_unique_code():
    event = event_make()
    for _ in range(40):
        registration_make(event)
    registration_make(event, status=Registration.Status.WAITLISTED)
    assert check_in_codes_ensure(event) == 40
    codes = list(
        Registration.objects.filter(event=event, status="confirmed").values_list(
            "check_in_code", flat=True
        )
    )
    assert all(codes) and len(set(codes)) == 40
    assert Registration.objects.get(event=event, status="waitlisted").check_in_code == ""
    assert check_in_codes_ensure(event) == 0


def test_a_code_twice_in_one_event_is_refused_by_the_database():
    from django.db import IntegrityError

    event = event_make()
    registration_make(event, check_in_code="ABCD2345")
    with pytest.raises(IntegrityError):
        registration_make(event, check_in_code="ABCD2345")


def test_scanned_twice_counts_once(editor):
    event = event_make(timezone="Europe/Berlin")
    registration = registration_make(event, name="Amara Diallo")
    code = check_in_code_ensure(registration)

    first = registration_check_in(actor=editor, event=event, code=code.lower())
    assert first.outcome == CheckInOutcome.CHECKED_IN
    registration.refresh_from_db()
    checked_in_at = registration.checked_in_at
    assert checked_in_at is not None

    second = registration_check_in(actor=editor, event=event, code=f" {code[:4]}-{code[4:]} ")
    assert second.outcome == CheckInOutcome.ALREADY
    assert re.search(r"\b\d\d:\d\d\b", second.message)
    registration.refresh_from_db()
    assert registration.checked_in_at == checked_in_at
    assert Registration.objects.filter(event=event, checked_in_at__isnull=False).count() == 1


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (Registration.Status.CANCELLED, "cancelled"),
        (Registration.Status.WAITLISTED, "waiting list"),
        (Registration.Status.OFFERED, "offered"),
    ],
)
def test_people_without_a_seat_are_refused_with_the_reason(editor, status, reason):
    event = event_make()
    registration = registration_make(event, status=status, check_in_code="WXYZ2345")
    with translation.override("en"):
        result = registration_check_in(actor=editor, event=event, code="WXYZ2345")
    assert result.outcome == CheckInOutcome.REFUSED
    assert reason in result.message
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_code_of_another_event_is_unknown_here(editor):
    registration = registration_make(event_make(), check_in_code="HJKM2345")
    result = registration_check_in(actor=editor, event=event_make(), code="HJKM2345")
    assert result.outcome == CheckInOutcome.REFUSED
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_undo(editor):
    event = event_make()
    registration = registration_make(event)
    code = check_in_code_ensure(registration)
    registration_check_in(actor=editor, event=event, code=code)
    registration_check_in_undo(actor=editor, registration=registration)
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    again = registration_check_in(actor=editor, event=event, code=code)
    assert again.outcome == CheckInOutcome.CHECKED_IN


def test_only_organisers_check_in():
    event = event_make()
    registration = registration_make(event)
    code = check_in_code_ensure(registration)
    with pytest.raises(PermissionDenied):
        registration_check_in(actor=UserFactory(reviewer=True), event=event, code=code)


def test_the_page_works_as_a_plain_form(client, editor):
    event = event_make()
    registration = registration_make(event, name="Oyuna Batbayar")
    code = check_in_code_ensure(registration)
    client.force_login(editor)
    url = reverse("events:organiser_check_in", kwargs={"slug": event.slug})

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="code"' in html and "checkin.js" in html
    assert "<script>" not in html  # the policy allows no inline script

    response = client.post(url, {"code": code})
    assert response.status_code == 200
    assert "Oyuna Batbayar" in response.content.decode()
    assert 'data-outcome="checked_in"' in response.content.decode()

    again = client.post(url, {"code": code})
    assert 'data-outcome="already"' in again.content.decode()

    undo = client.post(
        reverse(
            "events:organiser_check_in_undo", kwargs={"slug": event.slug, "pk": registration.pk}
        )
    )
    assert undo.status_code == 302
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_the_page_refuses_a_cancelled_registration_with_409(client, editor):
    event = event_make()
    registration_make(event, status=Registration.Status.CANCELLED, check_in_code="QRST2345")
    client.force_login(editor)
    response = client.post(
        reverse("events:organiser_check_in", kwargs={"slug": event.slug}), {"code": "QRST2345"}
    )
    assert response.status_code == 409
    assert 'data-outcome="refused"' in response.content.decode()


@pytest.fixture
def role_groups(transactional_db):
    """A transactional test: a flush before it removed what migrations created; the role groups
    (which `UserFactory(agency_staff=True)` joins) are put back."""
    import importlib

    from django.apps import apps

    importlib.import_module("partnerportal.accounts.migrations.0003_role_groups").create_groups(
        apps, None
    )


@pytest.mark.django_db(transaction=True)
def test_two_doors_scanning_the_same_badge_at_once_count_it_once(role_groups):
    """Eight threads check the same code in at the same moment: one is told "checked in", the
    others "already", nobody gets an error, and the time is the first one's."""
    import threading

    from django.db import connection

    event = event_make()
    registration = registration_make(event)
    code = check_in_code_ensure(registration)
    editor = UserFactory(agency_staff=True)
    start = threading.Barrier(8)
    outcomes, errors = [], []

    def door():
        try:
            start.wait()
            outcomes.append(registration_check_in(actor=editor, event=event, code=code).outcome)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=door) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == sorted([CheckInOutcome.CHECKED_IN] + [CheckInOutcome.ALREADY] * 7)
