"""Payment requests: the applicant's page (/<lang>/foerderung/antraege/<id>/auszahlung/) to ask
for money against the approved plan, and the staff's list of open requests with the two
approvals (/<lang>/foerderung/pruefung/auszahlungen/). The four-eyes rules are the services'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerportal.core.concurrency import EditConflict

from ..forms_review import ActionForm, PaymentRequestForm
from ..models import ApplicationState, PaymentRequest, PaymentState
from ..payments import (
    can_request_payment,
    paid_total,
    payment_available,
    payment_request_create,
    payment_transition,
)
from ..workflows import FourEyesRefused, available_actions
from .review import application_get, refusal_message, staff_only


@login_required
def payments_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get(request, pk)
    may_request = (
        can_request_payment(request.user, application)
        and application.state == ApplicationState.APPROVED
    )
    form = None
    if may_request:
        form = PaymentRequestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                payment_request_create(
                    application=application,
                    actor=request.user,
                    amount=form.cleaned_data["amount"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your payment request has been sent."))
                return redirect("funding:payments", pk=application.pk)
    elif request.method == "POST":
        raise PermissionDenied
    decision = getattr(application, "decision", None)
    return render(
        request,
        "funding/review/payments.html",
        {
            "application": application,
            "form": form,
            "payments": application.payment_requests.select_related("requested_by"),
            "approved_total": decision.approved_total if decision else None,
            "paid": paid_total(application),
            "available": payment_available(application),
        },
    )


@login_required
def payment_list(request: HttpRequest) -> HttpResponse:
    """Open payment requests first, with the buttons the person may use."""
    staff_only(request)
    state = request.GET.get("state", "open")
    rows = PaymentRequest.objects.select_related(
        "application__applicant", "application__instrument", "requested_by"
    ).order_by("-requested_at", "-pk")
    if state == "open":
        rows = rows.filter(state__in=[PaymentState.REQUESTED, PaymentState.FIRST_APPROVAL])
    elif state in PaymentState.values:
        rows = rows.filter(state=state)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    items = [
        (
            payment,
            [
                (t, ActionForm(initial={"action": t.action, "version": payment.version}))
                for t in available_actions(payment, request.user)
            ],
        )
        for payment in page.object_list
    ]
    return render(
        request,
        "funding/review/payment_list.html",
        {
            "page": page,
            "items": items,
            "state": state,
            "states": [("open", _("Open")), *list(PaymentState.choices)],
            "page_query": f"state={state}",
        },
    )


@login_required
@require_POST
def payment_action(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request)
    payment = get_object_or_404(PaymentRequest, pk=pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        payment_transition(
            obj=payment,
            action=form.cleaned_data["action"],
            actor=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, FourEyesRefused, EditConflict) as error:
        refusal_message(request, error)
    else:
        messages.success(
            request,
            _("Done: the payment is now “%(state)s”.") % {"state": payment.get_state_display()},
        )
    back = request.POST.get("next", "")
    if back == "detail":
        return redirect("funding:review_detail", pk=payment.application_id)
    return redirect("funding:payment_list")


staff_urlpatterns = [
    path("auszahlungen/", payment_list, name="payment_list"),
    path("auszahlungen/<int:pk>/aktion/", payment_action, name="payment_action"),
]

applicant_urlpatterns = [
    path("auszahlung/", payments_view, name="payments"),
]
