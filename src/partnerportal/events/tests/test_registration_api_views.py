"""The registration API (POST /api/v1/events/{id}/registrations), the form, the self-service
link, the visa letter and the e-mails in German and English."""

from __future__ import annotations

import json
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from partnerportal.events.models import Event, Registration, RegistrationQuestion
from partnerportal.events.registrations import access_token_for
from partnerportal.geo.models import Country
from partnerportal.registry.tests.factories import ForeignMunicipalityFactory

from .registration_helpers import committed, event_make, person, register

pytestmark = pytest.mark.django_db
S = Registration.Status


def api_url(event: Event) -> str:
    return f"/api/v1/events/{event.pk}/registrations"


def post(client, event, **body):
    data = {"name": "Ada Lovelace", "email": "ada@example.org", "language": "en", **body}
    with committed():
        return client.post(api_url(event), json.dumps(data), content_type="application/json")


def test_api_confirmed_then_waitlisted_with_position(client):
    event = event_make(capacity=1)
    first = post(client, event)
    assert first.status_code == 201
    assert first.json()["status"] == "confirmed" and first.json()["position"] is None
    second = post(client, event, email="b@example.org")
    assert second.status_code == 201
    assert second.json() == {
        "id": second.json()["id"],
        "status": "waitlisted",
        "position": 1,
    }


def test_api_409_when_closed_and_404_for_unknown_or_private(client):
    closed = event_make(registration_open=False)
    response = post(client, closed)
    assert response.status_code == 409 and "geschlossen" in response.json()["detail"]
    private = event_make(is_public=False)
    assert post(client, private).status_code == 404
    body = json.dumps({"name": "A", "email": "a@example.org"})
    unknown = client.post(
        "/api/v1/events/999999/registrations", body, content_type="application/json"
    )
    assert unknown.status_code == 404


def test_api_422_in_ninjas_shape(client):
    event = event_make()
    question = RegistrationQuestion.objects.create(event=event, label="Workshop", required=True)
    response = post(client, event, email="not-an-address", language="xx")
    assert response.status_code == 422
    locs = {tuple(item["loc"]) for item in response.json()["detail"]}
    assert locs == {("body", "payload", "email"), ("body", "payload", "language")}
    response = post(client, event)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "answers", str(question.pk)]
    missing = client.post(
        api_url(event), json.dumps({"email": "a@b.org"}), content_type="application/json"
    )
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"][-1] == "name"
    assert not Registration.objects.exists()


@override_settings(EVENTS_REGISTRATION_RATE="2/m")
def test_api_429_over_the_rate(client):
    event = event_make(capacity=10)
    assert post(client, event).status_code == 201
    assert post(client, event, email="b@example.org").status_code == 201
    response = post(client, event, email="c@example.org")
    assert response.status_code == 429 and response.has_header("Retry-After")
    assert Registration.objects.count() == 2


@pytest.mark.parametrize(
    "language, subject, body",
    [
        ("de", "Anmeldung bestätigt", "Ihr Check-in-Code"),
        ("en", "Registration confirmed", "Your check-in code"),
    ],
)
def test_confirmation_email_in_the_persons_language_with_ical_and_link(
    client, language, subject, body
):
    event = event_make(title="Kommunale Partnerschaftskonferenz", timezone="America/Lima")
    registration = register(event, person(language=language))[0].registration
    (message,) = mail.outbox
    assert message.subject.startswith(subject)
    assert body in message.body
    link = access_token_for(registration)
    assert link in message.body and link in message.alternatives[0][0]
    assert f"/{language}/veranstaltungen/anmeldung/" in message.body
    (name, content, mimetype) = message.attachments[0]
    assert (name, mimetype) == ("event.ics", "text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == "Kommunale Partnerschaftskonferenz"
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Lima"]
    assert vevent.decoded("dtstart") == event.starts_at.replace(microsecond=0)


@pytest.mark.parametrize(
    "language, word", [("de", "Warteliste, auf Platz 1"), ("en", "waiting list, in place 1")]
)
def test_waitlisted_email_names_the_position_and_has_no_calendar(language, word):
    event = event_make(capacity=0)
    register(event, person(language=language))
    (message,) = mail.outbox
    assert word in message.body and message.attachments == []


def test_form_registers_one_person_and_shows_errors_at_the_field(client, site):
    event = event_make(capacity=5, consent_text="Ich bin einverstanden.")
    url = reverse("events:registration_create", kwargs={"slug": event.slug})
    page = client.get(url)
    assert page.status_code == 200 and "Ich bin einverstanden." in page.text
    bad = client.post(
        url, {"person-0-name": "Ada", "person-0-email": "x", "person-0-language": "de"}
    )
    assert bad.status_code == 422 and not Registration.objects.exists()
    assert 'aria-invalid="true"' in bad.text or "errorlist" in bad.text
    with committed():
        good = client.post(
            url,
            {
                "person-0-name": "Ada",
                "person-0-email": "ada@example.org",
                "person-0-language": "en",
                "person-0-consent": "on",
            },
        )
    assert good.status_code == 302
    done = client.get(good["Location"])
    assert "Ada" in done.text
    assert Registration.objects.get().status == S.CONFIRMED


def test_form_registers_a_delegation_without_javascript(client, site):
    event = event_make(capacity=2)
    municipality = ForeignMunicipalityFactory(name="Lima", iso2="PE")
    url = reverse("events:registration_create", kwargs={"slug": event.slug}) + "?personen=3"
    page = client.get(url)
    assert page.text.count('name="person-2-email"') == 1
    data = {
        "personen": "3",
        "delegation-registrant_name": "Amt",
        "delegation-registrant_email": "amt@example.org",
        "delegation-language": "de",
        "delegation-municipality": "Lima",
    }
    for i in range(3):
        data.update(
            {
                f"person-{i}-name": f"P{i}",
                f"person-{i}-email": f"p{i}@example.org",
                f"person-{i}-language": "de",
            }
        )
    with committed():
        response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    rows = Registration.objects.filter(event=event)
    assert rows.count() == 3 and {r.status for r in rows} == {S.WAITLISTED}
    assert {r.municipality_id for r in rows} == {municipality.pk}


def test_self_service_cancel_promotes_and_wrong_token_is_404(client, site):
    event = event_make(capacity=1)
    first = register(event, person("A"))[0].registration
    second = register(event, person("B"))[0].registration
    url = reverse("events:registration_manage", kwargs={"token": access_token_for(first)})
    assert client.get(url).status_code == 200
    wrong = reverse("events:registration_manage", kwargs={"token": "x" * 43})
    assert client.get(wrong).status_code == 404
    with committed():
        assert client.post(url, {"action": "cancel"}).status_code == 302
    second.refresh_from_db()
    assert second.status == S.CONFIRMED
    waiting_url = reverse("events:registration_manage", kwargs={"token": access_token_for(second)})
    assert (
        "Bestätigt" in client.get(waiting_url).text or "Confirmed" in client.get(waiting_url).text
    )


def test_visa_letter_pdf_for_partner_participant(client, site):
    event = event_make(capacity=5, title="Deutsch-Peruanische Konferenz")
    peru = Country.objects.get_or_create(
        iso2="PE", defaults={"iso3": "PER", "name_de": "Peru", "name_en": "Peru"}
    )[0]
    registration = register(
        event,
        person(
            "Rosa Quispe",
            needs_visa_letter=True,
            nationality=peru,
            passport_number="P1234567",
            birth_date=timezone.now().date() - timedelta(days=12000),
        ),
    )[0].registration
    url = reverse(
        "events:registration_visa_letter", kwargs={"token": access_token_for(registration)}
    )
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    other = register(event, person())[0].registration
    assert (
        client.get(
            reverse("events:registration_visa_letter", kwargs={"token": access_token_for(other)})
        ).status_code
        == 404
    )
