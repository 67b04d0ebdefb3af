"""Withdrawal by the applicant (a draft, or one under review until the decision) through the
application's table, by service, page and API; the final report's acceptance and return through
its own table with the four-eyes guard, closing the application through the application's."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerportal.accounts import services as account_services
from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.funding.decisions import approved_lines
from partnerportal.funding.models import Application, ApplicationState, ReportState
from partnerportal.funding.reports import (
    final_report_save,
    final_report_submit,
    final_report_transition,
    receipt_add,
)
from partnerportal.funding.workflows import (
    FourEyesRefused,
    application_transition,
    available_actions,
)
from partnerportal.notifications.models import Activity

from .factories_review import (
    SubmittedApplicationFactory,
    applicant_editor,
    approved_application,
    staff,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _manager():
    return UserFactory(is_superuser=True)


# --- Withdrawal -------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "submitted", "formal_check", "assessment", "decision"])
def test_the_applicant_withdraws_until_the_decision(state):
    application = SubmittedApplicationFactory(state=state)
    editor = applicant_editor(application)
    assert "withdraw" in [t.action for t in available_actions(application, editor)]
    application_transition(
        obj=application, action="withdraw", actor=editor, expected_version=application.version
    )
    assert application.state == ApplicationState.WITHDRAWN
    assert application.history.first().history_change_reason == "application.withdrawn"


@pytest.mark.parametrize("state", ["approved", "rejected", "closed", "withdrawn"])
def test_no_withdrawal_after_the_decision(state):
    application = SubmittedApplicationFactory(state=state)
    editor = applicant_editor(application)
    assert "withdraw" not in [t.action for t in available_actions(application, editor)]
    with pytest.raises(ValidationError):
        application_transition(obj=application, action="withdraw", actor=editor)
    application.refresh_from_db()
    assert application.state == state


def test_only_the_applicants_editors_withdraw():
    application = SubmittedApplicationFactory()
    for outsider in (staff(), UserFactory()):
        with pytest.raises(PermissionDenied):
            application_transition(obj=application, action="withdraw", actor=outsider)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_staff_hear_of_a_withdrawal_only_if_it_was_submitted():
    manager = _manager()
    submitted = SubmittedApplicationFactory()
    application_transition(obj=submitted, action="withdraw", actor=applicant_editor(submitted))
    told = Activity.objects.filter(recipient=manager, event="funding.application_submitted")
    assert told.count() == 1
    draft = SubmittedApplicationFactory(state="draft", submitted_at=None, reference=None)
    application_transition(obj=draft, action="withdraw", actor=applicant_editor(draft))
    assert told.count() == 1


def test_withdraw_page_asks_then_withdraws(client):
    application = SubmittedApplicationFactory()
    editor = applicant_editor(application)
    client.force_login(editor)
    detail = client.get(reverse("funding:application_detail", kwargs={"pk": application.pk}))
    url = reverse("funding:application_withdraw", kwargs={"pk": application.pk})
    assert url in detail.content.decode()
    assert client.get(url).status_code == 200
    stale = client.post(url, {"version": application.version - 1 or 99})
    assert stale.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    response = client.post(url, {"version": application.version})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    page = client.get(url)
    assert "can no longer be withdrawn" in page.content.decode() or page.status_code == 200


def test_withdraw_page_refuses_staff_and_hides_from_outsiders(client):
    application = SubmittedApplicationFactory()
    url = reverse("funding:application_withdraw", kwargs={"pk": application.pk})
    client.force_login(staff())
    assert client.post(url, {"version": application.version}).status_code == 403
    client.force_login(UserFactory())
    assert client.post(url, {"version": application.version}).status_code == 404
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_withdraw_through_the_api():
    from django.test import Client

    application = SubmittedApplicationFactory()
    # An agency member who also edits for the applicant municipality holds a token.
    both = staff(municipality=application.applicant)
    secret = account_services.api_token_create(actor=both, user=both, name="Integration")[1]
    only_staff = staff()
    other = account_services.api_token_create(actor=only_staff, user=only_staff, name="I")[1]
    url = f"/api/v1/funding/applications/{application.pk}/actions"
    client = Client()
    refused = client.post(
        url, {"action": "withdraw"}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {other}",
    )  # fmt: skip
    assert refused.status_code == 403 and refused.json()["code"] == "not_permitted"
    done = client.post(
        url, {"action": "withdraw", "version": application.version},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}",
    )  # fmt: skip
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "withdrawn"


# --- The final report through its table -------------------------------------------------------


def _submitted_report(application, editor):
    flights, hotel = approved_lines(application)
    report = final_report_save(
        application=application, actor=editor, text="Die Reise fand statt.",
        actuals={flights.pk: ("1600.00", ""), hotel.pk: ("640.00", "")},
    )  # fmt: skip
    receipt_add(
        report=report, actor=editor,
        file=SimpleUploadedFile("beleg.pdf", PDF, content_type="application/octet-stream"),
    )  # fmt: skip
    return final_report_submit(report=report, actor=editor)


def test_accepting_the_report_closes_the_application_through_the_table():
    application = approved_application()
    report = _submitted_report(application, applicant_editor(application))
    reviewer = staff()
    assert [t.action for t in available_actions(report, reviewer)] == ["accept", "send_back"]
    # "close" is never a button of its own, and refused while the report is not accepted
    assert "close" not in [t.action for t in available_actions(application, reviewer)]
    with pytest.raises(ValidationError):
        application_transition(obj=application, action="close", actor=reviewer)
    final_report_transition(obj=report, action="accept", actor=reviewer, expected_version=None)
    application.refresh_from_db()
    assert report.state == ReportState.ACCEPTED and application.state == ApplicationState.CLOSED
    assert application.history.first().history_change_reason == "application.closed"
    assert report.actual_total == Decimal("2240.00")


def test_who_prepared_the_figures_never_reviews_the_report():
    application = approved_application()
    # an agency member who also edits for the applicant prepares the report ...
    preparer = staff(municipality=application.applicant)
    report = _submitted_report(application, preparer)
    # ... and leaves the municipality: still barred, by the report's trail
    preparer.memberships.all().delete()
    from partnerportal.accounts.roles import forget_roles

    forget_roles(preparer)
    for action in ("accept", "send_back"):
        assert action not in [t.action for t in available_actions(report, preparer)]
        with pytest.raises(FourEyesRefused):
            final_report_transition(obj=report, action=action, actor=preparer, note="Nein")
    report.refresh_from_db()
    application.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert application.state == ApplicationState.APPROVED


def test_report_review_page_shows_the_refusal_and_changes_nothing(client):
    application = approved_application()
    preparer = staff(municipality=application.applicant)
    report = _submitted_report(application, preparer)
    client.force_login(preparer)
    url = reverse("funding:report_review", kwargs={"pk": application.pk})
    page = client.get(url)
    assert "four eyes" in page.content.decode() or "Vier-Augen" in page.content.decode()
    response = client.post(url, {"decision": "accept", "version": report.version}, follow=True)
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert Application.objects.get(pk=application.pk).state == ApplicationState.APPROVED
