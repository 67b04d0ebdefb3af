"""Decisions: the draft (the approved cost plan, which may differ from the requested one,
conditions, report deadline) and the letter.

The draft is written by staff before anyone decides; writing it counts as changing the
application, so its writer cannot approve it (four eyes, funding/review.py). The decision
itself is a transition (`workflows.application_transition`, actions approve and reject), which
calls `decision_finalise` here to freeze the letter's text. The letter comes from templates
staff edit in the back office (LetterTemplate); the built-in texts below stand in until they
do, so a fresh installation can send letters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partnerportal.audit.services import attribute_change
from partnerportal.core.concurrency import version_check
from partnerportal.core.dates import display_date
from partnerportal.core.pdf import FONT_FAMILY, pdf_bytes, pdf_new

from .actions import FundingAction
from .models import (
    Application,
    ApplicationState,
    CostKind,
    CostLine,
    CostPlan,
    Decision,
    DecisionOutcome,
    InvolvementKind,
    LetterKind,
    LetterTemplate,
)
from .permissions import can_review_applications
from .review import involvement_add

#: States in which staff may write the decision draft.
DRAFT_STATES = (ApplicationState.ASSESSMENT, ApplicationState.DECISION)

#: The built-in letters (German; the summary paragraph in English), used until staff write
#: their own LetterTemplate of the same kind and language.
DEFAULT_LETTERS: dict[tuple[str, str], tuple[str, str]] = {
    (LetterKind.APPROVAL, "de"): (
        "Zuwendungsbescheid {reference}",
        "Sehr geehrte Damen und Herren,\n\n"
        "auf Ihren Antrag „{title}“ ({reference}) im Förderinstrument {instrument} des "
        "Programms {programme} bewilligen wir {applicant} eine Zuwendung von bis zu {total}.\n\n"
        "Der Bewilligung liegt der beigefügte Kostenplan zugrunde.\n\n"
        "Auflagen:\n{conditions}\n\n"
        "Bitte legen Sie den Verwendungsnachweis bis zum {report_due} vor.\n\n"
        "Mit freundlichen Grüßen",
    ),
    (LetterKind.REJECTION, "de"): (
        "Ablehnungsbescheid {reference}",
        "Sehr geehrte Damen und Herren,\n\n"
        "Ihren Antrag „{title}“ ({reference}) im Förderinstrument {instrument} können wir "
        "leider nicht bewilligen.\n\nGründe:\n{reasons}\n\nMit freundlichen Grüßen",
    ),
    (LetterKind.APPROVAL, "en"): (
        "",
        "Summary: the application {reference} of {applicant} has been approved with up to "
        "{total}. Conditions: {conditions} The final report is due on {report_due}.",
    ),
    (LetterKind.REJECTION, "en"): (
        "",
        "Summary: the application {reference} of {applicant} could not be approved. "
        "Reasons: {reasons}",
    ),
}


class _Placeholders(dict):
    """Unknown placeholders stay as they are written, so a typo in a template shows in the
    letter's preview instead of breaking it."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def requested_lines(application: Application):
    return application.cost_lines.filter(plan=CostPlan.REQUESTED).order_by("order", "pk")


def approved_lines(application: Application):
    return application.cost_lines.filter(plan=CostPlan.APPROVED).order_by("order", "pk")


def plan_total(application: Application, plan: str) -> Decimal:
    total = application.cost_lines.filter(plan=plan).aggregate(total=Sum("amount_eur"))["total"]
    return total or Decimal("0.00")


def decision_draft_ensure(application: Application) -> Decision:
    """The decision draft, made on first use with the approved plan prefilled from the
    requested one (a copy by the system: nobody changed anything yet)."""
    decision = Decision.objects.filter(application=application).first()
    if decision is not None:
        return decision
    with transaction.atomic():
        decision = Decision.objects.create(
            application=application, approved_total=plan_total(application, CostPlan.REQUESTED)
        )
        if not approved_lines(application).exists():
            CostLine.objects.bulk_create(
                CostLine(
                    application=application,
                    plan=CostPlan.APPROVED,
                    kind=line.kind,
                    description=line.description,
                    amount=line.amount_eur,
                    currency="EUR",
                    exchange_rate=1,
                    amount_eur=line.amount_eur,
                    order=index,
                )
                for index, line in enumerate(requested_lines(application))
            )
    return decision


@dataclass(frozen=True)
class PlanLine:
    kind: str
    description: str
    amount_eur: Decimal


def plan_lines_clean(lines: list[dict]) -> list[PlanLine]:
    """Check an approved (or proposed) plan given as dicts; errors name the line."""
    cleaned: list[PlanLine] = []
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        kind = str(line.get("kind", ""))
        description = " ".join(str(line.get("description", "")).split())
        try:
            amount = Decimal(str(line.get("amount_eur", ""))).quantize(Decimal("0.01"))
            if not amount.is_finite():  # NaN passes quantize and breaks every comparison
                raise ValueError(amount)
        except (InvalidOperation, ValueError):
            problems.append(_("Line %(number)s: the amount is not a number.") % {"number": number})
            continue
        if kind not in CostKind.values:
            problems.append(_("Line %(number)s: unknown kind of cost.") % {"number": number})
        if not description:
            problems.append(_("Line %(number)s: please describe the cost.") % {"number": number})
        if amount < 0:
            problems.append(
                _("Line %(number)s: the amount cannot be negative.") % {"number": number}
            )
        cleaned.append(PlanLine(kind, description[:300], amount))
    if problems:
        raise ValidationError(problems)
    return cleaned


def approved_plan_replace(application: Application, lines: list[PlanLine]) -> Decimal:
    """Replace the approved lines (inside the caller's transaction); returns the new total."""
    application.cost_lines.filter(plan=CostPlan.APPROVED).delete()
    CostLine.objects.bulk_create(
        CostLine(
            application=application,
            plan=CostPlan.APPROVED,
            kind=line.kind,
            description=line.description,
            amount=line.amount_eur,
            currency="EUR",
            exchange_rate=1,
            amount_eur=line.amount_eur,
            order=index,
        )
        for index, line in enumerate(lines)
    )
    return sum((line.amount_eur for line in lines), Decimal("0.00"))


def decision_draft_save(
    *,
    application: Application,
    actor,
    lines: list[dict],
    conditions: str = "",
    reasons: str = "",
    report_due_on: date | None = None,
    summary_language: str = "",
    expected_version: int | None = None,
) -> Decision:
    """Write the decision draft. Its writer has changed the application and so may not approve
    it (four eyes); the approved total may be lower than requested, never higher, nor above the
    instrument's ceiling."""
    if not can_review_applications(actor):
        raise PermissionDenied
    if application.state not in DRAFT_STATES:
        raise ValidationError(
            _("The decision draft can be changed only during assessment or before the decision."),
            code="wrong_state",
        )
    cleaned = plan_lines_clean(lines)
    total = sum((line.amount_eur for line in cleaned), Decimal("0.00"))
    approved_total_check(application, total)
    languages = {code for code, _name in settings.LANGUAGES} - {"de"}
    if summary_language and summary_language not in languages:
        raise ValidationError({"summary_language": _("Unknown language.")})
    with transaction.atomic():
        version_check(application, expected_version=expected_version)
        decision = decision_draft_ensure(application)
        decision.approved_total = approved_plan_replace(application, cleaned)
        decision.conditions = conditions.strip()
        decision.reasons = reasons.strip()
        decision.report_due_on = report_due_on
        decision.summary_language = summary_language
        decision.drafted_by = actor
        attribute_change(decision, actor=actor, action=FundingAction.DECISION_DRAFTED)
        decision.save()
        involvement_add(application=application, user=actor, kind=InvolvementKind.EDITED)
    return decision


# --- The letter -------------------------------------------------------------------------------


def letter_template_text(kind: str, language: str) -> tuple[str, str] | None:
    template = LetterTemplate.objects.filter(kind=kind, language=language).first()
    if template is not None:
        return template.subject, template.body
    return DEFAULT_LETTERS.get((kind, language))


def _placeholders(decision: Decision, language: str) -> _Placeholders:
    application = decision.application
    instrument = application.instrument
    with translation.override(language):
        from partnerportal.core.templatetags.partnerportal import money

        return _Placeholders(
            reference=application.reference or "",
            applicant=application.applicant.name,
            title=application.title,
            instrument=instrument.name,
            programme=instrument.programme.name,
            total=money(decision.approved_total),
            conditions=decision.conditions or "–",
            reasons=decision.reasons or "–",
            report_due=display_date(decision.report_due_on) if decision.report_due_on else "–",
            date=display_date(decision.decided_at or timezone.now()),
        )


def letter_render(decision: Decision, outcome: str) -> tuple[str, str, str]:
    """(subject, German text, summary in the partner's language or '') for `outcome`."""
    kind = LetterKind.APPROVAL if outcome == DecisionOutcome.APPROVED else LetterKind.REJECTION
    subject, body = letter_template_text(kind, "de") or ("", "")
    values = _placeholders(decision, "de")
    summary = ""
    if decision.summary_language:
        found = letter_template_text(kind, decision.summary_language)
        if found is not None:
            summary = found[1].format_map(_placeholders(decision, decision.summary_language))
    return subject.format_map(values), body.format_map(values), summary


def decision_finalise(*, decision: Decision, actor, outcome: str) -> Decision:
    """Inside the approve/reject transition: record the outcome and freeze the letter."""
    decision.outcome = outcome
    decision.decided_by = actor
    decision.decided_at = timezone.now()
    decision.decided_year = timezone.localdate(decision.decided_at).year
    decision.letter_subject, decision.letter_body, decision.letter_summary = letter_render(
        decision, outcome
    )
    action = (
        FundingAction.APPROVED if outcome == DecisionOutcome.APPROVED else FundingAction.REJECTED
    )
    attribute_change(decision, actor=actor, action=action)
    decision.save()
    involvement_add(application=decision.application, user=actor, kind=InvolvementKind.DECIDED)
    return decision


def letter_pdf(decision: Decision) -> bytes:
    """The letter as sent: German text, the approved cost plan, the summary paragraph."""
    application = decision.application
    with translation.override("de"):
        from partnerportal.core.templatetags.partnerportal import money

        pdf = pdf_new(
            title=decision.letter_subject or str(application),
            footer=f"{application.reference or ''} · {display_date(decision.decided_at)}",
        )
        pdf.add_page()
        pdf.set_font(FONT_FAMILY, size=10)
        pdf.multi_cell(0, 5, f"{application.applicant.name}", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 5, display_date(decision.decided_at), align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.set_font(FONT_FAMILY, "B", size=13)
        pdf.multi_cell(0, 7, decision.letter_subject, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.set_font(FONT_FAMILY, size=11)
        pdf.multi_cell(0, 5.5, decision.letter_body, new_x="LMARGIN", new_y="NEXT")
        if decision.outcome == DecisionOutcome.APPROVED:
            pdf.ln(5)
            pdf.set_font(FONT_FAMILY, "B", size=11)
            pdf.cell(0, 6, "Bewilligter Kostenplan", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(FONT_FAMILY, size=10)
            for line in approved_lines(application):
                pdf.cell(120, 6, f"{line.get_kind_display()}: {line.description}"[:70])
                pdf.cell(0, 6, money(line.amount_eur), align="R", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(FONT_FAMILY, "B", size=10)
            pdf.cell(120, 6, "Summe")
            pdf.cell(0, 6, money(decision.approved_total), align="R", new_x="LMARGIN", new_y="NEXT")
        if decision.letter_summary:
            pdf.ln(6)
            pdf.set_font(FONT_FAMILY, size=10)
            pdf.multi_cell(0, 5, decision.letter_summary, new_x="LMARGIN", new_y="NEXT")
    return pdf_bytes(pdf)


def letter_template_save(
    *, actor, kind: str, language: str, subject: str, body: str
) -> LetterTemplate:
    """Staff write a letter template (also from the back office's snippet form)."""
    from .permissions import can_edit_letter_templates

    if not can_edit_letter_templates(actor):
        raise PermissionDenied
    template, _created = LetterTemplate.objects.get_or_create(
        kind=kind, language=language, defaults={"body": body}
    )
    template.subject = subject
    template.body = body
    attribute_change(template, actor=actor, action=FundingAction.LETTER_TEMPLATE_CHANGED)
    template.save()
    return template


def approved_total_check(application: Application, total: Decimal) -> None:
    """An approved plan (the decision's, or a change accepted later) never exceeds what was
    requested nor the instrument's ceiling."""
    requested = plan_total(application, CostPlan.REQUESTED)
    if total > requested:
        raise ValidationError(
            _(
                "The approved total (%(total)s EUR) is above the requested total "
                "(%(requested)s EUR)."
            )
            % {"total": total, "requested": requested},
            code="above_requested",
        )
    ceiling = application.instrument.ceiling_eur
    if ceiling is not None and total > ceiling:
        raise ValidationError(
            _("The approved total is above the instrument's ceiling of %(ceiling)s EUR.")
            % {"ceiling": ceiling},
            code="above_ceiling",
        )
