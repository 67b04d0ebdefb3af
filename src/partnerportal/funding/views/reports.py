"""The final report (Verwendungsnachweis): the applicant writes it with the financial statement
and receipts (/<lang>/foerderung/antraege/<id>/verwendungsnachweis/); staff accept it or send it
back (/<lang>/foerderung/pruefung/<id>/verwendungsnachweis/). Receipts are downloaded by the
same people who see the application."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from partnerportal.core.concurrency import EditConflict

from ..forms_review import FinalReportForm, ReportReviewForm
from ..models import ApplicationState, FinalReport, ReportState
from ..permissions import can_act_for_applicant
from ..reports import (
    EDITABLE,
    deviation_threshold,
    final_report_ensure,
    final_report_save,
    final_report_submit,
    final_report_transition,
    receipt_add,
    statement,
)
from ..workflows import FourEyesRefused, report_barred_reason
from .review import application_get, refusal_message, staff_only


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get(request, pk)
    is_applicant = can_act_for_applicant(request.user, application)
    report = FinalReport.objects.filter(application=application).first()
    editable = (
        is_applicant
        and application.state == ApplicationState.APPROVED
        and (report is None or report.state in EDITABLE)
    )
    if request.method == "POST" and not editable:
        raise PermissionDenied
    rows = statement(application)
    form = None
    if editable:
        if report is None:
            report = final_report_ensure(application)
        form = FinalReportForm(
            request.POST or None,
            request.FILES or None,
            statement=rows,
            initial={"text": report.text, "version": report.version},
        )
        if request.method == "POST" and form.is_valid():
            try:
                report = final_report_save(
                    application=application,
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    actuals=form.actuals(),
                    expected_version=form.cleaned_data["version"],
                )
                if form.cleaned_data.get("receipt"):
                    receipt_add(
                        report=report, actor=request.user, file=form.cleaned_data["receipt"]
                    )
                if "submit" in request.POST:
                    final_report_submit(report=report, actor=request.user)
                    messages.success(request, _("Your final report has been submitted."))
                else:
                    messages.success(request, _("Your final report is saved."))
            except ValidationError as error:
                form.add_error(None, error)
            except EditConflict as error:
                refusal_message(request, error)
            else:
                return redirect("funding:final_report", pk=application.pk)
    return render(
        request,
        "funding/review/report_form.html",
        {
            "application": application,
            "report": report,
            "form": form,
            "rows": rows,
            "threshold": deviation_threshold(),
        },
    )


@login_required
def receipt_download(request: HttpRequest, pk: int, receipt: int) -> HttpResponse:
    application = application_get(request, pk)
    report = get_object_or_404(FinalReport, application=application)
    item = report.receipts.filter(pk=receipt).first()
    if item is None:
        raise Http404
    # Read whole and closed at once (receipts are small, at most the upload limit).
    with item.file.open("rb") as stream:
        response = HttpResponse(stream.read(), content_type=item.mime)
    response["Content-Disposition"] = content_disposition_header(True, item.name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept the report or send it back: the report's workflow (funding/workflows.py), whose
    four-eyes guard keeps whoever prepared its figures from reviewing it."""
    staff_only(request)
    application = application_get(request, pk)
    report = get_object_or_404(FinalReport, application=application)
    barred = report_barred_reason(report, request.user)
    form = ReportReviewForm(request.POST or None, initial={"version": report.version})
    if request.method == "POST" and form.is_valid():
        try:
            final_report_transition(
                obj=report,
                action=form.cleaned_data["decision"],
                actor=request.user,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except (FourEyesRefused, EditConflict) as error:
            refusal_message(request, error)
            return redirect("funding:report_review", pk=application.pk)
        else:
            messages.success(request, _("The final report has been reviewed."))
            return redirect("funding:review_detail", pk=application.pk)
    return render(
        request,
        "funding/review/report_review.html",
        {
            "application": application,
            "report": report,
            "rows": statement(application),
            "form": form if report.state == ReportState.SUBMITTED and not barred else None,
            "barred": barred if report.state == ReportState.SUBMITTED else "",
            "threshold": deviation_threshold(),
        },
    )


staff_urlpatterns = [
    path("<int:pk>/verwendungsnachweis/", report_review, name="report_review"),
]

applicant_urlpatterns = [
    path("verwendungsnachweis/", report_edit, name="final_report"),
    path("verwendungsnachweis/belege/<int:receipt>/", receipt_download, name="receipt"),
]
