"""Change requests through the API: list per application, create (the applicant's editors),
decide (staff, four eyes), with the pages' rules and the funding API's 403/404/409/422."""

import pytest
from django.test import Client

from partnerportal.accounts import services as account_services
from partnerportal.funding.models import ChangeRequest, ChangeState

from .factories_review import SubmittedApplicationFactory, approved_application, staff

pytestmark = pytest.mark.django_db


def _token(user) -> str:
    return account_services.api_token_create(actor=user, user=user, name="Integration")[1]


def _call(method, url, secret, body=None):
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    if body is not None:
        kwargs |= {"data": body, "content_type": "application/json"}
    return getattr(Client(), method)(url, **kwargs)


def test_create_list_and_decide_under_four_eyes():
    application = approved_application()
    applicant = staff(municipality=application.applicant)  # staff who also edits for it
    base = f"/api/v1/funding/applications/{application.pk}/change-requests"
    created = _call("post", base, _token(applicant), {
        "reason": "Reise verschoben", "starts_on": "2026-04-01", "ends_on": "2026-04-05",
        "lines": [{"kind": "flight", "description": "Flüge", "amount_eur": "1500.00"}],
    })  # fmt: skip
    assert created.status_code == 201, created.content
    change = ChangeRequest.objects.get()
    assert (
        created.json()["id"] == change.pk and created.json()["lines"][0]["amount_eur"] == "1500.00"
    )
    assert change.requested_by == applicant

    first, second = staff(), staff()
    listed = _call("get", base, _token(first))
    assert listed.status_code == 200
    assert listed.json()[0]["actions"] == ["first_approve", "reject"]
    act = f"/api/v1/funding/change-requests/{change.pk}/actions"
    # the requester is refused (four eyes), nothing changes
    own = _call("post", act, _token(applicant), {"action": "first_approve"})
    assert own.status_code == 403 and own.json()["code"] == "four_eyes"
    ok = _call("post", act, _token(first), {"action": "first_approve", "version": change.version})
    assert ok.status_code == 200 and ok.json()["state"] == "first_approval"
    again = _call("post", act, _token(first), {"action": "accept"})
    assert again.status_code == 403 and again.json()["code"] == "four_eyes"
    stale = _call("post", act, _token(second), {"action": "accept", "version": change.version})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    change.refresh_from_db()
    done = _call("post", act, _token(second), {"action": "accept", "version": change.version})
    assert done.status_code == 200 and done.json()["state"] == "accepted"
    application.refresh_from_db()
    assert str(application.starts_on) == "2026-04-01"
    assert str(application.decision.approved_total) == "1500.00"
    wrong = _call("post", act, _token(staff()), {"action": "reject"})
    assert wrong.status_code == 409 and wrong.json()["code"] == "wrong_state"


def test_who_may_not_ask_or_see():
    application = approved_application()
    base = f"/api/v1/funding/applications/{application.pk}/change-requests"
    body = {"reason": "Später", "starts_on": "2026-05-01"}
    # staff see it but may not ask for the applicant
    refused = _call("post", base, _token(staff()), body)
    assert refused.status_code == 403 and refused.json()["code"] == "not_permitted"
    # a draft is the municipality's own: staff outside it do not learn that it exists
    draft = SubmittedApplicationFactory(state="draft")
    hidden = f"/api/v1/funding/applications/{draft.pk}/change-requests"
    assert _call("get", hidden, _token(staff())).status_code == 404
    assert _call("post", hidden, _token(staff()), body).status_code == 404
    assert not ChangeRequest.objects.exists()
    assert _call("get", base, "nonsense").status_code == 401


def test_bad_input_and_wrong_state_are_422():
    application = approved_application()
    applicant = staff(municipality=application.applicant)
    base = f"/api/v1/funding/applications/{application.pk}/change-requests"
    empty = _call("post", base, _token(applicant), {"reason": "Nichts"})
    assert empty.status_code == 422
    backwards = _call("post", base, _token(applicant), {
        "reason": "x", "starts_on": "2026-05-05", "ends_on": "2026-05-01"})  # fmt: skip
    assert backwards.status_code == 422
    bad_date = _call("post", base, _token(applicant), {"reason": "x", "starts_on": "morgen"})
    assert bad_date.status_code == 422
    submitted = SubmittedApplicationFactory()
    editor = staff(municipality=submitted.applicant)
    not_approved = _call(
        "post", f"/api/v1/funding/applications/{submitted.pk}/change-requests", _token(editor),
        {"reason": "x", "starts_on": "2026-05-01"},
    )  # fmt: skip
    assert not_approved.status_code == 422
    assert not ChangeRequest.objects.exists()
    assert ChangeState.REQUESTED == "requested"


def test_documented_in_openapi():
    schema = Client().get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert "post" in paths["/api/v1/funding/applications/{application_id}/change-requests"]
    assert "get" in paths["/api/v1/funding/applications/{application_id}/change-requests"]
    operation = paths["/api/v1/funding/change-requests/{change_id}/actions"]["post"]
    assert {"200", "403", "409", "422"} <= set(operation["responses"])
