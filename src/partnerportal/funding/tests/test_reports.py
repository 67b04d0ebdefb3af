"""The final report: planned against actual per approved line, deviations above the threshold
explained, receipts through core/uploads.py, submitted by the applicant, accepted (the
application is closed) or sent back by staff; and the reminders before the report deadline,
once per deadline and application."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from partnerportal.core.schedule import job_get
from partnerportal.funding.decisions import approved_lines
from partnerportal.funding.models import (
    ApplicationState,
    CostPlan,
    ReportReminder,
    ReportState,
)
from partnerportal.funding.reminders import report_reminders_send
from partnerportal.funding.reports import (
    final_report_review,
    final_report_save,
    final_report_submit,
    receipt_add,
    statement,
)
from partnerportal.notifications.models import Activity

from .factories_review import applicant_editor, approved_application, staff

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def receipt(name="beleg.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_deviation_above_threshold_must_be_explained_then_accept_closes():
    application = approved_application()  # flights 1600, hotel 640
    editor = applicant_editor(application)
    flights, hotel = approved_lines(application)
    report = final_report_save(
        application=application, actor=editor, text="Die Reise fand statt.",
        actuals={flights.pk: ("1900.00", ""), hotel.pk: ("600.00", "")},
    )  # fmt: skip
    rows = {row.approved.pk: row for row in statement(application)}
    assert rows[flights.pk].deviation_percent == Decimal("18.8")  # below 20 %
    assert not rows[flights.pk].needs_explanation
    with override_settings(FUNDING_REPORT_DEVIATION_PERCENT=10):
        assert statement(application)[0].needs_explanation
        receipt_add(report=report, actor=editor, file=receipt())
        with pytest.raises(ValidationError) as refused:
            final_report_submit(report=report, actor=editor)
        assert "Flüge" in " ".join(refused.value.messages)
        report = final_report_save(
            application=application, actor=editor, text="Die Reise fand statt.",
            actuals={flights.pk: ("1900.00", "Flugpreise gestiegen")},
            expected_version=report.version,
        )  # fmt: skip
        final_report_submit(report=report, actor=editor)
    assert report.state == ReportState.SUBMITTED
    assert report.actual_total == Decimal("2500.00")
    assert application.cost_lines.filter(plan=CostPlan.ACTUAL).count() == 2
    with pytest.raises(ValidationError):
        final_report_save(application=application, actor=editor, text="x", actuals={})
    with pytest.raises(PermissionDenied):
        final_report_review(report=report, actor=editor, accept=True)
    with pytest.raises(ValidationError):
        final_report_review(report=report, actor=staff(), accept=False, note="")
    final_report_review(report=report, actor=staff(), accept=True)
    application.refresh_from_db()
    assert application.state == ApplicationState.CLOSED
    reasons = list(report.history.values_list("history_change_reason", flat=True))
    assert {
        "report.saved",
        "report.receipt_uploaded",
        "report.submitted",
        "report.accepted",
    } <= set(reasons)


def test_submission_needs_text_all_lines_and_receipts():
    application = approved_application()
    editor = applicant_editor(application)
    report = final_report_save(application=application, actor=editor, text="", actuals={})
    with pytest.raises(ValidationError) as refused:
        final_report_submit(report=report, actor=editor)
    assert len(refused.value.messages) == 4  # text, two lines, receipts


def test_receipts_are_checked_by_their_bytes():
    application = approved_application()
    editor = applicant_editor(application)
    report = final_report_save(application=application, actor=editor, text="x", actuals={})
    with pytest.raises(ValidationError):
        receipt_add(report=report, actor=editor, file=receipt("beleg.pdf", b"MZ\x90\x00 not a pdf"))
    assert not report.receipts.exists()


def test_report_pages_applicant_writes_staff_sends_back(client):
    application = approved_application()
    editor = applicant_editor(application)
    flights, hotel = approved_lines(application)
    client.force_login(editor)
    url = reverse("funding:final_report", kwargs={"pk": application.pk})
    page = client.get(url)
    assert page.status_code == 200 and f"actual_{flights.pk}" in page.content.decode()
    report = application.final_report
    response = client.post(url, {
        "version": report.version, "text": "Bericht", f"actual_{flights.pk}": "1600",
        f"actual_{hotel.pk}": "640", "receipt": receipt(), "submit": "1",
    })  # fmt: skip
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.receipts.count() == 1
    download = client.get(
        reverse(
            "funding:receipt", kwargs={"pk": application.pk, "receipt": report.receipts.get().pk}
        )
    )
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")
    reviewer = staff()
    client.force_login(reviewer)
    review_url = reverse("funding:report_review", kwargs={"pk": application.pk})
    assert "Bericht" in client.get(review_url).content.decode()
    response = client.post(review_url, {"decision": "send_back", "note": "Belege fehlen"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SENT_BACK and report.staff_note == "Belege fehlen"


def test_reminders_once_per_deadline_and_application():
    today = date(2026, 11, 20)
    application = approved_application(total_due=today + timedelta(days=10))
    later = approved_application(total_due=today + timedelta(days=40))
    assert job_get("funding_report_deadlines_remind").interval == timedelta(days=1)
    assert report_reminders_send(today=today) == 1
    assert report_reminders_send(today=today) == 0
    assert report_reminders_send(today=today + timedelta(days=1)) == 0
    assert ReportReminder.objects.filter(application=application).count() == 1
    assert not ReportReminder.objects.filter(application=later).exists()
    told = Activity.objects.filter(event="funding.report_due")
    assert application.created_by.pk in set(told.values_list("recipient", flat=True))
    # A moved deadline is a new one
    decision = application.decision
    decision.report_due_on = today + timedelta(days=12)
    decision.save()
    assert report_reminders_send(today=today) == 1
