"""The final report (Verwendungsnachweis): the factual report, the financial statement planned
against actual per approved line (CostLine plan=actual, each pointing at its approved line),
receipts (through core/uploads.py, the one way a file gets in). A line whose actual amount
deviates from the approved one by more than FUNDING_REPORT_DEVIATION_PERCENT must be explained
before the report can be submitted. Staff accept it (the application is then closed) or send
it back with a note, through the report's table in funding/workflows.py and its four-eyes
guard."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerportal.audit.services import attribute_change
from partnerportal.core import workflows as core_workflows
from partnerportal.core.concurrency import version_claim
from partnerportal.core.uploads import UploadPolicy, validate_upload

from .actions import FundingAction
from .decisions import approved_lines
from .models import (
    Application,
    ApplicationState,
    CostLine,
    CostPlan,
    FinalReport,
    ReportReceipt,
    ReportState,
)
from .permissions import can_act_for_applicant
from .workflows import REPORT_TRANSITIONS, application_transition, transition_guarded

RECEIPT_POLICY = UploadPolicy(kinds=("pdf", "png", "jpeg", "xlsx", "docx", "odt", "csv"))
EDITABLE = (ReportState.DRAFT, ReportState.SENT_BACK)


def deviation_threshold() -> Decimal:
    return Decimal(str(getattr(settings, "FUNDING_REPORT_DEVIATION_PERCENT", 20)))


@dataclass
class StatementLine:
    """One row of the financial statement: an approved line and what was actually spent."""

    approved: CostLine
    actual: CostLine | None

    @property
    def actual_eur(self) -> Decimal:
        return self.actual.amount_eur if self.actual is not None else Decimal("0.00")

    @property
    def difference(self) -> Decimal:
        return self.actual_eur - self.approved.amount_eur

    @property
    def deviation_percent(self) -> Decimal | None:
        if not self.approved.amount_eur:
            return None if not self.actual_eur else Decimal("100")
        return (abs(self.difference) * 100 / self.approved.amount_eur).quantize(Decimal("0.1"))

    @property
    def needs_explanation(self) -> bool:
        percent = self.deviation_percent
        return percent is not None and percent > deviation_threshold()

    @property
    def explanation(self) -> str:
        return self.actual.explanation if self.actual is not None else ""


def statement(application: Application) -> list[StatementLine]:
    actual = {
        line.planned_line_id: line for line in application.cost_lines.filter(plan=CostPlan.ACTUAL)
    }
    return [StatementLine(line, actual.get(line.pk)) for line in approved_lines(application)]


def final_report_ensure(application: Application) -> FinalReport:
    report, _created = FinalReport.objects.get_or_create(application=application)
    return report


def final_report_save(
    *,
    application: Application,
    actor,
    text: str,
    actuals: dict[int, tuple[str | Decimal, str]],
    expected_version: int | None = None,
) -> FinalReport:
    """Save the report as a draft: the text and, per approved line id, (actual EUR,
    explanation)."""
    if not can_act_for_applicant(actor, application):
        raise PermissionDenied
    if application.state != ApplicationState.APPROVED:
        raise ValidationError(_("Only an approved application has a final report."))
    lines = {line.pk: line for line in approved_lines(application)}
    problems = []
    parsed: dict[int, tuple[Decimal, str]] = {}
    for line_id, (amount, explanation) in actuals.items():
        if line_id not in lines:
            continue
        try:
            value = Decimal(str(amount)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            problems.append(_("“%(line)s”: not an amount.") % {"line": lines[line_id]})
            continue
        if value < 0:
            problems.append(
                _("“%(line)s”: the amount cannot be negative.") % {"line": lines[line_id]}
            )
        parsed[line_id] = (value, explanation.strip())
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        report = final_report_ensure(application)
        report = FinalReport.objects.select_for_update().get(pk=report.pk)
        if report.state not in EDITABLE:
            raise ValidationError(_("The report has been submitted and cannot be changed now."))
        application.cost_lines.filter(plan=CostPlan.ACTUAL, planned_line_id__in=parsed).delete()
        CostLine.objects.bulk_create(
            CostLine(
                application=application,
                plan=CostPlan.ACTUAL,
                kind=lines[line_id].kind,
                description=lines[line_id].description,
                amount=value,
                currency="EUR",
                exchange_rate=1,
                amount_eur=value,
                order=lines[line_id].order,
                planned_line_id=line_id,
                explanation=explanation,
            )
            for line_id, (value, explanation) in parsed.items()
        )
        report.text = text.strip()
        report.actual_total = sum(
            (line.amount_eur for line in application.cost_lines.filter(plan=CostPlan.ACTUAL)),
            Decimal("0.00"),
        )
        version_claim(report, expected_version=expected_version)
        attribute_change(report, actor=actor, action=FundingAction.REPORT_SAVED)
        report.save()
    return report


def receipt_add(*, report: FinalReport, actor, file) -> ReportReceipt:
    """A receipt, its type read from its bytes (core/uploads.py)."""
    if not can_act_for_applicant(actor, report.application):
        raise PermissionDenied
    if report.state not in EDITABLE:
        raise ValidationError(_("The report has been submitted and cannot be changed now."))
    detected = validate_upload(file, policy=RECEIPT_POLICY)
    receipt = ReportReceipt(
        report=report,
        name=getattr(file, "name", "receipt")[:255],
        mime=detected.mime,
        size=getattr(file, "size", 0) or 0,
        uploaded_by=actor,
    )
    receipt.file.save(receipt.name, file, save=False)
    with transaction.atomic():
        receipt.save()
        attribute_change(report, actor=actor, action=FundingAction.RECEIPT_UPLOADED)
        report.save(update_fields=["text"])
    return receipt


def final_report_submit(*, report: FinalReport, actor) -> FinalReport:
    """Submit: a text, an actual amount for every approved line, every deviation above the
    threshold explained, at least one receipt."""
    application = report.application
    if not can_act_for_applicant(actor, application):
        raise PermissionDenied
    if report.state not in EDITABLE:
        raise ValidationError(_("The report has already been submitted."))
    problems = []
    if not report.text.strip():
        problems.append(_("Please write the factual report."))
    for row in statement(application):
        if row.actual is None:
            problems.append(
                _("“%(line)s”: please give the actual amount.") % {"line": row.approved}
            )
        elif row.needs_explanation and not row.explanation:
            problems.append(
                _(
                    "“%(line)s” deviates by %(percent)s %% from the approved amount; please "
                    "explain why."
                )
                % {"line": row.approved, "percent": row.deviation_percent}
            )
    if not report.receipts.exists():
        problems.append(_("Please upload the receipts."))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        report.state = ReportState.SUBMITTED
        report.submitted_by, report.submitted_at = actor, timezone.now()
        attribute_change(report, actor=actor, action=FundingAction.REPORT_SUBMITTED)
        report.save()
    return report


REPORT_ACTION_CODES = {
    "accept": FundingAction.REPORT_ACCEPTED,
    "send_back": FundingAction.REPORT_SENT_BACK,
}


def final_report_transition(
    *,
    obj: FinalReport,
    action: str,
    actor,
    note: str = "",
    expected_version: int | None = None,
) -> FinalReport:
    """Accept the report (and so close the application, through the application's table) or
    send it back with a note: the report's table (workflows.REPORT_TRANSITIONS), then its
    four-eyes guard (whoever prepared its figures never reviews it)."""
    core_workflows.transition_permitted(REPORT_TRANSITIONS, action=action, obj=obj, actor=actor)
    note = note.strip()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=obj.application_id)
        report = FinalReport.objects.select_for_update().get(pk=obj.pk)
        transition = transition_guarded(report, action=action, actor=actor)
        if action == "send_back" and not note:
            raise ValidationError({"note": _("Please say what must be changed.")})
        version_claim(report, expected_version=expected_version)
        report.state = transition.target
        report.reviewed_by, report.reviewed_at = actor, timezone.now()
        report.reviewed_year = timezone.localdate(report.reviewed_at).year
        report.staff_note = note
        attribute_change(report, actor=actor, action=REPORT_ACTION_CODES[action])
        report.save()
        if action == "accept":
            application_transition(obj=application, action="close", actor=actor)
    obj.refresh_from_db()
    return report


def final_report_review(*, report: FinalReport, actor, accept: bool, note: str = "") -> FinalReport:
    """Staff accept the report (the application is closed) or send it back with a note."""
    return final_report_transition(
        obj=report, action="accept" if accept else "send_back", actor=actor, note=note
    )
