"""The review workflow of an application through `application_transition`: the table's states,
who may, the step's requirements, one audit entry per step, the applicant told of the
decision."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partnerportal.funding.models import (
    Application,
    ApplicationState,
    CostPlan,
    InvolvementKind,
)
from partnerportal.funding.review import assessment_save
from partnerportal.funding.workflows import (
    TRANSITIONS,
    TransitionRefused,
    application_transition,
    available_actions,
)
from partnerportal.notifications.models import Activity

from .factories_review import SubmittedApplicationFactory, applicant_editor, staff

pytestmark = pytest.mark.django_db


def actions(application, user) -> list[str]:
    return [t.action for t in available_actions(application, user)]


def test_table_covers_every_review_state():
    sources = set().union(*(t.sources for t in TRANSITIONS))
    assert {
        ApplicationState.SUBMITTED,
        ApplicationState.FORMAL_CHECK,
        ApplicationState.ASSESSMENT,
        ApplicationState.DECISION,
    } <= sources


def test_walk_from_submission_to_approval_with_audit_entries():
    application = SubmittedApplicationFactory()
    assessor, decider = staff(), staff()
    assert actions(application, assessor) == ["start_formal_check"]
    application_transition(obj=application, action="start_formal_check", actor=assessor)
    assert application.state == ApplicationState.FORMAL_CHECK
    application_transition(
        obj=application, action="pass_formal_check", actor=assessor, note="Vollständig."
    )
    assert application.state == ApplicationState.ASSESSMENT
    assert application.review.formal_check_by == assessor
    # No assessment yet: refused, nothing changes
    with pytest.raises(ValidationError):
        application_transition(obj=application, action="submit_assessment", actor=assessor)
    assert Application.objects.get(pk=application.pk).state == ApplicationState.ASSESSMENT
    assessment_save(
        application=application, actor=assessor, assessment="Plausibel.", recommendation="approve"
    )
    application_transition(obj=application, action="submit_assessment", actor=assessor)
    assert application.state == ApplicationState.DECISION
    # The draft is prefilled from the requested plan
    approved = application.cost_lines.filter(plan=CostPlan.APPROVED)
    assert [line.amount_eur for line in approved] == [
        line.amount_eur for line in application.cost_lines.filter(plan=CostPlan.REQUESTED)
    ]
    assert "approve" not in actions(application, assessor)
    assert actions(application, decider) == ["approve", "reject", "send_back"]
    application_transition(obj=application, action="approve", actor=decider)
    assert application.state == ApplicationState.APPROVED
    assert application.decision.decided_by == decider
    assert str(application.decision.approved_total) == "2240.00"
    reasons = list(
        application.history.order_by("history_date").values_list(
            "history_change_reason", "history_user"
        )
    )
    assert reasons[-4:] == [
        ("application.formal_check_started", assessor.pk),
        ("application.formal_check_passed", assessor.pk),
        ("application.assessment_submitted", assessor.pk),
        ("application.approved", decider.pk),
    ]
    kinds = set(application.involvements.values_list("user", "kind"))
    assert (assessor.pk, InvolvementKind.ASSESSED) in kinds
    assert (decider.pk, InvolvementKind.DECIDED) in kinds
    # The applicant's editors hear of it
    told = Activity.objects.filter(event="funding.decided")
    assert application.created_by.pk in set(told.values_list("recipient", flat=True))


def test_wrong_state_is_refused_and_names_it():
    application = SubmittedApplicationFactory()
    with pytest.raises(TransitionRefused) as refused:
        application_transition(obj=application, action="approve", actor=staff())
    assert "Submitted" in str(refused.value) or "Eingereicht" in str(refused.value)
    assert Application.objects.get(pk=application.pk).state == ApplicationState.SUBMITTED


def test_outsiders_and_applicants_cannot_review():
    application = SubmittedApplicationFactory()
    editor = applicant_editor(application)
    with pytest.raises(PermissionDenied):
        application_transition(obj=application, action="start_formal_check", actor=editor)
    assert actions(application, editor) == ["withdraw"]
    application_transition(obj=application, action="withdraw", actor=editor)
    assert application.state == ApplicationState.WITHDRAWN


def test_return_to_applicant_needs_a_reason():
    application = SubmittedApplicationFactory()
    reviewer = staff()
    application_transition(obj=application, action="start_formal_check", actor=reviewer)
    with pytest.raises(ValidationError):
        application_transition(obj=application, action="return_to_applicant", actor=reviewer)
    application_transition(
        obj=application, action="return_to_applicant", actor=reviewer, note="Kostenplan fehlt."
    )
    assert application.state == ApplicationState.DRAFT


def test_reject_with_reasons_freezes_letter():
    application = SubmittedApplicationFactory()
    reviewer, decider = staff(), staff()
    application_transition(obj=application, action="start_formal_check", actor=reviewer)
    application_transition(
        obj=application, action="reject", actor=decider, note="Nicht förderfähig."
    )
    assert application.state == ApplicationState.REJECTED
    assert "Nicht förderfähig." in application.decision.letter_body
