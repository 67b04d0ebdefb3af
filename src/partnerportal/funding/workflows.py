"""The funding workflows as data: an application's review (formal check, assessment, decision),
payment requests and change requests, each one table of transitions (core.workflows.Transition)
read by one service (`application_transition` here, `payments.payment_transition`,
`changes.change_transition`) and by the pages and the API that draw the buttons
(`available_actions`). Nothing else changes those states.

The four-eyes rules are guards beside the tables (`GUARDS`): a transition whose guard names a
reason is refused with it, in the service, so pages and API refuse alike, and the button is not
drawn. The rules:
- the person who assessed an application, changed it (its cost plan or the decision draft) or
  wrote it never approves or rejects it;
- a payment (and a change of the approved plan) needs a first approval and a release by two
  different people, neither of them the one who requested it;
- whoever prepared the final report's figures (saved, uploaded receipts for or submitted the
  report, or edits for the applicant municipality) never accepts or returns it; accepting it
  closes the application through the application's own table ("close")."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerportal.audit.services import attribute_change
from partnerportal.core import workflows as core_workflows
from partnerportal.core.concurrency import version_claim

from .actions import FundingAction
from .decisions import decision_draft_ensure, decision_finalise
from .models import (
    Application,
    ApplicationState,
    ChangeRequest,
    ChangeState,
    DecisionOutcome,
    FinalReport,
    InvolvementKind,
    PaymentRequest,
    PaymentState,
    ReportState,
)
from .permissions import can_act_for_applicant, can_review_applications, is_applicant_editor
from .review import decision_barred_reason, involvement_add, review_ensure

Transition = core_workflows.Transition
TransitionRefused = core_workflows.TransitionRefused
S = ApplicationState
P = PaymentState
C = ChangeState
R = ReportState


class FourEyesRefused(PermissionDenied):
    """The person may do this kind of step, but not on this object: they already took part."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _staff(user, obj) -> bool:
    return can_review_applications(user)


def _applicant(user, obj) -> bool:
    application = obj.application if not isinstance(obj, Application) else obj
    return can_act_for_applicant(user, application)


OPEN_REVIEW = frozenset({S.SUBMITTED, S.FORMAL_CHECK, S.ASSESSMENT, S.DECISION})
#: The applicant may withdraw until the decision: a draft, or while it is under review.
WITHDRAWABLE = OPEN_REVIEW | {S.DRAFT}

TRANSITIONS: tuple[Transition, ...] = (
    Transition("start_formal_check", frozenset({S.SUBMITTED}), S.FORMAL_CHECK,
               gettext_lazy("Start the formal check"), _staff),
    Transition("pass_formal_check", frozenset({S.FORMAL_CHECK}), S.ASSESSMENT,
               gettext_lazy("Formal check passed"), _staff),
    Transition("return_to_applicant", frozenset({S.FORMAL_CHECK}), S.DRAFT,
               gettext_lazy("Return to the applicant for completion"), _staff),
    Transition("submit_assessment", frozenset({S.ASSESSMENT}), S.DECISION,
               gettext_lazy("Submit the assessment for decision"), _staff),
    Transition("approve", frozenset({S.DECISION}), S.APPROVED, gettext_lazy("Approve"), _staff),
    Transition("reject", frozenset({S.FORMAL_CHECK, S.DECISION}), S.REJECTED,
               gettext_lazy("Reject"), _staff),
    Transition("send_back", frozenset({S.DECISION}), S.ASSESSMENT,
               gettext_lazy("Send back to assessment"), _staff),
    Transition("withdraw", WITHDRAWABLE, S.WITHDRAWN, gettext_lazy("Withdraw the application"),
               _applicant),
    # Taken by accepting the final report (reports.final_report_transition), never on its own:
    # application_transition refuses it while the report is not accepted.
    Transition("close", frozenset({S.APPROVED}), S.CLOSED,
               gettext_lazy("Close (final report accepted)"), _staff),
)  # fmt: skip

#: Steps of the application taken through another object's page (not drawn as its buttons).
DRIVEN_ELSEWHERE = frozenset({"close"})

PAYMENT_TRANSITIONS: tuple[Transition, ...] = (
    Transition("first_approve", frozenset({P.REQUESTED}), P.FIRST_APPROVAL,
               gettext_lazy("Give the first approval"), _staff),
    Transition("release", frozenset({P.FIRST_APPROVAL}), P.RELEASED,
               gettext_lazy("Release the payment"), _staff),
    Transition("reject", frozenset({P.REQUESTED, P.FIRST_APPROVAL}), P.REJECTED,
               gettext_lazy("Reject the payment"), _staff),
)  # fmt: skip

CHANGE_TRANSITIONS: tuple[Transition, ...] = (
    Transition("first_approve", frozenset({C.REQUESTED}), C.FIRST_APPROVAL,
               gettext_lazy("Give the first approval"), _staff),
    Transition("accept", frozenset({C.FIRST_APPROVAL}), C.ACCEPTED,
               gettext_lazy("Accept the change"), _staff),
    Transition("reject", frozenset({C.REQUESTED, C.FIRST_APPROVAL}), C.REJECTED,
               gettext_lazy("Reject the change"), _staff),
)  # fmt: skip

REPORT_TRANSITIONS: tuple[Transition, ...] = (
    Transition("accept", frozenset({R.SUBMITTED}), R.ACCEPTED,
               gettext_lazy("Accept the final report"), _staff),
    Transition("send_back", frozenset({R.SUBMITTED}), R.SENT_BACK,
               gettext_lazy("Send the final report back"), _staff),
)  # fmt: skip


# --- Four-eyes guards: (user, obj) -> the reason for a refusal, or "" ---------------------------


def _decider_guard(user, application: Application) -> str:
    return decision_barred_reason(application, user)


def _second_person_guard(user, obj: PaymentRequest | ChangeRequest) -> str:
    """First approval: not the requester, nor anyone who edits for the applicant municipality
    (they are the requesting side, whoever of them pressed the button)."""
    if obj.requested_by_id == user.pk:
        return _("You requested this yourself; two other people must approve it (four eyes).")
    if is_applicant_editor(user, obj.application):
        return _(
            "You edit for the applicant municipality; two people outside it must approve this "
            "(four eyes)."
        )
    return ""


def _third_person_guard(user, obj: PaymentRequest | ChangeRequest) -> str:
    """Release: neither the requester nor the first approver."""
    reason = _second_person_guard(user, obj)
    if reason:
        return reason
    if obj.first_approved_by_id == user.pk:
        return _("You gave the first approval; a second person must release it (four eyes).")
    return ""


def report_preparers(report: FinalReport) -> set[int]:
    """The ids of everyone who prepared the report's figures: who saved it, uploaded a receipt
    for it or submitted it (its audit trail and its own fields)."""
    from .actions import FundingAction as A

    preparers = set(
        report.history.filter(
            history_change_reason__in=[A.REPORT_SAVED, A.RECEIPT_UPLOADED, A.REPORT_SUBMITTED],
            history_user__isnull=False,
        ).values_list("history_user_id", flat=True)
    )
    preparers.update(
        report.receipts.filter(uploaded_by__isnull=False).values_list("uploaded_by_id", flat=True)
    )
    if report.submitted_by_id:
        preparers.add(report.submitted_by_id)
    return preparers


def report_barred_reason(report: FinalReport | None, user) -> str:
    """Why `user` may not accept or return the final report ('' if they may): four eyes."""
    if report is None:
        return ""
    if is_applicant_editor(user, report.application):
        return _(
            "You edit for the applicant municipality; someone outside it must review its final "
            "report (four eyes)."
        )
    if user.pk in report_preparers(report):
        return _(
            "You prepared the figures of this final report; someone else must review it "
            "(four eyes)."
        )
    return ""


def _report_guard(user, report: FinalReport) -> str:
    return report_barred_reason(report, user)


def _close_guard(user, application: Application) -> str:
    return report_barred_reason(FinalReport.objects.filter(application=application).first(), user)


GUARDS: dict[tuple[type, str], Callable[[object, object], str]] = {
    (Application, "approve"): _decider_guard,
    (Application, "reject"): _decider_guard,
    (Application, "close"): _close_guard,
    (FinalReport, "accept"): _report_guard,
    (FinalReport, "send_back"): _report_guard,
    (PaymentRequest, "first_approve"): _second_person_guard,
    (PaymentRequest, "release"): _third_person_guard,
    (ChangeRequest, "first_approve"): _second_person_guard,
    (ChangeRequest, "accept"): _third_person_guard,
}


def table_for(obj) -> tuple[Transition, ...]:
    if isinstance(obj, PaymentRequest):
        return PAYMENT_TRANSITIONS
    if isinstance(obj, ChangeRequest):
        return CHANGE_TRANSITIONS
    if isinstance(obj, FinalReport):
        return REPORT_TRANSITIONS
    return TRANSITIONS


def guard_reason(obj, action: str, user) -> str:
    guard = GUARDS.get((type(obj), action))
    return guard(user, obj) if guard is not None else ""


def transition_guarded(obj, *, action: str, actor) -> Transition:
    """The row for `action` if `actor` may take it on `obj` now: the table (who, which state),
    then the four-eyes guard."""
    transition = core_workflows.transition_check(
        table_for(obj),
        action=action,
        obj=obj,
        actor=actor,
        state=obj.state,
        state_label=obj.get_state_display(),
    )
    reason = guard_reason(obj, action, actor)
    if reason:
        raise FourEyesRefused(reason)
    return transition


def available_actions(obj, user) -> list[Transition]:
    """The transitions `user` may perform on `obj` now, four-eyes rules included, for the
    buttons of a page and the API's `actions`."""
    return [
        transition
        for transition in core_workflows.actions_available(
            table_for(obj), obj=obj, user=user, state=obj.state
        )
        if not (isinstance(obj, Application) and transition.action in DRIVEN_ELSEWHERE)
        and not guard_reason(obj, transition.action, user)
    ]


ACTION_CODES = {
    "start_formal_check": FundingAction.FORMAL_CHECK_STARTED,
    "pass_formal_check": FundingAction.FORMAL_CHECK_PASSED,
    "return_to_applicant": FundingAction.RETURNED,
    "submit_assessment": FundingAction.ASSESSMENT_SUBMITTED,
    "approve": FundingAction.APPROVED,
    "reject": FundingAction.REJECTED,
    "send_back": FundingAction.SENT_BACK_TO_ASSESSMENT,
    "withdraw": FundingAction.WITHDRAWN,
    "close": FundingAction.CLOSED,
}


def application_transition(
    *,
    obj: Application,
    action: str,
    actor,
    note: str = "",
    expected_version: int | None = None,
) -> Application:
    """Perform `action` on the application: the table, the four-eyes guard, the step's own
    requirements (a written assessment, a decision draft), then the state, one audit entry
    naming the action, and the applicant told of a decision. `note`: the notes of the formal
    check, the reason for returning it, or the reasons of a rejection."""
    transition = core_workflows.transition_permitted(
        TRANSITIONS, action=action, obj=obj, actor=actor
    )
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=obj.pk)
        transition = transition_guarded(application, action=action, actor=actor)
        note = note.strip()
        if action == "pass_formal_check":
            review = review_ensure(application)
            review.formal_check_by = actor
            review.formal_check_at = timezone.now()
            review.formal_check_notes = note
            attribute_change(review, actor=actor, action=FundingAction.FORMAL_CHECK_PASSED)
            review.save()
            involvement_add(application=application, user=actor, kind=InvolvementKind.FORMAL_CHECK)
        elif action == "return_to_applicant" and not note:
            raise ValidationError({"note": _("Please say what the applicant must complete.")})
        elif action == "submit_assessment":
            review = review_ensure(application)
            if not review.assessment or not review.recommendation:
                raise ValidationError(
                    _("Please write and save the assessment first."), code="no_assessment"
                )
            decision_draft_ensure(application)
        elif action in ("approve", "reject"):
            decision = decision_draft_ensure(application)
            if action == "reject" and note:
                decision.reasons = note
            if action == "approve" and decision.approved_total <= 0:
                raise ValidationError(
                    _("The approved cost plan is empty."), code="empty_approved_plan"
                )
            outcome = DecisionOutcome.APPROVED if action == "approve" else DecisionOutcome.REJECTED
            decision_finalise(decision=decision, actor=actor, outcome=outcome)
        elif action == "close":
            report = FinalReport.objects.filter(application=application).first()
            if report is None or report.state != ReportState.ACCEPTED:
                raise ValidationError(
                    _("An application is closed by accepting its final report."),
                    code="report_not_accepted",
                )
        was_submitted = application.submitted_at is not None
        version_claim(application, expected_version=expected_version)
        application.state = transition.target
        attribute_change(application, actor=actor, action=ACTION_CODES[action])
        application.save()
        if action in ("approve", "reject", "return_to_applicant"):
            _applicant_told(application, actor=actor, action=action, note=note)
        elif action == "withdraw" and was_submitted:
            _staff_told_of_withdrawal(application, actor=actor)
    obj.refresh_from_db()
    return application


def _applicant_told(application: Application, *, actor, action: str, note: str) -> None:
    from partnerportal.notifications.events import Event
    from partnerportal.notifications.services import notify

    from .selectors import applicant_people, application_url

    notify(
        event=Event.FUNDING_DECIDED,
        recipients=applicant_people(application),
        actor=actor,
        target=application,
        context={
            "action": action,
            "state": str(application.get_state_display()),
            "note": note,
            "url": application_url(application, "funding:decision"),
        },
    )


def _staff_told_of_withdrawal(application: Application, *, actor) -> None:
    """The staff who heard of the submission hear of the withdrawal (the same event, so the same
    people and the same settings; its e-mail says what happened)."""
    from partnerportal.notifications.events import Event
    from partnerportal.notifications.services import notify

    from .applications import staff_recipients
    from .selectors import application_url

    notify(
        event=Event.FUNDING_APPLICATION_SUBMITTED,
        recipients=staff_recipients(),
        actor=actor,
        target=application,
        context={
            "withdrawn": True,
            "reference": application.reference or "",
            "instrument": application.instrument.name,
            "applicant": str(application.applicant),
            "title": application.title,
            "url": application_url(application, "funding:review_detail"),
        },
    )
