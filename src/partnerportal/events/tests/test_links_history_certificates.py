"""Self-service links that can be renewed (old ones die), the registration's history for the
organisers (states and ids only), and certificates of attendance by e-mail."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.audit.actions import action_label, registered_actions
from partnerportal.events.actions import (
    EventsAction,
    EventsOrganiserAction,
    EventsRegistrationAction,
)
from partnerportal.events.certificate_emails import certificates_send
from partnerportal.events.models import REGISTRATION_PERSONAL_FIELDS, Registration
from partnerportal.events.organising import (
    registration_cancel_by_organiser,
    registration_check_in,
)
from partnerportal.events.registration_history import registration_timeline
from partnerportal.events.registrations import (
    access_token_for,
    registration_by_token,
    registration_cancel,
    registration_link_renew,
    registration_links_request,
    registration_offer_decline,
)

from .registration_helpers import committed, event_make, person, register

pytestmark = pytest.mark.django_db

S = Registration.Status
A = EventsRegistrationAction


@pytest.fixture
def editor():
    return UserFactory(agency_staff=True, language="de")


def _manage_url(token: str) -> str:
    return reverse("events:registration_manage", kwargs={"token": token})


def _links_in_outbox() -> list[str]:
    return [
        line.strip()
        for message in mail.outbox
        for line in message.body.splitlines()
        if "/anmeldung/" in line
    ]


# --- Links -------------------------------------------------------------------------------------


def test_organiser_renews_the_link_old_one_dies_new_one_works(client, editor):
    event = event_make()
    registration = register(event, person("Ada"))[0].registration
    old = access_token_for(registration)
    assert client.get(_manage_url(old)).status_code == 200
    mail.outbox.clear()

    with committed():
        renewed = registration_link_renew(actor=editor, registration=registration)

    new = access_token_for(renewed)
    assert new != old
    assert renewed.access_token_hash != registration.access_token_hash
    assert registration_by_token(old) is None
    assert registration_by_token(new) == registration
    # the person receives the new link, and only the new one
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [registration.email]
    assert any(new in line for line in _links_in_outbox())
    assert not any(old in line for line in _links_in_outbox())
    # the old link is a clear page, not an error
    response = client.get(_manage_url(old))
    assert response.status_code == 404
    assert "no longer valid" in response.content.decode() or "nicht mehr gültig" in (
        response.content.decode()
    )
    assert client.get(_manage_url(new)).status_code == 200
    # nor can the old link still act
    response = client.post(_manage_url(old), {"action": "cancel"})
    assert response.status_code == 404
    assert Registration.objects.get(pk=registration.pk).status == S.CONFIRMED


def test_forged_token_gets_the_same_page_and_visa_link_too(client):
    event = event_make()
    registration = register(event, person())[0].registration
    forged = access_token_for(registration)[:-2] + "zz"
    for url in (
        _manage_url(forged),
        _manage_url("x" * 43),
        reverse("events:registration_visa_letter", kwargs={"token": forged}),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert 'id="link-invalid"' in response.content.decode()


def test_only_organisers_renew_links():
    event = event_make()
    registration = register(event, person())[0].registration
    with pytest.raises(PermissionDenied):
        registration_link_renew(actor=UserFactory(), registration=registration)
    assert registration_by_token(access_token_for(registration)) == registration


def test_participant_asks_for_a_new_link_same_answer_whether_registered(client):
    event = event_make()
    registration = register(event, person())[0].registration
    old = access_token_for(registration)
    url = reverse("events:registration_link_request")
    mail.outbox.clear()

    with committed():
        known = client.post(url, {"email": registration.email.upper()}, follow=True)
    sent = len(mail.outbox)
    with committed():
        unknown = client.post(url, {"email": "nobody@example.org"}, follow=True)

    assert known.status_code == unknown.status_code == 200

    # the same words whether or not the address is registered (no enumeration)
    def _message(response):
        return [str(m) for m in response.context["messages"]]

    assert _message(known) == _message(unknown) and _message(known)
    assert sent == 1 and len(mail.outbox) == 1 and mail.outbox[0].to == [registration.email]
    assert old in mail.outbox[0].body  # the link sent again, not a new one
    # nobody who merely knows the address can kill the person's link
    assert registration_by_token(old) == registration
    # nor flood the person: one sending per address in a while, whoever asks
    with committed():
        client.post(url, {"email": registration.email})
    assert len(mail.outbox) == 1
    # bad input is a clear message, not an error
    assert client.post(url, {"email": "not an address"}).status_code == 422


def test_cancelled_registrations_get_no_new_link():
    event = event_make()
    registration = register(event, person())[0].registration
    with committed():
        registration_cancel(registration=registration)
    assert registration_links_request(email=registration.email) == 0


# --- History -----------------------------------------------------------------------------------


def test_every_state_change_is_in_the_history_without_personal_data(editor):
    event = event_make(capacity=1, waitlist_mode="offer")
    first = register(event, person("Erste"))[0].registration
    second = register(event, person("Zweite"))[0].registration
    third = register(event, person("Dritte"))[0].registration
    with committed():
        registration_cancel_by_organiser(actor=editor, registration=first)
    with committed():
        registration_offer_decline(registration=Registration.objects.get(pk=second.pk))
    third.refresh_from_db()
    assert third.status == S.OFFERED

    steps = [(e.action, e.status) for e in registration_timeline(first)]
    assert steps == [(A.REGISTERED, S.CONFIRMED), (A.CANCELLED_BY_ORGANISER, S.CANCELLED)]
    assert registration_timeline(first)[-1].who  # the organiser is named
    steps = [(e.action, e.status) for e in registration_timeline(second)]
    assert steps == [
        (A.REGISTERED, S.WAITLISTED),
        (A.PROMOTED, S.OFFERED),
        (A.OFFER_DECLINED, S.CANCELLED),
    ]
    assert [(e.action, e.status) for e in registration_timeline(third)][-1] == (
        A.PROMOTED,
        S.OFFERED,
    )

    # check-in, twice scanned: one record
    event2 = event_make()
    guest = register(event2, person("Gast"))[0].registration
    registration_check_in(actor=editor, event=event2, code=guest.check_in_code)
    registration_check_in(actor=editor, event=event2, code=guest.check_in_code)
    assert [e.action for e in registration_timeline(guest)] == [A.REGISTERED, A.CHECKED_IN]

    # no names, addresses or answers in the history table
    history_columns = {f.name for f in Registration.history.model._meta.get_fields()}
    assert not set(REGISTRATION_PERSONAL_FIELDS) & history_columns
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Registration.history.model._meta.db_table}")  # noqa: S608
        dump = repr(cursor.fetchall())
    for registration in (first, second, third, guest):
        assert registration.email not in dump and registration.name not in dump


def test_timeline_on_the_organisers_page(client, editor):
    event = event_make(capacity=1)
    first = register(event, person("Erste"))[0].registration
    waiting = register(event, person("Zweite"))[0].registration
    client.force_login(editor)
    url = reverse("events:organiser_registration", kwargs={"slug": event.slug, "pk": first.pk})
    with committed():
        response = client.post(url, {"action": "cancel"})
    assert response.status_code == 302
    waiting_url = reverse(
        "events:organiser_registration", kwargs={"slug": event.slug, "pk": waiting.pk}
    )
    with translation.override("en"):
        html = client.get(waiting_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with translation.override("de"):
        moved_up = str(A.PROMOTED.label)
    assert moved_up in html or str(A.PROMOTED.label) in html
    # the participant list links to it
    participants = client.get(
        reverse("events:organiser_participants", kwargs={"slug": event.slug})
    ).content.decode()
    assert waiting_url in participants


def test_organisers_page_renews_the_link(client, editor):
    event = event_make()
    registration = register(event, person())[0].registration
    old = access_token_for(registration)
    client.force_login(editor)
    url = reverse(
        "events:organiser_registration", kwargs={"slug": event.slug, "pk": registration.pk}
    )
    with committed():
        assert client.post(url, {"action": "renew_link"}).status_code == 302
    assert registration_by_token(old) is None
    assert [e.action for e in registration_timeline(registration)][-1] == A.LINK_RENEWED
    # someone who does not organise changes nothing
    client.force_login(UserFactory())
    assert client.post(url, {"action": "renew_link"}).status_code == 403


@pytest.mark.parametrize(
    "enum", [EventsAction, EventsOrganiserAction, EventsRegistrationAction], ids=str
)
def test_every_code_is_registered_with_a_german_and_english_label(enum):
    known = registered_actions()
    for member in enum:
        assert known[member.value] is member
        with translation.override("en"):
            english = str(member.label)
        with translation.override("de"):
            german = action_label(member.value)
        assert german != english, f"{member.value}: no German label"


def test_a_registration_is_not_reverted_through_the_trail(editor):
    from django.core.exceptions import ValidationError

    from partnerportal.audit.services import change_revert

    event = event_make()
    registration = register(event, person())[0].registration
    with committed():
        registration_cancel(registration=registration)
    record = Registration.history.filter(id=registration.pk).order_by("-history_id").first()
    admin = UserFactory(agency_admin=True)
    with pytest.raises(ValidationError):
        change_revert(actor=admin, history_record=record, expected_version=None)
    assert Registration.objects.get(pk=registration.pk).status == S.CANCELLED


# --- Certificates by e-mail --------------------------------------------------------------------


def _attended(event, name, language="de"):
    registration = register(event, person(name, language=language))[0].registration
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=timezone.now())
    return registration


def test_certificates_go_once_each_with_the_pdf_in_the_persons_language(editor):
    event = event_make(capacity=10)
    german = _attended(event, "Grete", "de")
    english = _attended(event, "Emma", "en")
    register(event, person("Absent"))  # never checked in
    mail.outbox.clear()

    with committed():
        assert certificates_send(actor=editor, event=event) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {german.email, english.email}
    for message in by_address.values():
        ((filename, content, mimetype),) = message.attachments
        assert mimetype == "application/pdf" and content.startswith(b"%PDF-")
        assert filename.endswith(".pdf")
    assert "certificate of attendance" in by_address[english.email].subject.lower()
    with translation.override("de"):
        german_subject = translation.gettext("Your certificate of attendance")
    assert german_subject in by_address[german.email].subject

    # a second click sends nothing; resend on purpose sends again
    mail.outbox.clear()
    with committed():
        assert certificates_send(actor=editor, event=event) == 0
    assert mail.outbox == []
    with committed():
        assert certificates_send(actor=editor, event=event, resend=True) == 2
    assert len(mail.outbox) == 2
    assert A.CERTIFICATE_SENT in [e.action for e in registration_timeline(german)]


def test_certificates_page_button(client, editor):
    event = event_make(capacity=10)
    _attended(event, "Grete")
    client.force_login(editor)
    url = reverse("events:organiser_certificates_email", kwargs={"slug": event.slug})
    mail.outbox.clear()
    with committed():
        assert client.post(url).status_code == 302
    with committed():
        assert client.post(url).status_code == 302
    assert len(mail.outbox) == 1
    client.force_login(UserFactory())
    assert client.post(url, {"resend": "1"}).status_code == 403
    assert len(mail.outbox) == 1
