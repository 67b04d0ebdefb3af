"""The four-eyes rules hold in the service layer, so the pages and the API refuse alike: every
forbidden combination is tried through the service, through the page (POST) and through the API
(`POST /api/v1/funding/.../actions` with an API token), and afterwards nothing has changed
(state, version, audit trail, payment)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse

from partnerportal.accounts import services as account_services
from partnerportal.funding.changes import change_request_create, change_transition
from partnerportal.funding.decisions import decision_draft_save
from partnerportal.funding.models import (
    Application,
    ApplicationState,
    ChangeRequest,
    PaymentRequest,
    PaymentState,
)
from partnerportal.funding.payments import payment_request_create, payment_transition
from partnerportal.funding.review import assessment_save
from partnerportal.funding.workflows import (
    FourEyesRefused,
    application_transition,
    available_actions,
)

from .factories_review import (
    SubmittedApplicationFactory,
    applicant_editor,
    approved_application,
    staff,
)

pytestmark = pytest.mark.django_db


@dataclass
class Forbidden:
    obj: object
    action: str
    actor: object


def _in_decision(*, author=None):
    assessor = staff()
    kwargs = {"created_by": author} if author else {}
    application = SubmittedApplicationFactory(**kwargs)
    application_transition(obj=application, action="start_formal_check", actor=assessor)
    application_transition(obj=application, action="pass_formal_check", actor=assessor)
    assessment_save(
        application=application, actor=assessor, assessment="Gut.", recommendation="approve"
    )
    application_transition(obj=application, action="submit_assessment", actor=assessor)
    return application, assessor


def assessor_approves():
    application, assessor = _in_decision()
    return Forbidden(application, "approve", assessor)


def assessor_rejects():
    application, assessor = _in_decision()
    return Forbidden(application, "reject", assessor)


def draft_editor_approves():
    application, _assessor = _in_decision()
    editor = staff()
    decision_draft_save(
        application=application,
        actor=editor,
        lines=[{"kind": "flight", "description": "Flüge", "amount_eur": "1000.00"}],
        conditions="Belege im Original.",
    )
    return Forbidden(application, "approve", editor)


def draft_editor_rejects():
    forbidden = draft_editor_approves()
    return Forbidden(forbidden.obj, "reject", forbidden.actor)


def author_approves():
    author = staff()
    application, _assessor = _in_decision(author=author)
    return Forbidden(application, "approve", author)


def _payment(requester=None) -> PaymentRequest:
    application = approved_application()
    requester = requester or staff()
    return payment_request_create(application=application, actor=requester, amount="500.00")


def requester_first_approves():
    payment = _payment()
    return Forbidden(payment, "first_approve", payment.requested_by)


def requester_releases():
    payment = _payment()
    payment_transition(obj=payment, action="first_approve", actor=staff())
    return Forbidden(payment, "release", payment.requested_by)


def first_approver_releases():
    payment = _payment()
    first = staff()
    payment_transition(obj=payment, action="first_approve", actor=first)
    return Forbidden(payment, "release", first)


SCENARIOS = {
    "assessor approves": assessor_approves,
    "assessor rejects": assessor_rejects,
    "writer of the decision draft approves": draft_editor_approves,
    "writer of the decision draft rejects": draft_editor_rejects,
    "author of the application approves": author_approves,
    "requester gives the first approval": requester_first_approves,
    "requester releases": requester_releases,
    "first approver releases": first_approver_releases,
}


def _snapshot(obj) -> tuple:
    obj = type(obj).objects.get(pk=obj.pk)
    history = obj.history.count()
    extra = ()
    if isinstance(obj, Application):
        decision = getattr(obj, "decision", None)
        extra = (
            decision.outcome if decision else None,
            decision.decided_by_id if decision else None,
        )
    else:
        extra = (obj.first_approved_by_id, obj.released_by_id, obj.released_at)
    return (obj.state, obj.version, history, *extra)


def _via_service(forbidden: Forbidden) -> None:
    service = (
        application_transition if isinstance(forbidden.obj, Application) else payment_transition
    )
    with pytest.raises(FourEyesRefused):
        service(obj=forbidden.obj, action=forbidden.action, actor=forbidden.actor)


def _via_view(forbidden: Forbidden, client) -> None:
    client.force_login(forbidden.actor)
    obj = type(forbidden.obj).objects.get(pk=forbidden.obj.pk)
    name = "funding:review_action" if isinstance(obj, Application) else "funding:payment_action"
    response = client.post(
        reverse(name, kwargs={"pk": obj.pk}),
        {"action": forbidden.action, "version": obj.version, "note": "Begründung"},
        follow=True,
    )
    assert response.status_code == 200
    from django.utils.html import escape

    from partnerportal.funding.workflows import guard_reason

    reason = guard_reason(obj, forbidden.action, forbidden.actor)
    assert reason and escape(reason) in response.content.decode()


def _via_api(forbidden: Forbidden, client) -> None:
    secret = account_services.api_token_create(
        actor=forbidden.actor, user=forbidden.actor, name="Integration"
    )[1]
    obj = type(forbidden.obj).objects.get(pk=forbidden.obj.pk)
    kind = "applications" if isinstance(obj, Application) else "payments"
    response = client.post(
        f"/api/v1/funding/{kind}/{obj.pk}/actions",
        {"action": forbidden.action, "version": obj.version, "note": "Begründung"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "four_eyes"


@pytest.mark.parametrize("channel", ["service", "view", "api"])
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_forbidden_combination_changes_nothing(scenario, channel, client):
    forbidden = SCENARIOS[scenario]()
    assert forbidden.action not in [
        t.action for t in available_actions(forbidden.obj, forbidden.actor)
    ], "the page must not offer the forbidden button"
    before = _snapshot(forbidden.obj)
    if channel == "service":
        _via_service(forbidden)
    elif channel == "view":
        _via_view(forbidden, client)
    else:
        _via_api(forbidden, client)
    assert _snapshot(forbidden.obj) == before


def test_someone_else_may_then_decide_and_release(client):
    """The rules refuse the wrong person only: a third person approves, two others release."""
    forbidden = draft_editor_approves()
    decider = staff()
    application_transition(obj=forbidden.obj, action="approve", actor=decider)
    assert forbidden.obj.state == ApplicationState.APPROVED
    assert forbidden.obj.decision.approved_total == Decimal("1000.00")
    payment = payment_request_create(
        application=forbidden.obj, actor=applicant_editor(forbidden.obj), amount="400"
    )
    payment_transition(obj=payment, action="first_approve", actor=forbidden.actor)
    payment_transition(obj=payment, action="release", actor=decider)
    assert payment.state == PaymentState.RELEASED
    assert {payment.requested_by_id, payment.first_approved_by_id, payment.released_by_id} == {
        payment.requested_by_id,
        forbidden.actor.pk,
        decider.pk,
    } and len({payment.requested_by_id, forbidden.actor.pk, decider.pk}) == 3


def test_api_step_by_an_allowed_person_works(client):
    application, _assessor = _in_decision()
    decider = staff()
    secret = account_services.api_token_create(actor=decider, user=decider, name="Integration")[1]
    response = client.post(
        f"/api/v1/funding/applications/{application.pk}/actions",
        {"action": "approve", "version": application.version},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "approved"
    # A step in the wrong state is a 409 that names it
    again = client.post(
        f"/api/v1/funding/applications/{application.pk}/actions",
        {"action": "approve"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert again.status_code == 409 and again.json()["code"] == "wrong_state"


def test_change_request_needs_two_staff_other_than_the_requester():
    application = approved_application()
    editor = applicant_editor(application)
    change = change_request_create(
        application=application,
        actor=editor,
        reason="Reise verschoben",
        starts_on=application.starts_on,
        ends_on=application.ends_on,
    )
    first, second = staff(), staff()
    change_transition(obj=change, action="first_approve", actor=first)
    with pytest.raises(FourEyesRefused):
        change_transition(obj=change, action="accept", actor=first)
    assert ChangeRequest.objects.get(pk=change.pk).state == "first_approval"
    change_transition(obj=change, action="accept", actor=second)
    assert change.state == "accepted"
