"""The applicant's side of funding: a municipality's editors write an application for one
instrument step by step (a draft saved at every step), add its cost plan, upload the documents
the instrument asks for, check it and submit it. The review after submission is
funding/workflows.py.

Every write is one service here (STYLE.md): guard, transaction, version claim (ADR 0005: a
draft edited in two windows never silently loses one of them; a cost line or a document
changes the application, so it claims the application's version too), save, audit, notify.
Views parse and render only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerportal.accounts.roles import MANAGING_ROLES
from partnerportal.audit.services import attribute_change
from partnerportal.core.concurrency import version_claim
from partnerportal.core.templatetags.partnerportal import money
from partnerportal.registry.models import Municipality, Partnership

from . import eligibility
from .actions import FundingAction
from .models import (
    Application,
    ApplicationDocument,
    ApplicationReferenceSequence,
    ApplicationState,
    CostKind,
    CostLine,
    CostPlan,
    FundingInstrument,
)
from .per_diem import PerDiemError, per_diem_calculate
from .permissions import can_apply, can_edit_application, can_submit_application

CENT = Decimal("0.01")
EUR = "EUR"

#: The wizard's steps, in order: (key, label). The check is the last one.
STEPS: list[tuple[str, Any]] = [
    ("partnership", gettext_lazy("Instrument and partnership")),
    ("measure", gettext_lazy("Measure")),
    ("schedule", gettext_lazy("Schedule")),
    ("costs", gettext_lazy("Cost plan")),
    ("documents", gettext_lazy("Documents")),
    ("check", gettext_lazy("Check and submit")),
]
STEP_KEYS = [key for key, _label in STEPS]

#: Which step an eligibility rule's subject is corrected in.
FIELD_STEPS = {
    eligibility.FIELD_APPLICANT: ("partnership", "partnership"),
    eligibility.FIELD_PARTNERSHIP: ("partnership", "partnership"),
    eligibility.FIELD_INSTRUMENT: ("partnership", ""),
    eligibility.FIELD_AMOUNT: ("costs", "lines"),
    eligibility.FIELD_STARTS_ON: ("schedule", "starts_on"),
    eligibility.FIELD_ENDS_ON: ("schedule", "ends_on"),
}


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- reads --------------------------------------------------------------------------------------


def applicant_partnerships(applicant: Municipality):
    """The partnerships an application can name: the applicant's published ones."""
    return (
        Partnership.objects.involving(applicant)
        .public()
        .select_related("municipality_a__country", "municipality_b__country")
        .order_by("municipality_a__name", "municipality_b__name")
    )


def partner_of(partnership: Partnership, applicant_id: int) -> Municipality:
    return (
        partnership.municipality_b
        if partnership.municipality_a_id == applicant_id
        else partnership.municipality_a
    )


def required_documents(instrument: FundingInstrument) -> list[dict]:
    """The instrument's documents as [{key, label, required}], the label in the reader's
    language. `required_documents` holds {"key", "label_de", "label_en", "required"} (required
    defaults to true); a plain string is a required document of that name."""
    from django.utils.text import slugify
    from django.utils.translation import get_language

    language = (get_language() or "de")[:2]
    documents = []
    for item in instrument.required_documents or []:
        if isinstance(item, str):
            item = {"key": slugify(item)[:60], "label_de": item}
        if not isinstance(item, dict) or not item.get("key"):
            continue
        label = item.get(f"label_{language}") or item.get("label_de") or item.get("label_en")
        documents.append(
            {
                "key": str(item["key"]),
                "label": label or item["key"],
                "required": bool(item.get("required", True)),
            }
        )
    return documents


def application_facts(
    application: Application, *, today: dt.date | None = None
) -> eligibility.Facts:
    """What the eligibility rules need to know about an application, from the registry."""
    applicant = application.applicant
    partnership = application.partnership
    partner = partner_of(partnership, applicant.pk) if partnership else None
    country = partner.country if partner else None
    totals = cost_totals(application)
    return eligibility.Facts(
        today=today or timezone.localdate(),
        applicant_kind=applicant.kind,
        applicant_country=applicant.country_id,
        has_partnership=partnership is not None,
        partnership_status=partnership.status if partnership else None,
        partnership_published=partnership.is_confirmed if partnership else None,
        partner_country=country.iso2 if country else None,
        partner_country_name=str(country) if country else "",
        partner_region=country.world_region if country else None,
        partner_oda=country.oda_recipient if country else None,
        amount_eur=totals.requested_eur if totals.lines else None,
        starts_on=application.starts_on,
        ends_on=application.ends_on,
        label=str(partnership) if partnership else str(applicant),
    )


@dataclass
class CostTotals:
    """A cost plan's figures in EUR with the instrument's funding rate, own contribution and
    ceiling: what the applicant asks for is the total times the funding rate."""

    lines: int
    total_eur: Decimal
    by_kind: list[tuple[str, Decimal]]
    funding_rate_percent: Decimal
    requested_eur: Decimal
    own_contribution_eur: Decimal
    own_contribution_percent: Decimal
    own_contribution_required_percent: Decimal
    ceiling_eur: Decimal | None

    @property
    def over_ceiling(self) -> bool:
        return self.ceiling_eur is not None and self.requested_eur > self.ceiling_eur


def cost_totals(application: Application, plan: str = CostPlan.REQUESTED) -> CostTotals:
    instrument = application.instrument
    lines = [line for line in application.cost_lines.all() if line.plan == plan]
    total = sum((line.amount_eur for line in lines), Decimal("0.00"))
    labels = dict(CostKind.choices)
    by_kind: dict[str, Decimal] = {}
    for line in lines:
        by_kind[line.kind] = by_kind.get(line.kind, Decimal("0.00")) + line.amount_eur
    rate = instrument.funding_rate_percent
    requested = cents(total * rate / 100)
    own = total - requested
    own_percent = cents(own * 100 / total) if total else Decimal("0.00")
    return CostTotals(
        lines=len(lines),
        total_eur=cents(total),
        by_kind=[(str(labels.get(kind, kind)), cents(amount)) for kind, amount in by_kind.items()],
        funding_rate_percent=rate,
        requested_eur=requested,
        own_contribution_eur=cents(own),
        own_contribution_percent=own_percent,
        own_contribution_required_percent=instrument.own_contribution_percent,
        ceiling_eur=instrument.ceiling_eur,
    )


def applications_of(user):
    """ "My applications": those of the municipalities `user` edits, newest first."""
    from partnerportal.accounts.roles import edited_municipality_ids

    return (
        Application.objects.filter(applicant_id__in=edited_municipality_ids(user))
        .select_related(
            "instrument__programme",
            "applicant",
            "partnership__municipality_a",
            "partnership__municipality_b",
        )
        .order_by("-created_at", "-pk")
    )


# --- the check before submission ------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something that stops submission, and where it is corrected: the wizard's step and the
    form field's name ("" for the step as a whole)."""

    step: str
    field: str
    message: str


def application_check(application: Application, *, today: dt.date | None = None) -> list[Problem]:
    """Completeness, plausibility and the instrument's eligibility rules, in step order. An
    empty list: the application can be submitted."""
    today = today or timezone.localdate()
    instrument = application.instrument
    problems: list[Problem] = []
    add = problems.append

    # Instrument and partnership
    needs_partnership = any(
        isinstance(rule, dict) and rule.get("rule") == "partnership"
        for rule in instrument.eligibility_rules or []
    )
    partnership = application.partnership
    if partnership is None and needs_partnership:
        add(Problem("partnership", "partnership", _("Choose the partnership the measure is for.")))
    elif partnership is not None and application.applicant_id not in (
        partnership.municipality_a_id,
        partnership.municipality_b_id,
    ):
        add(
            Problem(
                "partnership", "partnership", _("The partnership is not one of the applicant's.")
            )
        )

    # Measure
    if not application.title.strip():
        add(Problem("measure", "title", _("Give the measure a title.")))
    if not application.goals.strip():
        add(Problem("measure", "goals", _("Describe the goals of the measure.")))
    if not application.measure.strip():
        add(Problem("measure", "measure", _("Describe what will be done.")))

    # Schedule
    if application.starts_on is None:
        add(Problem("schedule", "starts_on", _("Enter when the measure starts.")))
    if application.ends_on is None:
        add(Problem("schedule", "ends_on", _("Enter when the measure ends.")))
    if (
        application.starts_on
        and application.ends_on
        and application.ends_on < application.starts_on
    ):
        add(Problem("schedule", "ends_on", _("The end lies before the start.")))

    # Cost plan
    lines = [line for line in application.cost_lines.all() if line.plan == CostPlan.REQUESTED]
    totals = cost_totals(application)
    if not lines:
        add(Problem("costs", "lines", _("Add at least one line to the cost plan.")))
    allowed = set(instrument.cost_kinds or [])
    kind_labels = dict(CostKind.choices)
    for line in lines:
        if allowed and line.kind not in allowed:
            add(
                Problem(
                    "costs",
                    f"line-{line.pk}",
                    _("“%(line)s”: %(kind)s are not funded by this instrument.")
                    % {"line": line.description, "kind": kind_labels.get(line.kind, line.kind)},
                )
            )
        if line.amount_eur <= 0:
            add(
                Problem(
                    "costs",
                    f"line-{line.pk}",
                    _("“%(line)s”: the amount must be more than zero.")
                    % {"line": line.description},
                )
            )
        trip = line.calculation or {}
        if line.kind == CostKind.PER_DIEM and trip.get("start") and application.starts_on:
            start = dt.datetime.fromisoformat(trip["start"]).date()
            end = dt.datetime.fromisoformat(trip["end"]).date()
            if start < application.starts_on or (application.ends_on and end > application.ends_on):
                add(
                    Problem(
                        "costs",
                        f"line-{line.pk}",
                        _("“%(line)s”: the trip lies outside the schedule of the measure.")
                        % {"line": line.description},
                    )
                )
    if totals.over_ceiling:
        add(
            Problem(
                "costs",
                "lines",
                _("The funding asked for (%(requested)s) exceeds the ceiling of %(ceiling)s.")
                % {"requested": money(totals.requested_eur), "ceiling": money(totals.ceiling_eur)},
            )
        )
    if (
        totals.total_eur
        and totals.own_contribution_percent < totals.own_contribution_required_percent
    ):
        add(
            Problem(
                "costs",
                "lines",
                _("The own contribution must be at least %(percent)s %% of the costs.")
                % {"percent": totals.own_contribution_required_percent},
            )
        )

    # Documents
    uploaded = {document.key for document in application.documents.all()}
    for document in required_documents(instrument):
        if document["required"] and document["key"] not in uploaded:
            add(
                Problem(
                    "documents",
                    f"doc-{document['key']}",
                    _("Upload: %(document)s.") % {"document": document["label"]},
                )
            )

    # Eligibility: failed rules, and rules not yet checkable where nothing else says why
    outcome = eligibility.instrument_check(instrument, application_facts(application, today=today))
    steps_with_problems = {problem.step for problem in problems}
    for result in outcome.results:
        step, field_name = FIELD_STEPS.get(result.field, ("partnership", ""))
        if result.failed or (
            result.outcome == eligibility.UNKNOWN and step not in steps_with_problems
        ):
            add(Problem(step, field_name, result.reason))

    order = {key: index for index, key in enumerate(STEP_KEYS)}
    problems.sort(key=lambda problem: order.get(problem.step, 0))
    return problems


# --- writes -------------------------------------------------------------------------------------


def _guard_edit(actor, application: Application) -> None:
    if not can_edit_application(actor, application):
        raise PermissionDenied


def _touch(application: Application, *, actor, expected_version: int | None, action: str) -> None:
    """Claim the application's version and record the change as `action` (one history entry)."""
    version_claim(application, expected_version=expected_version)
    attribute_change(application, actor=actor, action=action)
    application.save()


def _partnership_for(applicant: Municipality, partnership_id: int | None) -> Partnership | None:
    """The applicant's published partnership of that id; anything else is refused (a forged id
    names nothing)."""
    if partnership_id is None:
        return None
    partnership = applicant_partnerships(applicant).filter(pk=partnership_id).first()
    if partnership is None:
        raise ValidationError(
            {"partnership": _("Choose one of the partnerships of the applicant.")}
        )
    return partnership


def application_create(
    *,
    actor,
    instrument: FundingInstrument,
    applicant: Municipality,
    partnership_id: int | None = None,
    origin: str = "",
) -> Application:
    """A new draft. Only an instrument open for applications, only for a municipality the actor
    edits, only with one of its own partnerships."""
    if not can_apply(actor, applicant):
        raise PermissionDenied
    if not instrument.is_active:
        raise ValidationError(_("This instrument is not open for applications."))
    partnership = _partnership_for(applicant, partnership_id)
    with transaction.atomic():
        application = Application(
            instrument=instrument,
            applicant=applicant,
            partnership=partnership,
            created_by=actor,
            state=ApplicationState.DRAFT,
            step="partnership",
            origin=origin[:80],
        )
        attribute_change(application, actor=actor, action=FundingAction.APPLICATION_CREATED)
        application.save()
    return application


#: What application_update may change (the rest belongs to other services or the review).
UPDATABLE = ("title", "measure", "goals", "starts_on", "ends_on")


def application_update(
    *,
    actor,
    application: Application,
    expected_version: int,
    step: str = "",
    partnership_id: int | object | None = ...,
    **values: Any,
) -> Application:
    """Save a step of the draft. `partnership_id` (when given) must be one of the applicant's
    partnerships; other fields: UPDATABLE. Nothing is checked for completeness here: a draft
    may be half-filled (application_check says what is missing)."""
    _guard_edit(actor, application)
    unknown = set(values) - set(UPDATABLE)
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    partnership = application.partnership
    if partnership_id is not ...:
        partnership = _partnership_for(application.applicant, partnership_id)  # type: ignore[arg-type]
    starts_on = values.get("starts_on", application.starts_on)
    ends_on = values.get("ends_on", application.ends_on)
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end lies before the start.")})
    with transaction.atomic():
        application.partnership = partnership
        for name, value in values.items():
            setattr(application, name, value.strip() if isinstance(value, str) else value)
        if step in STEP_KEYS:
            application.step = step
        _touch(
            application,
            actor=actor,
            expected_version=expected_version,
            action=FundingAction.APPLICATION_UPDATED,
        )
    return application


def _line_values(
    *, kind: str, description: str, amount: Decimal, currency: str, exchange_rate: Decimal
) -> dict:
    currency = (currency or EUR).upper()
    if kind not in CostKind.values:
        raise ValidationError({"kind": _("Choose a kind of cost.")})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    if currency == EUR:
        exchange_rate = Decimal(1)
    elif exchange_rate is None or exchange_rate <= 0:
        raise ValidationError(
            {"exchange_rate": _("Give the exchange rate used (EUR for one unit of the currency).")}
        )
    return {
        "kind": kind,
        "description": description.strip()[:300],
        "amount": cents(amount),
        "currency": currency,
        "exchange_rate": exchange_rate,
        "amount_eur": cents(amount * exchange_rate),
    }


def cost_line_add(
    *,
    actor,
    application: Application,
    expected_version: int,
    kind: str,
    description: str,
    amount: Decimal,
    currency: str = EUR,
    exchange_rate: Decimal | None = None,
) -> CostLine:
    """A line of the requested cost plan. Paid in another currency, it keeps the amount, the
    currency and the rate used; `amount_eur` is their product, rounded to the cent."""
    _guard_edit(actor, application)
    values = _line_values(
        kind=kind,
        description=description,
        amount=amount,
        currency=currency,
        exchange_rate=exchange_rate,
    )
    with transaction.atomic():
        application.step = "costs"
        _touch(
            application,
            actor=actor,
            expected_version=expected_version,
            action=FundingAction.APPLICATION_COST_LINE_ADDED,
        )
        order = application.cost_lines.filter(plan=CostPlan.REQUESTED).count()
        line = CostLine.objects.create(
            application=application, plan=CostPlan.REQUESTED, order=order, **values
        )
    return line


def _own_line(application: Application, line_id: int) -> CostLine:
    line = application.cost_lines.filter(pk=line_id, plan=CostPlan.REQUESTED).first()
    if line is None:
        raise CostLine.DoesNotExist
    return line


def cost_line_update(
    *,
    actor,
    application: Application,
    line_id: int,
    expected_version: int,
    kind: str,
    description: str,
    amount: Decimal,
    currency: str = EUR,
    exchange_rate: Decimal | None = None,
) -> CostLine:
    """Change a line (not a calculated per-diem line: per_diem_line_update calculates it anew)."""
    _guard_edit(actor, application)
    line = _own_line(application, line_id)
    if line.kind == CostKind.PER_DIEM and line.calculation:
        raise ValidationError(
            _("A calculated per diem is changed through its trip (dates, meals, place).")
        )
    values = _line_values(
        kind=kind,
        description=description,
        amount=amount,
        currency=currency,
        exchange_rate=exchange_rate,
    )
    with transaction.atomic():
        _touch(
            application,
            actor=actor,
            expected_version=expected_version,
            action=FundingAction.APPLICATION_COST_LINE_CHANGED,
        )
        for name, value in values.items():
            setattr(line, name, value)
        line.save()
    return line


def cost_line_delete(
    *, actor, application: Application, line_id: int, expected_version: int
) -> None:
    _guard_edit(actor, application)
    line = _own_line(application, line_id)
    with transaction.atomic():
        _touch(
            application,
            actor=actor,
            expected_version=expected_version,
            action=FundingAction.APPLICATION_COST_LINE_REMOVED,
        )
        line.delete()


def _per_diem_calculated(
    *,
    country: str,
    city: str,
    start: dt.datetime,
    end: dt.datetime,
    breakfasts: int,
    lunches: int,
    dinners: int,
    travellers: int,
) -> tuple[Decimal, dict]:
    """(total EUR, the `calculation` a line keeps) of a trip by the BMF rates; PerDiemError's
    problems become a ValidationError naming the fields."""
    if travellers < 1 or travellers > 100:
        raise ValidationError({"travellers": _("Between 1 and 100 travellers.")})
    try:
        result = per_diem_calculate(
            country=country,
            city=city,
            start=start,
            end=end,
            breakfasts=breakfasts,
            lunches=lunches,
            dinners=dinners,
        )
    except PerDiemError as error:
        raise ValidationError(
            {
                name: [message for field_name, message in error.problems if field_name == name]
                for name in {field_name for field_name, _message in error.problems}
            }
        ) from error
    total = cents(result.total * travellers)
    calculation = {
        "country": result.country,
        "city": result.city,
        "start": result.start.isoformat(),
        "end": result.end.isoformat(),
        "breakfasts": breakfasts,
        "lunches": lunches,
        "dinners": dinners,
        "travellers": travellers,
        "per_person": str(result.total),
        "total": str(total),
        "city_fallback": result.city_fallback,
        "tables": list(result.table_ids),
        "days": [
            {
                "date": day.date.isoformat(),
                "kind": day.kind,
                "rate": str(day.rate),
                "deductions": str(day.deductions),
                "amount": str(day.amount),
                "city": day.city,
            }
            for day in result.days
        ],
    }
    return total, calculation


def per_diem_description(calculation: dict) -> str:
    """The description written from a trip when the applicant gives none."""
    from partnerportal.geo.models import Country

    place = calculation.get("city") or str(
        Country.objects.filter(iso2=calculation.get("country")).first() or ""
    )
    return _("Per diems %(place)s, %(days)s days, %(travellers)s person(s)") % {
        "place": place,
        "days": len(calculation.get("days") or []),
        "travellers": calculation.get("travellers", 1),
    }


def per_diem_line_add(
    *,
    actor,
    application: Application,
    expected_version: int,
    country: str,
    city: str,
    start: dt.datetime,
    end: dt.datetime,
    breakfasts: int = 0,
    lunches: int = 0,
    dinners: int = 0,
    travellers: int = 1,
    description: str = "",
) -> CostLine:
    """Per diems of a trip by the BMF rates (funding.per_diem), for `travellers` people. The
    line keeps the inputs and the result (days, rates, tables) in `calculation`, so that the
    figure can be retraced after a new rate table is imported. PerDiemError's problems become
    a ValidationError naming the fields."""
    _guard_edit(actor, application)
    total, calculation = _per_diem_calculated(
        country=country, city=city, start=start, end=end, breakfasts=breakfasts,
        lunches=lunches, dinners=dinners, travellers=travellers,
    )  # fmt: skip
    if not description.strip():
        description = per_diem_description(calculation)
    with transaction.atomic():
        application.step = "costs"
        _touch(
            application,
            actor=actor,
            expected_version=expected_version,
            action=FundingAction.APPLICATION_COST_LINE_ADDED,
        )
        order = application.cost_lines.filter(plan=CostPlan.REQUESTED).count()
        line = CostLine.objects.create(
            application=application,
            plan=CostPlan.REQUESTED,
            kind=CostKind.PER_DIEM,
            description=description.strip()[:300],
            amount=total,
            currency=EUR,
            exchange_rate=Decimal(1),
            amount_eur=total,
            calculation=calculation,
            order=order,
        )
    return line


def per_diem_line_update(
    *,
    actor,
    application: Application,
    line_id: int,
    expected_version: int,
    country: str,
    city: str,
    start: dt.datetime,
    end: dt.datetime,
    breakfasts: int = 0,
    lunches: int = 0,
    dinners: int = 0,
    travellers: int = 1,
    description: str = "",
) -> CostLine:
    """Change a calculated per-diem line in place (dates, meals, country, city, travellers):
    calculated anew by the rates of each day, its place in the plan kept. Refused (EditConflict)
    when the application was saved since `expected_version`, like every step of the wizard."""
    _guard_edit(actor, application)
    line = _own_line(application, line_id)
    if line.kind != CostKind.PER_DIEM or not line.calculation:
        raise ValidationError(_("This line is not a calculated per diem."))
    total, calculation = _per_diem_calculated(
        country=country, city=city, start=start, end=end, breakfasts=breakfasts,
        lunches=lunches, dinners=dinners, travellers=travellers,
    )  # fmt: skip
    if not description.strip():
        description = per_diem_description(calculation)
    with transaction.atomic():
        _touch(
            application,
            actor=actor,
            expected_version=expected_version,
            action=FundingAction.APPLICATION_COST_LINE_CHANGED,
        )
        line.description = description.strip()[:300]
        line.amount = line.amount_eur = total
        line.currency, line.exchange_rate = EUR, Decimal(1)
        line.calculation = calculation
        line.save()
    return line


def document_upload(
    *, actor, application: Application, expected_version: int, key: str, file
) -> ApplicationDocument:
    """Store a document the instrument asks for; `file` has passed core.uploads (the form's
    ValidatedFileField) and carries its `detected_type`. A second upload for the same key
    replaces the first (its file is removed once the transaction has committed)."""
    _guard_edit(actor, application)
    if key not in {document["key"] for document in required_documents(application.instrument)}:
        raise ValidationError(_("This instrument asks for no such document."))
    detected = getattr(file, "detected_type", None)
    if detected is None:
        from partnerportal.core.uploads import UploadPolicy, validate_upload

        detected = validate_upload(file, policy=UploadPolicy(kinds=DOCUMENT_KINDS))
    with transaction.atomic():
        _touch(
            application,
            actor=actor,
            expected_version=expected_version,
            action=FundingAction.APPLICATION_DOCUMENT_UPLOADED,
        )
        previous = application.documents.filter(key=key).first()
        if previous is not None:
            old_file = previous.file
            previous.delete()
            transaction.on_commit(lambda: old_file.delete(save=False))
        document = ApplicationDocument(
            application=application,
            key=key,
            original_name=(getattr(file, "name", "") or key)[-255:],
            mime=detected.mime,
            size=detected.size,
            uploaded_by=actor,
        )
        document.file.save(getattr(file, "name", key), file, save=False)
        document.save()
    return document


#: What the documents of an application may be.
DOCUMENT_KINDS = ("pdf", "docx", "xlsx", "odt", "png", "jpeg")


def document_delete(*, actor, application: Application, key: str, expected_version: int) -> None:
    _guard_edit(actor, application)
    document = application.documents.filter(key=key).first()
    if document is None:
        raise ApplicationDocument.DoesNotExist
    with transaction.atomic():
        _touch(
            application,
            actor=actor,
            expected_version=expected_version,
            action=FundingAction.APPLICATION_DOCUMENT_REMOVED,
        )
        stored = document.file
        document.delete()
        transaction.on_commit(lambda: stored.delete(save=False))


def _reference_next(instrument: FundingInstrument, year: int) -> str:
    """The next "EF-2026-0001" of the instrument's prefix; the sequence row is locked until the
    submission commits."""
    prefix = (instrument.reference_prefix or "FA").upper()
    sequence, _created = ApplicationReferenceSequence.objects.get_or_create(
        prefix=prefix, year=year
    )
    sequence = ApplicationReferenceSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{prefix}-{year}-{sequence.last_number:04d}"


class ApplicationIncomplete(ValidationError):
    """Submission refused: `problems` says what and where."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__([problem.message for problem in problems])


def application_submit(*, actor, application: Application, expected_version: int) -> Application:
    """Draft → submitted: every check must pass (ApplicationIncomplete otherwise, nothing
    changes). The application gets its reference, the agency's staff are told, and the
    submitting editor gets a confirmation in their feed."""
    if not can_submit_application(actor, application):
        raise PermissionDenied
    problems = application_check(application)
    if problems:
        raise ApplicationIncomplete(problems)
    with transaction.atomic():
        now = timezone.now()
        application.reference = _reference_next(
            application.instrument, timezone.localdate(now).year
        )
        application.state = ApplicationState.SUBMITTED
        application.submitted_at = now
        application.step = "check"
        _touch(
            application,
            actor=actor,
            expected_version=expected_version,
            action=FundingAction.APPLICATION_SUBMITTED,
        )
        _submitted_notify(application=application, actor=actor)
    return application


def staff_recipients():
    """The agency staff who hear of submitted (and withdrawn) applications."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name__in=MANAGING_ROLES) | Q(is_superuser=True), is_active=True)
        .distinct()
    )


def _submitted_notify(*, application: Application, actor) -> None:
    from django.conf import settings

    from partnerportal.notifications.events import Event
    from partnerportal.notifications.services import notify

    url = settings.SITE_URL.rstrip("/") + reverse(
        "funding:application_detail", kwargs={"pk": application.pk}
    )
    context = {
        "url": url,
        "reference": application.reference,
        "instrument": application.instrument.name,
        "applicant": str(application.applicant),
        "title": application.title,
        "requested": str(cost_totals(application).requested_eur),
    }
    notify(
        event=Event.FUNDING_APPLICATION_SUBMITTED,
        recipients=staff_recipients(),
        actor=actor,
        target=application,
        context=context,
    )
    notify(
        event=Event.FUNDING_APPLICATION_RECEIVED,
        recipients=[actor],
        actor=None,
        target=application,
        context=context,
    )


__all__ = [
    "STEPS",
    "ApplicationIncomplete",
    "CostTotals",
    "Problem",
    "application_check",
    "application_create",
    "application_submit",
    "application_update",
    "cost_line_add",
    "cost_line_delete",
    "cost_line_update",
    "cost_totals",
    "document_delete",
    "document_upload",
    "per_diem_line_add",
    "per_diem_line_update",
]
