"""Change requests: after approval the applicant asks to change the approved cost plan or the
dates of the measure. Staff decide under four eyes (first approval and acceptance by two
different people, neither the requester: funding/workflows.py); accepting replaces the approved
plan and the dates, and the approved total follows."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerportal.audit.services import attribute_change
from partnerportal.core import workflows as core_workflows
from partnerportal.core.concurrency import version_claim

from .actions import FundingAction
from .decisions import approved_plan_replace, approved_total_check, plan_lines_clean
from .models import Application, ApplicationState, ChangeRequest
from .payments import committed_total
from .permissions import can_act_for_applicant
from .workflows import CHANGE_TRANSITIONS, transition_guarded


def change_request_create(
    *,
    application: Application,
    actor,
    reason: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
    lines: list[dict] | None = None,
) -> ChangeRequest:
    """The applicant's editors ask for a change of an approved application."""
    if not can_act_for_applicant(actor, application):
        raise PermissionDenied
    if application.state != ApplicationState.APPROVED:
        raise ValidationError(
            _("Changes can be requested only for an approved application."), code="not_approved"
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason.")})
    cleaned = plan_lines_clean(lines or [])
    if not cleaned and starts_on is None and ends_on is None:
        raise ValidationError(_("Please propose new dates or a new cost plan."), code="empty")
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end lies before the start.")})
    if cleaned:
        approved_total_check(application, sum((line.amount_eur for line in cleaned), start=0))
    change = ChangeRequest(
        application=application,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
        lines=[
            {"kind": line.kind, "description": line.description, "amount_eur": str(line.amount_eur)}
            for line in cleaned
        ],
        requested_by=actor,
    )
    with transaction.atomic():
        attribute_change(change, actor=actor, action=FundingAction.CHANGE_REQUESTED)
        change.save()
    return change


ACTION_CODES = {
    "first_approve": FundingAction.CHANGE_FIRST_APPROVED,
    "accept": FundingAction.CHANGE_ACCEPTED,
    "reject": FundingAction.CHANGE_REJECTED,
}


def change_transition(
    *, obj: ChangeRequest, action: str, actor, expected_version: int | None = None
) -> ChangeRequest:
    core_workflows.transition_permitted(CHANGE_TRANSITIONS, action=action, obj=obj, actor=actor)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=obj.application_id)
        change = ChangeRequest.objects.select_for_update().get(pk=obj.pk)
        transition = transition_guarded(change, action=action, actor=actor)
        now = timezone.now()
        if action == "first_approve":
            change.first_approved_by = actor
        elif action == "accept":
            _apply(change, application, actor=actor)
            change.decided_by, change.decided_at = actor, now
        else:
            change.decided_by, change.decided_at = actor, now
        version_claim(change, expected_version=expected_version)
        change.state = transition.target
        attribute_change(change, actor=actor, action=ACTION_CODES[action])
        change.save()
    obj.refresh_from_db()
    return change


def _apply(change: ChangeRequest, application: Application, *, actor) -> None:
    if change.lines:
        decision = application.decision
        lines = plan_lines_clean(change.lines)
        total = sum((line.amount_eur for line in lines), start=0)
        if total < committed_total(application):
            raise ValidationError(
                _("The new plan is below what is already paid or requested."), code="below_paid"
            )
        approved_total_check(application, total)
        decision.approved_total = approved_plan_replace(application, lines)
        attribute_change(decision, actor=actor, action=FundingAction.CHANGE_ACCEPTED)
        decision.save()
    if change.starts_on or change.ends_on:
        application.starts_on = change.starts_on or application.starts_on
        application.ends_on = change.ends_on or application.ends_on
        attribute_change(application, actor=actor, action=FundingAction.CHANGE_ACCEPTED)
        application.save()
