"""The services of advisory cases and their action plans (STYLE.md: one function per write,
guard → atomic → save → audit → notify). The state of a case changes only in
`workflows.case_transition`.

A second request from the same address on the same day does not open a second case: it is added
to the first one as a log entry (nothing is lost, and a script that posts the form in a loop
makes one case, not hundreds)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from partnerportal.accounts.roles import MANAGING_ROLES
from partnerportal.audit.services import attribute_change
from partnerportal.core.concurrency import version_claim
from partnerportal.notifications.events import Event as NotificationEvent
from partnerportal.notifications.services import email_to_address, notify

from . import permissions
from .actions import AdvisoryAction
from .models import (
    ActionPlan,
    Case,
    CaseDocument,
    CaseNote,
    Measure,
    MeasureStatus,
    PlanComment,
    ResponsibleSide,
)

ANONYMISED_NAME = "—"
HOME_COUNTRY = "DE"


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def case_url(case: Case, *, language: str = "de") -> str:
    with override(language):
        return _site_url(reverse("advisory:case_detail", kwargs={"pk": case.pk}))


def plan_url(case: Case, *, language: str = "de") -> str:
    with override(language):
        return _site_url(reverse("advisory:plan_detail", kwargs={"pk": case.pk}))


def advisory_staff():
    """Everyone who is told of a new request: the agency's managing staff."""
    return (
        get_user_model().objects.filter(groups__name__in=MANAGING_ROLES, is_active=True).distinct()
    )


def case_country_id(case: Case) -> str | None:
    """The partner country a case is about: the foreign side of its partnership, else its
    municipality's country (a German requester without a partnership: Germany)."""
    if case.partnership_id:
        p = case.partnership
        a, b = p.municipality_a, p.municipality_b
        foreign = [m for m in (a, b) if m.country_id != HOME_COUNTRY]
        return (foreign[0] if foreign else a).country_id
    if case.municipality_id:
        return case.municipality.country_id
    return None


def _start_of_today() -> dt.datetime:
    now = timezone.localtime()
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


# --- Opening a case from the contact form ----------------------------------------------------


@dataclass
class ContactRequest:
    """What the contact form collected, in plain values (the view parses, the service acts)."""

    name: str
    email: str
    need: str
    language: str = "de"
    phone: str = ""
    municipality: Any = None
    municipality_text: str = ""
    partnership: Any = None
    programme: Any = None
    topics: list = field(default_factory=list)
    user: Any = None


@dataclass(frozen=True)
class CaseOpened:
    case: Case
    #: True when the request was added to the same address's case of today
    added: bool


def case_open_from_request(*, actor, request: ContactRequest) -> CaseOpened:
    """Open a case from a contact request, confirm it to the requester in their language and
    tell the agency. One case per address and day: a further request that day becomes a log
    entry of that case (and is confirmed as such)."""
    email = request.email.strip()
    language = request.language if request.language in dict(settings.LANGUAGES) else "de"
    with transaction.atomic():
        existing = (
            Case.objects.select_for_update()
            .filter(requester_email__iexact=email, opened_at__gte=_start_of_today())
            .order_by("pk")
            .first()
        )
        if existing is not None:
            note = CaseNote(
                case=existing,
                kind=CaseNote.Kind.EMAIL,
                date=timezone.localdate(),
                participants=request.name[:300],
                text=_("Further request through the contact form:") + "\n\n" + request.need,
                author=None,
            )
            attribute_change(note, actor=actor, action=AdvisoryAction.CASE_REQUEST_ADDED)
            note.save()
            case, added = existing, True
        else:
            case = Case(
                requester_name=request.name,
                requester_email=email,
                requester_phone=request.phone,
                requester_user=request.user if getattr(request.user, "pk", None) else None,
                language=language,
                municipality=request.municipality,
                municipality_text="" if request.municipality else request.municipality_text,
                partnership=request.partnership,
                programme=request.programme,
                need=request.need,
            )
            case.country_id = case_country_id(case)
            attribute_change(case, actor=actor, action=AdvisoryAction.CASE_OPENED)
            case.save()
            case.reference = f"B-{case.opened_at:%Y}-{case.pk:05d}"
            case.save(update_fields=["reference"])
            if request.topics:
                case.topics.set(request.topics)
            added = False
        email_to_address(
            event=NotificationEvent.ADVISORY_REQUEST_CONFIRMED,
            to_email=email,
            language=language,
            context={
                "recipient_name": request.name,
                "reference": case.reference,
                "need": request.need,
                "added": added,
            },
        )
        recipients = [case.advisor] if (added and case.advisor) else list(advisory_staff())
        notify(
            event=NotificationEvent.ADVISORY_REQUEST_RECEIVED,
            recipients=recipients,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            target=case,
            context={
                "url": case_url(case),
                "municipality": str(case.municipality or case.municipality_text),
            },
        )
    return CaseOpened(case=case, added=added)


# --- Staff's work on a case --------------------------------------------------------------------

#: The fields staff change on a case's page (case_update); the rest belong to services of
#: their own (advisor, state) or to the requester.
CASE_FIELDS = (
    "due_on",
    "municipality",
    "municipality_text",
    "partnership",
    "programme",
    "public_summary",
    "requester_phone",
)
CASE_M2M = ("topics", "events", "funding_instruments")


def _guard(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def case_update(*, case: Case, actor, expected_version: int | None, **changes) -> Case:
    """Change a case's details (links, due date, public summary, the municipality staff
    resolved from the requester's text). Unknown keys are a programming error."""
    _guard(permissions.can_change_case(actor, case))
    unknown = set(changes) - set(CASE_FIELDS) - set(CASE_M2M)
    if unknown:
        raise TypeError(f"case_update: unknown fields {sorted(unknown)}")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        version_claim(locked, expected_version=expected_version)
        for name in CASE_FIELDS:
            if name in changes:
                setattr(locked, name, changes[name])
        locked.country_id = case_country_id(locked)
        if locked.due_on != case.due_on:
            locked.reminder_sent_for = None
        attribute_change(locked, actor=actor, action=AdvisoryAction.CASE_UPDATED)
        locked.save()
        for name in CASE_M2M:
            if name in changes:
                getattr(locked, name).set(changes[name])
    case.refresh_from_db()
    return case


def case_assign(*, case: Case, actor, advisor, expected_version: int | None) -> Case:
    """Give a case to an advisor of the agency's staff (None: nobody), who is told."""
    _guard(permissions.can_assign_case(actor, case))
    if advisor is not None and not permissions.is_advisory_staff(advisor):
        raise ValidationError(_("Only the agency's advisory staff can advise on a case."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        version_claim(locked, expected_version=expected_version)
        locked.advisor = advisor
        attribute_change(locked, actor=actor, action=AdvisoryAction.CASE_ASSIGNED)
        locked.save()
        if advisor is not None:
            notify(
                event=NotificationEvent.ADVISORY_CASE_ASSIGNED,
                recipients=[advisor],
                actor=actor,
                target=locked,
                context={"url": case_url(locked, language=advisor.language or "de")},
            )
    case.refresh_from_db()
    return case


def case_note_add(
    *, case: Case, actor, kind: str, date: dt.date, text: str, participants: str = ""
) -> CaseNote:
    """An entry of the internal log (staff only)."""
    _guard(permissions.can_add_case_note(actor, case) and not case.is_anonymised)
    note = CaseNote(
        case=case,
        kind=kind,
        date=date,
        participants=participants[:300],
        text=text,
        author=actor,
    )
    with transaction.atomic():
        attribute_change(note, actor=actor, action=AdvisoryAction.CASE_NOTE_ADDED)
        note.save()
    return note


def case_document_add(*, case: Case, actor, title: str, file) -> CaseDocument:
    """A document of the case; `file` was checked by core.uploads (ValidatedFileField)."""
    _guard(permissions.can_view_case_log(actor, case) and not case.is_anonymised)
    detected = getattr(file, "detected_type", None)
    if detected is None:
        raise ValidationError(_("The file was not checked."))
    document = CaseDocument(
        case=case, title=title, mime=detected.mime, size=detected.size, uploaded_by=actor
    )
    with transaction.atomic():
        document.file.save(file.name, file, save=False)
        attribute_change(document, actor=actor, action=AdvisoryAction.CASE_DOCUMENT_ADDED)
        document.save()
    return document


# --- The action plan ----------------------------------------------------------------------------

MEASURE_FIELDS = (
    "goal",
    "activities",
    "responsible",
    "starts_on",
    "ends_on",
    "status",
    "estimated_cost",
    "event",
    "funding_instrument",
)


def plan_ensure(case: Case) -> ActionPlan:
    """The case's plan, made empty on the first write that needs one (the goal, a measure, a
    comment: each checks its own permission first). Never call it from a read: a page that
    shows the plan asks `selectors.case_plan` and offers `plan_create` when there is none."""
    plan = ActionPlan.objects.filter(case=case).first()
    if plan is None:
        with transaction.atomic():
            plan, _created = ActionPlan.objects.get_or_create(case=case)
    return plan


def plan_create(*, case: Case, actor) -> ActionPlan:
    """Start the case's (empty) action plan, by staff or an editor of the plan's municipalities;
    a second call returns the plan there is."""
    _guard(permissions.can_edit_plan(actor, case))
    try:
        with transaction.atomic():
            # The case's row is what two clicks at once both lock: the plan's row is not there.
            Case.objects.select_for_update().filter(pk=case.pk).first()
            plan = ActionPlan.objects.filter(case=case).first()
            if plan is None:
                plan = ActionPlan(case=case)
                attribute_change(plan, actor=actor, action=AdvisoryAction.PLAN_CREATED)
                plan.save()
    except IntegrityError:  # the other click made it first (SQLite locks no rows)
        plan = ActionPlan.objects.get(case=case)
    return plan


def plan_update(*, case: Case, actor, goal: str, expected_version: int | None) -> ActionPlan:
    _guard(permissions.can_edit_plan(actor, case))
    plan = plan_ensure(case)
    with transaction.atomic():
        locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
        version_claim(locked, expected_version=expected_version)
        locked.goal = goal
        attribute_change(locked, actor=actor, action=AdvisoryAction.PLAN_CHANGED)
        locked.save()
    return locked


def _measure_check(values: dict) -> None:
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if starts and ends and ends < starts:
        raise ValidationError({"ends_on": _("The end lies before the start.")})
    cost = values.get("estimated_cost")
    if cost is not None and Decimal(cost) < 0:
        raise ValidationError({"estimated_cost": _("The cost cannot be negative.")})
    if values.get("responsible") not in (None, *ResponsibleSide.values):
        raise ValidationError({"responsible": _("Unknown side.")})
    if values.get("status") not in (None, *MeasureStatus.values):
        raise ValidationError({"status": _("Unknown status.")})


def measure_create(*, case: Case, actor, themes: Iterable = (), **values) -> Measure:
    """A new measure of the case's plan, by staff or an editor of the plan's municipalities."""
    _guard(permissions.can_edit_plan(actor, case))
    unknown = set(values) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"measure_create: unknown fields {sorted(unknown)}")
    _measure_check(values)
    plan = plan_ensure(case)
    with transaction.atomic():
        measure = Measure(plan=plan, **values)
        attribute_change(measure, actor=actor, action=AdvisoryAction.MEASURE_CREATED)
        measure.save()
        measure.themes.set(list(themes))
    return measure


def measure_update(
    *,
    measure: Measure,
    actor,
    expected_version: int | None,
    themes: Iterable | None = None,
    **values,
) -> Measure:
    """Change a measure; a form read before someone else's save is refused (EditConflict)."""
    case = measure.plan.case
    _guard(permissions.can_edit_plan(actor, case))
    unknown = set(values) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"measure_update: unknown fields {sorted(unknown)}")
    with transaction.atomic():
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        version_claim(locked, expected_version=expected_version)
        for name, value in values.items():
            setattr(locked, name, value)
        _measure_check({f: getattr(locked, f) for f in MEASURE_FIELDS})
        attribute_change(locked, actor=actor, action=AdvisoryAction.MEASURE_UPDATED)
        locked.save()
        if themes is not None:
            locked.themes.set(list(themes))
    return locked


def measure_delete(*, measure: Measure, actor, expected_version: int | None) -> None:
    case = measure.plan.case
    _guard(permissions.can_edit_plan(actor, case))
    with transaction.atomic():
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        version_claim(locked, expected_version=expected_version)
        attribute_change(locked, actor=actor, action=AdvisoryAction.MEASURE_DELETED)
        locked.delete()


def plan_readers(case: Case):
    """The people a comment on the plan is for: the advisor (or, without one, the advisory
    staff) and the active editors of the plan's municipalities."""
    User = get_user_model()
    ids = case.plan_municipality_ids()
    editors = User.objects.filter(
        memberships__municipality_id__in=ids, memberships__status="active", is_active=True
    ).distinct()
    staff = [case.advisor] if case.advisor_id else list(advisory_staff())
    return [*staff, *editors]


def plan_comment_add(
    *, case: Case, actor, text: str, measure: Measure | None = None
) -> PlanComment:
    """A comment on the plan (or one of its measures), seen by everyone who sees the plan."""
    _guard(permissions.can_comment_plan(actor, case))
    text = text.strip()
    if not text:
        raise ValidationError(_("Please write a comment."))
    plan = plan_ensure(case)
    if measure is not None and measure.plan_id != plan.pk:
        raise ValidationError(_("This measure belongs to another plan."))
    with transaction.atomic():
        comment = PlanComment.objects.create(plan=plan, measure=measure, author=actor, text=text)
        notify(
            event=NotificationEvent.ADVISORY_PLAN_COMMENTED,
            recipients=plan_readers(case),
            actor=actor,
            target=case,
            context={"url": plan_url(case)},
        )
    return comment


# --- Personal data ------------------------------------------------------------------------------


def case_anonymise(*, case: Case, actor=None) -> Case:
    """Remove the requester's personal data from a case, its log, its documents and their
    history; what the statistics count (state, dates, programme, country, topics, the plan)
    stays. Used on erasure of the account and by the retention job."""
    placeholder = f"anonymised-{case.pk}@anonymised.invalid"
    gone = _("(removed: personal data)")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        locked.requester_name = ANONYMISED_NAME
        locked.requester_email = placeholder
        locked.requester_phone = ""
        locked.requester_user = None
        locked.need = gone
        locked.anonymised_at = timezone.now()
        attribute_change(locked, actor=actor, action=AdvisoryAction.CASE_ANONYMISED)
        locked.save()
        locked.history.update(
            requester_name=ANONYMISED_NAME,
            requester_email=placeholder,
            requester_phone="",
            requester_user=None,
            need=gone,
        )
        notes = CaseNote.objects.filter(case=locked)
        CaseNote.history.filter(id__in=notes.values("pk")).update(participants="", text=gone)
        notes.update(participants="", text=gone)
        for document in CaseDocument.objects.filter(case=locked):
            document.file.delete(save=False)
            document.delete()
    case.refresh_from_db()
    return case
