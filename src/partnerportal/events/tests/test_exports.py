"""The participant list as XLSX and CSV: the questions as columns, formula injection defused,
filters applied, only organisers."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.events.exports import participants_csv, participants_xlsx
from partnerportal.events.models import ParticipantGroup, Registration, RegistrationQuestion

from .factories_org import delegation_make, event_make, registration_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = event_make(title="Runder Tisch Mongolei")
    workshop = RegistrationQuestion.objects.create(
        event=event, label="Which workshop?", kind="choice", choices=["A", "B"], order=1
    )
    dinner = RegistrationQuestion.objects.create(
        event=event, label="Dinner on Friday?", kind="yes_no", order=2
    )
    partner = ParticipantGroup.objects.create(event=event, name="Partnerkommunen", seats=10)
    registration_make(
        event,
        name="Bat-Erdene Dorj",
        email="bat@example.mn",
        group=partner,
        answers={str(workshop.pk): "B", str(dinner.pk): True},
        dietary_needs="vegetarisch",
    )
    registration_make(
        event,
        name='=HYPERLINK("http://evil.example","click")',
        email="evil@example.org",
        answers={str(dinner.pk): False},
    )
    registration_make(event, name="Wartende Person", status=Registration.Status.WAITLISTED)
    return event


def _csv_rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_has_the_questions_as_columns(event):
    rows = _csv_rows(participants_csv(event, language="en"))
    header = rows[0]
    assert header[-2:] == ["Which workshop?", "Dinner on Friday?"]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    bat = by_name["Bat-Erdene Dorj"]
    assert bat["Which workshop?"] == "B"
    assert bat["Dinner on Friday?"] == "yes"
    assert bat["Participant group"] == "Partnerkommunen"
    assert bat["Dietary needs"] == "vegetarisch"
    assert len(rows) == 4


def test_csv_defuses_formulas(event):
    rows = _csv_rows(participants_csv(event, language="en"))
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","click")' in names
    assert not any(name.startswith("=") for name in names)


def test_csv_in_german(event):
    rows = _csv_rows(participants_csv(event, language="de"))
    assert rows[0][0] == "Name"
    assert "E-Mail-Adresse" in rows[0]


def test_xlsx_reads_back_and_stores_no_formula(event):
    workbook = load_workbook(io.BytesIO(participants_xlsx(event, language="en")))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-2:] == ("Which workshop?", "Dinner on Friday?")
    assert len(rows) == 4
    evil = next(
        cell for row in sheet.iter_rows(min_row=2) for cell in row if "HYPERLINK" in str(cell.value)
    )
    assert evil.data_type == "s"


def test_filters_apply_to_the_export(client, event):
    client.force_login(UserFactory(agency_staff=True))
    url = reverse("events:organiser_export_csv", kwargs={"slug": event.slug})
    response = client.get(url, {"status": "waitlisted"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    rows = _csv_rows(response.content)
    assert [row[0] for row in rows[1:]] == ["Wartende Person"]

    xlsx = client.get(reverse("events:organiser_export_xlsx", kwargs={"slug": event.slug}))
    assert xlsx.status_code == 200
    assert len(list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows())) == 4


def test_delegation_is_named_in_the_export():
    event = event_make()
    _delegation, _members = delegation_make(event, size=2, registrant_name="Stadt Jena")
    rows = _csv_rows(participants_csv(event, language="en"))
    header = rows[0]
    column = header.index("Delegation")
    assert [row[column] for row in rows[1:]] == ["Stadt Jena", "Stadt Jena"]


@pytest.mark.parametrize("role", ["registered", "municipal_editor", "reviewer"])
def test_others_may_not_export(client, event, role):
    from partnerportal.accounts.tests.factories import MunicipalityFactory

    users = {
        "registered": lambda: UserFactory(),
        "municipal_editor": lambda: UserFactory(municipality=MunicipalityFactory()),
        "reviewer": lambda: UserFactory(reviewer=True),
    }
    client.force_login(users[role]())
    response = client.get(reverse("events:organiser_export_csv", kwargs={"slug": event.slug}))
    assert response.status_code == 403
