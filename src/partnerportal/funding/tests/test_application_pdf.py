"""The application's PDF: a valid document with the application, its partnership, the cost plan
line by line with the per diems and the totals, marked as a draft before submission."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from partnerportal.funding import applications as services
from partnerportal.funding.application_pdf import (
    application_pdf_document,
    application_pdf_render,
    pdf_fonts_close,
)

from .apply_factories import applicant_with_partnership, instrument


@pytest.fixture
def application(db, rates):
    inst = instrument()
    city, partnership, editor = applicant_with_partnership()
    application = services.application_create(
        actor=editor, instrument=inst, applicant=city, partnership_id=partnership.pk
    )
    services.application_update(
        actor=editor,
        application=application,
        expected_version=application.version,
        title="Wasser für Kigali",
        goals="Ziele",
        measure="Maßnahme",
    )
    services.cost_line_add(
        actor=editor,
        application=application,
        expected_version=application.version,
        kind="accommodation",
        description="Hotel",
        amount=Decimal("100000"),
        currency="RWF",
        exchange_rate=Decimal("0.00065"),
    )
    services.per_diem_line_add(
        actor=editor,
        application=application,
        expected_version=application.version,
        country="RW",
        city="",
        start=dt.datetime(2026, 3, 2, 7),
        end=dt.datetime(2026, 3, 4, 20),
    )
    return application


def test_the_pdf_holds_the_application_and_its_cost_plan(application):
    with translation.override("de"):
        document = application_pdf_document(application)
        pdf_fonts_close(document)
        content = application_pdf_render(application)
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    text = "\n".join(document.texts)
    for expected in (
        "Wasser für Kigali",
        "Köln – Partner von Köln",
        "Hotel",
        "1 RWF = 0,00065 EUR",
        "65,00\xa0€",  # the hotel in EUR
        "102,00\xa0€",  # per diems: 29 + 44 + 29 (Rwanda 2026)
        "Entwurf",
    ):
        assert expected in text, expected


def test_a_submitted_application_is_not_marked_as_draft(application):
    application.state = "submitted"
    application.reference = "EF-2026-0007"
    with translation.override("en"):
        document = application_pdf_document(application)
        pdf_fonts_close(document)
        text = "\n".join(document.texts)
    assert "EF-2026-0007" in text and "Draft" not in text
