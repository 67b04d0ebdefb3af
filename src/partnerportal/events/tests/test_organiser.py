"""The organisers' participant list, badges, attendance list, certificates and messages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerportal.accounts.tests.factories import MunicipalityFactory, UserFactory
from partnerportal.events.badges import badges_pdf, qr_draw
from partnerportal.events.certificates import certificate_pdf, certificates_pdf
from partnerportal.events.models import EventMessage, ParticipantGroup, Registration
from partnerportal.events.organising import (
    check_in_code_ensure,
    event_message_create,
    event_message_withdraw,
    event_messages_send_due,
    participant_counts,
    registration_check_in,
)

from .factories_org import delegation_make, event_make, registration_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return UserFactory(agency_staff=True, language="de")


def _pages(content: bytes) -> int:
    assert content.startswith(b"%PDF-")
    return len(re.findall(rb"/Type\s*/Page\b", content))


def _participants_url(event) -> str:
    return reverse("events:organiser_participants", kwargs={"slug": event.slug})


# --- The list --------------------------------------------------------------------------------


def test_counts():
    event = event_make()
    for _ in range(3):
        registration_make(event)
    checked = registration_make(event, checked_in_at=timezone.now())
    registration_make(event, status=Registration.Status.WAITLISTED)
    registration_make(event, status=Registration.Status.OFFERED)
    registration_make(event, status=Registration.Status.CANCELLED)
    registration_make(event, status=Registration.Status.CANCELLED)
    counts = participant_counts(event)
    assert (counts.confirmed, counts.waitlisted, counts.offered, counts.cancelled) == (4, 1, 1, 2)
    assert counts.checked_in == 1
    assert checked.checked_in_at is not None


def test_list_shows_delegations_as_groups_and_filters(client, editor):
    event = event_make()
    partner = ParticipantGroup.objects.create(event=event, name="Partnerkommunen", seats=5)
    registration_make(event, name="Einzelperson Eins")
    registration_make(event, name="Partnerin Zwei", group=partner)
    registration_make(event, name="Wartend Drei", status=Registration.Status.WAITLISTED)
    delegation_make(
        event, size=3, registrant_name="Amt Leipzig", municipality=MunicipalityFactory()
    )
    client.force_login(editor)

    response = client.get(_participants_url(event))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Amt Leipzig" in html and 'scope="rowgroup"' in html
    assert html.count("pp-participants__delegation") == 1
    assert 'id="count-confirmed">5 / 100' in html
    assert 'id="count-waitlisted">1' in html
    assert "no-store" in response["Cache-Control"]

    waiting = client.get(_participants_url(event), {"status": "waitlisted"}).content.decode()
    assert "Wartend Drei" in waiting and "Einzelperson Eins" not in waiting

    grouped = client.get(_participants_url(event), {"group": partner.pk}).content.decode()
    assert "Partnerin Zwei" in grouped and "Einzelperson Eins" not in grouped


def _queries_for(client, event) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_participants_url(event))
    assert response.status_code == 200
    return len(queries)


def test_the_list_makes_a_bounded_number_of_queries(client, editor):
    """The figure does not grow with the participants: 3 or 60, delegations or not."""
    small = event_make()
    ParticipantGroup.objects.create(event=small, name="Partner", seats=5)
    registration_make(small)
    delegation_make(small, size=2, municipality=MunicipalityFactory())
    large = event_make()
    group = ParticipantGroup.objects.create(event=large, name="Partner", seats=5)
    for index in range(40):
        registration_make(
            large, municipality=MunicipalityFactory(), group=group if index % 2 else None
        )
    for _ in range(5):
        delegation_make(large, size=4, municipality=MunicipalityFactory())
    client.force_login(editor)
    _queries_for(client, small)  # the session's first requests load more
    few = _queries_for(client, small)
    many = _queries_for(client, large)
    assert many == few
    assert many <= 14, many


# --- Badges and attendance list --------------------------------------------------------------


def test_badges_a4_sheets_of_eight_with_codes(editor):
    event = event_make()
    people = [registration_make(event, municipality=MunicipalityFactory()) for _ in range(9)]
    content = badges_pdf(event, people, language="de")
    assert _pages(content) == 2
    assert all(
        Registration.objects.filter(pk__in=[p.pk for p in people]).values_list(
            "check_in_code", flat=True
        )
    )


def test_qr_code_is_drawn_module_by_module():
    import segno
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    drawn = []
    pdf.rect = lambda *args, **kwargs: drawn.append(args)
    qr_draw(pdf, "ABCD2345", x=0, y=0, size=25)
    dark = sum(
        sum(1 for cell in row if cell)
        for row in segno.make("ABCD2345", error="m", micro=False).matrix
    )
    assert sum(width for _x, _y, width, _h in drawn) == pytest.approx(dark * 25 / (21 + 2))


def test_badges_and_attendance_pages_answer_with_pdfs(client, editor):
    event = event_make()
    for _ in range(3):
        registration_make(event)
    registration_make(event, status=Registration.Status.WAITLISTED)
    client.force_login(editor)
    for name in ("organiser_badges", "organiser_attendance"):
        response = client.get(reverse(f"events:{name}", kwargs={"slug": event.slug}))
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/pdf"
        assert _pages(response.content) == 1
    # the waiting person got no code: badges are for confirmed seats
    assert Registration.objects.get(event=event, status="waitlisted").check_in_code == ""


# --- Certificates ----------------------------------------------------------------------------


def test_certificates_only_for_those_checked_in(client, editor):
    event = event_make()
    present = [registration_make(event) for _ in range(3)]
    absent = registration_make(event)
    for registration in present:
        registration_check_in(actor=editor, event=event, code=check_in_code_ensure(registration))
        registration.refresh_from_db()
    with pytest.raises(ValidationError):
        certificate_pdf(absent)
    assert _pages(certificates_pdf(event, present)) == 3

    client.force_login(editor)
    everyone = client.get(reverse("events:organiser_certificates", kwargs={"slug": event.slug}))
    assert everyone.status_code == 200 and _pages(everyone.content) == 3
    one = client.get(
        reverse("events:organiser_certificate", kwargs={"slug": event.slug, "pk": present[0].pk})
    )
    assert one.status_code == 200 and _pages(one.content) == 1
    refused = client.get(
        reverse("events:organiser_certificate", kwargs={"slug": event.slug, "pk": absent.pk}),
        follow=True,
    )
    assert (
        "nur an Personen" in refused.content.decode() or "only issued" in refused.content.decode()
    )


def test_certificate_of_another_event_is_missing(client, editor):
    registration = registration_make(event_make(), checked_in_at=timezone.now())
    client.force_login(editor)
    response = client.get(
        reverse(
            "events:organiser_certificate",
            kwargs={"slug": event_make().slug, "pk": registration.pk},
        )
    )
    assert response.status_code == 404


# --- Messages --------------------------------------------------------------------------------


def test_message_now_goes_to_the_audience_in_their_language(
    editor, django_capture_on_commit_callbacks
):
    event = event_make(title="Konferenz Afrika")
    registration_make(event, email="de@example.org", language="de", name="Jana")
    registration_make(event, email="en@example.org", language="en", name="Kwame")
    registration_make(event, email="wait@example.org", status=Registration.Status.WAITLISTED)
    registration_make(event, email="gone@example.org", status=Registration.Status.CANCELLED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message = event_message_create(
            actor=editor,
            event=event,
            audience=EventMessage.Audience.CONFIRMED,
            subject="Raumänderung",
            body="Wir treffen uns in Saal 2.",
        )
    message.refresh_from_db()
    assert message.sent_at is not None and message.recipient_count == 2
    by_address = {email.to[0]: email for email in mail.outbox}
    assert set(by_address) == {"de@example.org", "en@example.org"}
    assert "Wir treffen uns in Saal 2." in by_address["en@example.org"].body
    assert "The organisers of" in by_address["en@example.org"].body
    assert "Die Veranstaltenden von „Konferenz Afrika“" in by_address["de@example.org"].body
    assert (
        "Hallo Jana" in by_address["de@example.org"].body
        or "Jana" in by_address["de@example.org"].body
    )
    html = by_address["de@example.org"].alternatives[0][0]
    assert "Wir treffen uns in Saal 2." in html and 'lang="de"' in html
    assert by_address["de@example.org"].subject == "Konferenz Afrika: Raumänderung"
    # the trail names who wrote it
    record = message.history.earliest()
    assert record.history_user == editor
    assert record.history_change_reason == "events.message_scheduled"


def test_scheduled_message_waits_for_its_time_and_goes_once(
    editor, django_capture_on_commit_callbacks
):
    event = event_make()
    registration_make(event, email="a@example.org", status=Registration.Status.WAITLISTED)
    registration_make(event, email="b@example.org")
    mail.outbox.clear()
    send_at = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        message = event_message_create(
            actor=editor,
            event=event,
            audience=EventMessage.Audience.WAITLIST,
            subject="Noch Plätze?",
            body="Wir melden uns.",
            send_at=send_at,
        )
        assert event_messages_send_due.call() == 0
    assert mail.outbox == []
    EventMessage.objects.filter(pk=message.pk).update(send_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert event_messages_send_due.call() == 1
        assert event_messages_send_due.call() == 0
    assert [email.to for email in mail.outbox] == [["a@example.org"]]


def test_scheduled_message_can_be_withdrawn(editor):
    event = event_make()
    message = event_message_create(
        actor=editor,
        event=event,
        audience=EventMessage.Audience.ALL,
        subject="S",
        body="B",
        send_at=timezone.now() + timedelta(days=1),
    )
    event_message_withdraw(actor=editor, message=message)
    assert not EventMessage.objects.filter(pk=message.pk).exists()


def test_message_in_the_past_is_refused(editor):
    with pytest.raises(ValidationError):
        event_message_create(
            actor=editor,
            event=event_make(),
            audience=EventMessage.Audience.ALL,
            subject="S",
            body="B",
            send_at=timezone.now() - timedelta(days=1),
        )


def test_compose_page(client, editor, django_capture_on_commit_callbacks):
    event = event_make(timezone="America/Managua")
    registration_make(event, email="x@example.org")
    client.force_login(editor)
    url = reverse("events:organiser_messages", kwargs={"slug": event.slug})
    assert client.get(url).status_code == 200
    mail.outbox.clear()
    response = client.post(
        url,
        {
            "audience": "all",
            "subject": "Später",
            "body": "Text",
            "send_at": (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    message = EventMessage.objects.get(event=event)
    assert message.sent_at is None and message.created_by == editor
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"audience": "confirmed", "subject": "Jetzt", "body": "Text"})
    assert response.status_code == 302
    assert [email.to for email in mail.outbox] == [["x@example.org"]]
    page = client.get(url).content.decode()
    assert "Später" in page and "Jetzt" in page
