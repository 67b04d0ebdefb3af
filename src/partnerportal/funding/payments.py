"""Payment requests against the approved cost plan.

The applicant's editors (or staff on their behalf) ask for an amount; it can never be more than
what is approved minus what is already paid or asked for. Two members of staff release it: a
first approval and the release, by two different people, neither of whom requested it (the
guards in funding/workflows.py). Every step is an audit entry on the request."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerportal.audit.services import attribute_change
from partnerportal.core import workflows as core_workflows
from partnerportal.core.concurrency import version_claim

from .actions import FundingAction
from .models import Application, ApplicationState, PaymentRequest, PaymentState
from .permissions import can_act_for_applicant, can_review_applications
from .workflows import PAYMENT_TRANSITIONS, transition_guarded

#: States of a request whose money is spoken for.
COMMITTED = (PaymentState.REQUESTED, PaymentState.FIRST_APPROVAL, PaymentState.RELEASED)


def can_request_payment(user, application: Application) -> bool:
    return can_act_for_applicant(user, application) or can_review_applications(user)


def paid_total(application: Application) -> Decimal:
    value = application.payment_requests.filter(state=PaymentState.RELEASED).aggregate(
        total=Sum("amount")
    )["total"]
    return value or Decimal("0.00")


def committed_total(application: Application, *, excluding: int | None = None) -> Decimal:
    rows = application.payment_requests.filter(state__in=COMMITTED)
    if excluding is not None:
        rows = rows.exclude(pk=excluding)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def payment_available(application: Application) -> Decimal:
    """What may still be requested: approved minus paid and open requests."""
    decision = getattr(application, "decision", None)
    approved = decision.approved_total if decision is not None else Decimal("0.00")
    return max(approved - committed_total(application), Decimal("0.00"))


def payment_request_create(
    *, application: Application, actor, amount: Decimal | str, note: str = ""
) -> PaymentRequest:
    """Ask for a payment on an approved application."""
    if not can_request_payment(actor, application):
        raise PermissionDenied
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": _("Please give an amount in EUR.")}) from None
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != ApplicationState.APPROVED:
            raise ValidationError(
                _("Payments can be requested only for an approved application."),
                code="not_approved",
            )
        available = payment_available(application)
        if amount > available:
            raise ValidationError(
                {
                    "amount": _(
                        "At most %(available)s EUR can still be requested (approved minus "
                        "paid and requested)."
                    )
                    % {"available": available}
                }
            )
        payment = PaymentRequest(
            application=application, amount=amount, note=note.strip(), requested_by=actor
        )
        attribute_change(payment, actor=actor, action=FundingAction.PAYMENT_REQUESTED)
        payment.save()
    return payment


ACTION_CODES = {
    "first_approve": FundingAction.PAYMENT_FIRST_APPROVED,
    "release": FundingAction.PAYMENT_RELEASED,
    "reject": FundingAction.PAYMENT_REJECTED,
}


def payment_transition(
    *, obj: PaymentRequest, action: str, actor, expected_version: int | None = None
) -> PaymentRequest:
    """First approval, release or rejection of a payment request, four eyes enforced."""
    core_workflows.transition_permitted(PAYMENT_TRANSITIONS, action=action, obj=obj, actor=actor)
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=obj.application_id).first()
        payment = PaymentRequest.objects.select_for_update().get(pk=obj.pk)
        transition = transition_guarded(payment, action=action, actor=actor)
        now = timezone.now()
        if action == "first_approve":
            payment.first_approved_by, payment.first_approved_at = actor, now
        elif action == "release":
            application = payment.application
            approved = application.decision.approved_total
            if paid_total(application) + payment.amount > approved:
                raise ValidationError(
                    _("Releasing this would pay more than was approved."), code="above_approved"
                )
            payment.released_by, payment.released_at = actor, now
            payment.released_year = timezone.localdate(now).year
        elif action == "reject":
            payment.rejected_by = actor
        version_claim(payment, expected_version=expected_version)
        payment.state = transition.target
        attribute_change(payment, actor=actor, action=ACTION_CODES[action])
        payment.save()
        if action == "release":
            _released_told(payment, actor=actor)
    obj.refresh_from_db()
    return payment


def _released_told(payment: PaymentRequest, *, actor) -> None:
    from partnerportal.notifications.events import Event
    from partnerportal.notifications.services import notify

    from .selectors import applicant_people, application_url

    notify(
        event=Event.FUNDING_PAYMENT_RELEASED,
        recipients=applicant_people(payment.application),
        actor=actor,
        target=payment.application,
        context={
            "amount": f"{payment.amount:.2f}",
            "url": application_url(payment.application, "funding:payments"),
        },
    )
