"""Payment requests against the approved plan: never above what is approved minus what is paid
or already asked for; released by two different people, neither the requester (the full set of
forbidden combinations is in test_four_eyes.py); the applicant's page and the staff's list."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from partnerportal.funding.models import PaymentRequest, PaymentState
from partnerportal.funding.payments import (
    paid_total,
    payment_available,
    payment_request_create,
    payment_transition,
)
from partnerportal.notifications.models import Activity

from .factories_review import (
    SubmittedApplicationFactory,
    applicant_editor,
    approved_application,
    staff,
)

pytestmark = pytest.mark.django_db


def release(payment):
    payment_transition(obj=payment, action="first_approve", actor=staff())
    payment_transition(obj=payment, action="release", actor=staff())


def test_amount_never_above_approved_minus_paid_and_requested():
    application = approved_application()  # 2,240.00 approved
    editor = applicant_editor(application)
    first = payment_request_create(application=application, actor=editor, amount="2000.00")
    assert payment_available(application) == Decimal("240.00")
    with pytest.raises(ValidationError):
        payment_request_create(application=application, actor=editor, amount="240.01")
    release(first)
    assert paid_total(application) == Decimal("2000.00")
    payment_request_create(application=application, actor=editor, amount="240.00")
    with pytest.raises(ValidationError):
        payment_request_create(application=application, actor=editor, amount="0.01")
    with pytest.raises(ValidationError):
        payment_request_create(application=application, actor=editor, amount="-5")
    assert PaymentRequest.objects.filter(application=application).count() == 2
    assert Activity.objects.filter(event="funding.payment_released").exists()


def test_a_rejected_request_frees_its_amount_and_only_approved_applications_pay():
    application = approved_application()
    editor = applicant_editor(application)
    payment = payment_request_create(application=application, actor=editor, amount="2240")
    payment_transition(obj=payment, action="reject", actor=staff())
    assert payment.state == PaymentState.REJECTED
    assert payment_available(application) == Decimal("2240.00")
    submitted = SubmittedApplicationFactory()
    with pytest.raises(ValidationError):
        payment_request_create(application=submitted, actor=applicant_editor(submitted), amount="1")
    outsider = applicant_editor(SubmittedApplicationFactory())
    with pytest.raises(PermissionDenied):
        payment_request_create(application=application, actor=outsider, amount="1")


def test_audit_entries_for_each_step():
    application = approved_application()
    payment = payment_request_create(
        application=application, actor=applicant_editor(application), amount="100"
    )
    release(payment)
    reasons = list(
        payment.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert reasons == ["payment.requested", "payment.first_approved", "payment.released"]


def test_applicant_page_requests_and_staff_list_shows_buttons(client):
    application = approved_application()
    editor = applicant_editor(application)
    client.force_login(editor)
    url = reverse("funding:payments", kwargs={"pk": application.pk})
    assert client.get(url).status_code == 200
    too_much = client.post(url, {"amount": "5000", "note": ""})
    assert too_much.status_code == 200
    assert not PaymentRequest.objects.exists()
    assert client.post(url, {"amount": "500,00", "note": "Erste Rate"}).status_code == 302
    payment = PaymentRequest.objects.get()
    assert payment.amount == Decimal("500.00") and payment.requested_by == editor
    reviewer = staff()
    client.force_login(reviewer)
    page = client.get(reverse("funding:payment_list"))
    assert page.status_code == 200
    assert reverse("funding:payment_action", kwargs={"pk": payment.pk}) in page.content.decode()
    client.force_login(editor)
    assert client.get(reverse("funding:payment_list")).status_code == 403
