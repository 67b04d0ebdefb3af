"""Decisions: the approved plan may differ from the requested one (never above it nor the
ceiling), the letter comes from the templates staff edit with their placeholders, in German
with the partner-language summary, frozen at the decision, and printed as a PDF."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from partnerportal.funding.decisions import decision_draft_save, letter_pdf, letter_template_save
from partnerportal.funding.models import CostPlan, LetterKind
from partnerportal.funding.review import assessment_save
from partnerportal.funding.workflows import application_transition

from .factories_review import SubmittedApplicationFactory, applicant_editor, staff

pytestmark = pytest.mark.django_db


def in_assessment(**kwargs):
    application = SubmittedApplicationFactory(**kwargs)
    reviewer = staff()
    application_transition(obj=application, action="start_formal_check", actor=reviewer)
    application_transition(obj=application, action="pass_formal_check", actor=reviewer)
    return application, reviewer


def test_approved_plan_differs_from_requested_and_letter_uses_templates():
    admin = staff()
    editor_admin = __import__(
        "partnerportal.accounts.tests.factories", fromlist=["UserFactory"]
    ).UserFactory(agency_admin=True)
    letter_template_save(
        actor=editor_admin,
        kind=LetterKind.APPROVAL,
        language="de",
        subject="Bescheid {reference}",
        body=(
            "Für {applicant} bewilligt: {total}. Auflagen: {conditions}. "
            "Bericht bis {report_due}. {unbekannt}"
        ),
    )
    letter_template_save(
        actor=editor_admin,
        kind=LetterKind.APPROVAL,
        language="fr",
        subject="",
        body="Résumé : {applicant} reçoit {total}.",
    )
    application, assessor = in_assessment()
    assessment_save(
        application=application, actor=assessor, assessment="Ok", recommendation="approve_changed"
    )
    decision_draft_save(
        application=application,
        actor=assessor,
        lines=[
            {"kind": "flight", "description": "Flüge (günstiger)", "amount_eur": "1200.00"},
            {"kind": "accommodation", "description": "Hotel", "amount_eur": "640.00"},
        ],
        conditions="Belege im Original",
        report_due_on=__import__("datetime").date(2026, 12, 31),
        summary_language="fr",
    )
    application_transition(obj=application, action="submit_assessment", actor=assessor)
    application_transition(obj=application, action="approve", actor=admin)
    decision = application.decision
    assert decision.approved_total == Decimal("1840.00")
    requested = application.cost_lines.filter(plan=CostPlan.REQUESTED)
    assert sum(line.amount_eur for line in requested) == Decimal("2240.00")
    assert decision.letter_subject == f"Bescheid {application.reference}"
    assert application.applicant.name in decision.letter_body
    assert "1.840,00" in decision.letter_body and "Belege im Original" in decision.letter_body
    assert "31. Dezember 2026" in decision.letter_body
    assert "{unbekannt}" in decision.letter_body  # an unknown placeholder stays visible
    assert decision.letter_summary.startswith("Résumé")
    assert "1 840,00" in decision.letter_summary.replace("\u202f", " ").replace("\xa0", " ")
    # A later change of the template does not change a letter that was sent
    letter_template_save(
        actor=editor_admin, kind=LetterKind.APPROVAL, language="de", subject="Neu", body="Neu"
    )
    decision.refresh_from_db()
    assert decision.letter_subject.startswith("Bescheid")
    pdf = letter_pdf(decision)
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


def test_draft_cannot_exceed_requested_or_ceiling_and_needs_staff():
    application, assessor = in_assessment()
    with pytest.raises(ValidationError):
        decision_draft_save(
            application=application,
            actor=assessor,
            lines=[{"kind": "flight", "description": "x", "amount_eur": "9999"}],
        )
    application.instrument.ceiling_eur = Decimal("1000")
    application.instrument.save()
    application.refresh_from_db()
    with pytest.raises(ValidationError):
        decision_draft_save(
            application=application,
            actor=assessor,
            lines=[{"kind": "flight", "description": "x", "amount_eur": "1500"}],
        )
    with pytest.raises(ValidationError):
        decision_draft_save(
            application=application,
            actor=assessor,
            lines=[{"kind": "nonsense", "description": "", "amount_eur": "-1"}],
        )
    with pytest.raises(PermissionDenied):
        decision_draft_save(application=application, actor=applicant_editor(application), lines=[])
    assert not application.cost_lines.filter(plan=CostPlan.APPROVED).exists()


def test_decision_form_prefills_requested_lines_and_letter_page(client):
    application, assessor = in_assessment()
    client.force_login(assessor)
    page = client.get(reverse("funding:decision_edit", kwargs={"pk": application.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Flüge Köln–Kigali, 2 Personen"' in html
    assert "lines-TOTAL_FORMS" in html
    response = client.post(
        reverse("funding:decision_edit", kwargs={"pk": application.pk}),
        {
            "version": application.version,
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000",
            "lines-0-kind": "flight",
            "lines-0-description": "Flüge",
            "lines-0-amount_eur": "1000,00",
            "lines-1-kind": "",
            "lines-1-description": "",
            "lines-1-amount_eur": "",
            "conditions": "Keine",
            "report_due_on": "2026-12-31",
            "summary_language": "en",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    application.refresh_from_db()
    assert application.decision.approved_total == Decimal("1000.00")
    assert application.decision.drafted_by == assessor
    # The applicant sees no decision yet, then the letter after it
    editor = applicant_editor(application)
    client.force_login(editor)
    assert (
        client.get(reverse("funding:letter_pdf", kwargs={"pk": application.pk})).status_code == 404
    )
    assessment_save(
        application=application, actor=assessor, assessment="Ok", recommendation="approve"
    )
    application_transition(obj=application, action="submit_assessment", actor=assessor)
    application_transition(obj=application, action="approve", actor=staff())
    page = client.get(reverse("funding:decision", kwargs={"pk": application.pk}))
    assert page.status_code == 200 and "1.000,00" in page.content.decode()
    pdf = client.get(reverse("funding:letter_pdf", kwargs={"pk": application.pk}))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # Someone else's editor: the application does not exist for them
    client.force_login(applicant_editor(SubmittedApplicationFactory()))
    assert client.get(reverse("funding:decision", kwargs={"pk": application.pk})).status_code == 404


def test_letter_templates_in_the_back_office_for_editors_only(client, site):
    from partnerportal.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(agency_staff=True))
    listing = client.get("/admin/snippets/funding/lettertemplate/")
    assert listing.status_code == 200
    created = client.post(
        "/admin/snippets/funding/lettertemplate/add/",
        {"kind": "approval", "language": "de", "subject": "Bescheid {reference}", "body": "Text"},
    )
    assert created.status_code == 302
    from partnerportal.funding.models import LetterTemplate

    assert LetterTemplate.objects.filter(kind="approval", language="de").exists()
    client.force_login(staff())  # a reviewer: no back office
    assert client.get("/admin/snippets/funding/lettertemplate/").status_code in (302, 403)


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-inf"])
def test_a_plan_line_of_no_finite_amount_is_refused_with_its_line(amount):
    from partnerportal.funding.decisions import plan_lines_clean

    with pytest.raises(ValidationError) as refused:
        plan_lines_clean([{"kind": "flight", "description": "Flüge", "amount_eur": amount}])
    assert len(refused.value.messages) == 1 and "1" in refused.value.messages[0]
