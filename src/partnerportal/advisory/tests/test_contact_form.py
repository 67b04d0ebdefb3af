"""The public contact request: it opens a case, confirms by e-mail in the requester's language,
tells the agency, and holds off robots and floods without losing what a person typed."""

import pytest
from django.core import mail
from django.urls import reverse

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.advisory.models import Case, CaseNote
from partnerportal.notifications.models import Activity
from partnerportal.registry.models import Programme, Theme
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(site):
    german = MunicipalityFactory(name="Kontaktstadt")
    partner = ForeignMunicipalityFactory(name="Monastir", iso2="TN")
    partnership = PartnershipFactory(between=(german, partner))
    programme = Programme.objects.create(
        slug="nordafrika", name="Kommunale Zusammenarbeit Nordafrika"
    )
    return german, partner, partnership, programme


def _data(**over):
    data = {
        "name": "Amira Beispiel",
        "email": "amira@example.org",
        "phone": "",
        "municipality": "Kontaktstadt",
        "partner_municipality": "Monastir",
        "programme": "",
        "need": "Wir möchten einen Aktionsplan zur Abfalltrennung aufstellen.",
        "language": "fr",
        "consent": "on",
        "website": "",
    }
    data.update(over)
    return data


def test_form_is_public(client):
    response = client.get(reverse("advisory:contact"))
    assert response.status_code == 200
    assert b'name="website"' in response.content  # the honeypot is there, hidden by CSS


def test_request_opens_a_case_confirms_and_tells_staff(
    client, places, django_capture_on_commit_callbacks
):
    german, _partner, partnership, programme = places
    staff = UserFactory(agency_staff=True, language="de")
    theme = Theme.objects.filter(kind="field").first()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("advisory:contact"),
            _data(programme=programme.pk, topics=[theme.pk]),
        )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.municipality == german
    assert case.partnership == partnership
    assert case.country_id == "TN"
    assert case.programme == programme
    assert list(case.topics.all()) == [theme]
    assert case.language == "fr"
    assert case.reference.startswith("B-")
    confirmation = [m for m in mail.outbox if m.to == ["amira@example.org"]]
    assert len(confirmation) == 1
    # the reference named; rendered in the requester's language (French: the German subject
    # is not used; French msgstrs come from the translators, English is the fallback)
    assert case.reference in confirmation[0].subject
    assert "Ihre Anfrage" not in confirmation[0].subject
    assert Activity.objects.filter(recipient=staff, event="advisory.request_received").exists()
    assert any(m.to == [staff.email] for m in mail.outbox)


def test_unknown_municipality_is_kept_as_text(client, places):
    client.post(
        reverse("advisory:contact"), _data(municipality="Nirgendwo am See", partner_municipality="")
    )
    case = Case.objects.get()
    assert case.municipality is None
    assert case.municipality_text == "Nirgendwo am See"


def test_second_request_the_same_day_becomes_a_note(client, places):
    client.post(reverse("advisory:contact"), _data())
    response = client.post(
        reverse("advisory:contact"), _data(email="AMIRA@example.org", need="Noch eine Frage.")
    )
    assert response.status_code == 302
    assert "added=1" in response["Location"]
    case = Case.objects.get()
    note = CaseNote.objects.get(case=case)
    assert "Noch eine Frage." in note.text


def test_honeypot_stores_nothing(client, places):
    response = client.post(reverse("advisory:contact"), _data(website="http://spam.example"))
    assert response.status_code == 302
    assert not Case.objects.exists()
    assert not mail.outbox


def test_rate_limit_refuses_and_keeps_what_was_typed(client, places, settings):
    settings.ADVISORY_CONTACT_RATE = "2/h"
    client.post(reverse("advisory:contact"), _data(email="a@example.org"))
    client.post(reverse("advisory:contact"), _data(email="b@example.org"))
    response = client.post(
        reverse("advisory:contact"), _data(email="c@example.org", need="Mein langer Text")
    )
    assert response.status_code == 429
    assert response["Retry-After"]
    assert b"Mein langer Text" in response.content
    assert b"c@example.org" in response.content
    assert Case.objects.count() == 2


def test_invalid_form_keeps_entries(client, places):
    response = client.post(reverse("advisory:contact"), _data(email="not-an-address"))
    assert response.status_code == 400
    assert "Wir möchten einen Aktionsplan".encode() in response.content
    assert not Case.objects.exists()


def test_prefilled_for_a_municipal_editor(client, places):
    german = places[0]
    editor = UserFactory(municipality=german, name="Erika Editor")
    client.force_login(editor)
    response = client.get(reverse("advisory:contact"))
    body = response.content.decode()
    assert 'value="Erika Editor"' in body
    assert f'value="{editor.email}"' in body
    assert "Kontaktstadt" in body
