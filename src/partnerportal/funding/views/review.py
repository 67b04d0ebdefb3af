"""The agency's review pages (/<lang>/foerderung/pruefung/...) and the applicant's decision
pages (/<lang>/foerderung/antraege/<id>/bescheid/, /aenderung/).

Who: the staff pages are for agency staff (reviewers, editors, administrators; the second
factor is asked by accounts' middleware), everyone else gets 403 (anonymous: the login). The
applicant's pages are for the editors of the applicant municipality and staff; to anyone else an
application does not exist (404). Which staff member may take which step is the four-eyes rule
of funding/workflows.py, asked by the services: these views parse and render only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerportal.core.concurrency import EditConflict

from ..changes import change_request_create, change_transition
from ..dashboards import ApplicationFilters, application_list, filter_choices
from ..decisions import (
    DRAFT_STATES,
    approved_lines,
    decision_draft_ensure,
    decision_draft_save,
    letter_pdf,
    requested_lines,
)
from ..forms_review import (
    ActionForm,
    ApplicationFilterForm,
    AssessmentForm,
    ChangeRequestForm,
    DecisionDraftForm,
    PlanLineFormSet,
)
from ..models import (
    Application,
    ApplicationState,
    ChangeRequest,
    Decision,
    DecisionOutcome,
)
from ..payments import paid_total
from ..permissions import (
    can_act_for_applicant,
    can_review_applications,
    can_view_application,
)
from ..review import assessment_save, decision_barred_reason
from ..workflows import FourEyesRefused, application_transition, available_actions

PAGE_SIZE = 50


def staff_only(request: HttpRequest) -> None:
    if not can_review_applications(request.user):
        raise PermissionDenied


def application_get(request: HttpRequest, pk: int) -> Application:
    """The application if the person may see it; 404 otherwise (its existence is not told)."""
    application = get_object_or_404(
        Application.objects.select_related("instrument__programme", "applicant", "created_by"),
        pk=pk,
    )
    if application.state == ApplicationState.DRAFT and not can_act_for_applicant(
        request.user, application
    ):
        raise Http404
    if not can_view_application(request.user, application):
        raise Http404
    return application


def refusal_message(request: HttpRequest, error: Exception) -> None:
    """The words of a refused step, as a message on the page the person returns to."""
    if isinstance(error, EditConflict):
        messages.error(request, _("Someone else changed this meanwhile. Please check and retry."))
    elif isinstance(error, FourEyesRefused):
        messages.error(request, error.message)
    elif isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """Submitted applications with filters (state, programme, instrument, deadline), 50 a page."""
    staff_only(request)
    choices = filter_choices()
    form = ApplicationFilterForm(request.GET or None, choices=choices)
    filters = ApplicationFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = ApplicationFilters(
            state=data["state"] or "",
            programme=data["programme"],
            instrument=data["instrument"],
            deadline=data["deadline"] or "",
        )
    page = Paginator(application_list(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    # The filters' options drawn here in one pass each (a template loop over every instrument
    # and deadline with a filter per option was most of the page's time).
    selects = [
        {
            "id": field.id_for_label,
            "label": field.label,
            "name": field.html_name,
            "options": _options_html(field),
        }
        for field in form
    ]
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(
        request,
        "funding/review/list.html",
        {
            "form": form,
            "selects": selects,
            "page": page,
            "page_query": query,
            "rows_html": _rows_html(page.object_list),
        },
    )


def _rows_html(applications) -> str:
    """The list's rows drawn in one pass: 50 rows of six cells through the template language
    were half of the page's time. Every value is escaped by format_html; a date is formatted
    once per distinct day (deadlines repeat)."""
    from partnerportal.core.dates import display_date

    detail_base = reverse("funding:review_list")  # one reverse for the page, not one per row
    labels = [
        _("Reference"), _("Applicant"), _("Instrument"), _("Deadline"), _("State"), _("Submitted"),
    ]  # fmt: skip
    rolling = _("Rolling call")
    states = {value: str(label) for value, label in ApplicationState.choices}
    dates: dict = {}

    def short(value) -> str:
        if value is None:
            return ""
        day = timezone.localdate(value) if hasattr(value, "tzinfo") and value.tzinfo else value
        if day not in dates:
            dates[day] = display_date(day, "short")
        return dates[day]

    return format_html_join(
        "",
        '<tr class="kern-table__row">'
        '<td class="kern-table__cell" data-label="{}"><a class="kern-link" href="{}{}/">{}</a>'
        '<br><span class="pp-muted">{}</span></td>'
        '<td class="kern-table__cell" data-label="{}">{}</td>'
        '<td class="kern-table__cell" data-label="{}">{}<br><span class="pp-muted">{}</span></td>'
        '<td class="kern-table__cell" data-label="{}">{}</td>'
        '<td class="kern-table__cell" data-label="{}">{}</td>'
        '<td class="kern-table__cell" data-label="{}">{}</td></tr>',
        (
            (
                labels[0],
                detail_base,
                a.pk,
                a.reference or a.pk,
                a.title,
                labels[1],
                a.applicant.name,
                labels[2],
                a.instrument.name,
                a.instrument.programme.name,
                labels[3],
                short(a.instrument.deadline) if a.instrument.deadline else rolling,
                labels[4],
                states.get(a.state, a.state),
                labels[5],
                short(a.submitted_at),
            )
            for a in applications
        ),
    )


def _options_html(field) -> str:
    current = "" if field.value() is None else str(field.value())
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) == current else "", label)
            for value, label in field.field.choices
        ),
    )


def _action_forms(obj, user) -> list[tuple]:
    return [
        (transition, ActionForm(initial={"action": transition.action, "version": obj.version}))
        for transition in available_actions(obj, user)
    ]


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request)
    application = application_get(request, pk)
    review = getattr(application, "review", None)
    decision = Decision.objects.filter(application=application).first()
    assessment_form = None
    if application.state == ApplicationState.ASSESSMENT:
        assessment_form = AssessmentForm(
            initial={
                "assessment": review.assessment if review else "",
                "recommendation": review.recommendation if review else "",
                "version": application.version,
            }
        )
    payments = list(application.payment_requests.select_related("requested_by"))
    changes = list(application.change_requests.select_related("requested_by"))
    context = {
        "application": application,
        "review": review,
        "decision": decision,
        "requested": list(requested_lines(application)),
        "approved": list(approved_lines(application)),
        "actions": _action_forms(application, request.user),
        "barred": decision_barred_reason(application, request.user)
        if application.state == ApplicationState.DECISION
        else "",
        "assessment_form": assessment_form,
        "can_draft": application.state in DRAFT_STATES,
        "payments": [(p, _action_forms(p, request.user)) for p in payments],
        "changes": [(c, _action_forms(c, request.user)) for c in changes],
        "paid": paid_total(application),
        "report": getattr(application, "final_report", None),
        "involvements": application.involvements.select_related("user").order_by("at"),
    }
    return render(request, "funding/review/detail.html", context)


@login_required
@require_POST
def review_action(request: HttpRequest, pk: int) -> HttpResponse:
    """One step of the workflow from a button of the detail page."""
    staff_only(request)
    application = application_get(request, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        application_transition(
            obj=application,
            action=form.cleaned_data["action"],
            actor=request.user,
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, FourEyesRefused, EditConflict) as error:
        refusal_message(request, error)
    else:
        messages.success(
            request,
            _("Done: the application is now “%(state)s”.")
            % {"state": application.get_state_display()},
        )
    return redirect("funding:review_detail", pk=application.pk)


@login_required
@require_POST
def review_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request)
    application = application_get(request, pk)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        try:
            assessment_save(
                application=application,
                actor=request.user,
                assessment=form.cleaned_data["assessment"],
                recommendation=form.cleaned_data["recommendation"],
                expected_version=form.cleaned_data["version"],
            )
        except (ValidationError, EditConflict) as error:
            refusal_message(request, error)
        else:
            messages.success(request, _("The assessment is saved."))
    else:
        messages.error(request, _("Please write the assessment and choose a recommendation."))
    return redirect("funding:review_detail", pk=application.pk)


def _line_initial(lines) -> list[dict]:
    return [
        {"kind": line.kind, "description": line.description, "amount_eur": line.amount_eur}
        for line in lines
    ]


@login_required
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision draft: the approved cost plan (prefilled from the requested one),
    conditions, report deadline, summary language. Saving it makes one its writer, who then may
    not approve (four eyes): the page says so."""
    staff_only(request)
    application = application_get(request, pk)
    if application.state not in DRAFT_STATES:
        messages.error(request, _("The decision draft can no longer be changed."))
        return redirect("funding:review_detail", pk=application.pk)
    decision = decision_draft_ensure(application)
    if request.method == "POST":
        form = DecisionDraftForm(request.POST)
        formset = PlanLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            lines = [row for row in formset.cleaned_data if row and not row.get("DELETE")]
            try:
                decision_draft_save(
                    application=application,
                    actor=request.user,
                    lines=lines,
                    conditions=form.cleaned_data["conditions"],
                    reasons=form.cleaned_data["reasons"],
                    report_due_on=form.cleaned_data["report_due_on"],
                    summary_language=form.cleaned_data["summary_language"],
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            except EditConflict as error:
                refusal_message(request, error)
            else:
                messages.success(request, _("The decision draft is saved."))
                return redirect("funding:review_detail", pk=application.pk)
    else:
        form = DecisionDraftForm(
            initial={
                "conditions": decision.conditions,
                "reasons": decision.reasons,
                "report_due_on": decision.report_due_on,
                "summary_language": decision.summary_language,
                "version": application.version,
            }
        )
        formset = PlanLineFormSet(
            initial=_line_initial(approved_lines(application)), prefix="lines"
        )
    return render(
        request,
        "funding/review/decision_form.html",
        {
            "application": application,
            "form": form,
            "formset": formset,
            "requested": list(requested_lines(application)),
        },
    )


# --- The applicant's side: the decision and its letter, change requests -----------------------


@login_required
def decision_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get(request, pk)
    decision = Decision.objects.filter(application=application).exclude(outcome="").first()
    return render(
        request,
        "funding/review/decision.html",
        {
            "application": application,
            "decision": decision,
            "approved": list(approved_lines(application)) if decision else [],
            "is_applicant": can_act_for_applicant(request.user, application),
            "staff_view": can_review_applications(request.user),
            "approved_outcome": DecisionOutcome.APPROVED,
        },
    )


@login_required
def letter_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision letter as a PDF (as sent: its text was frozen at the decision)."""
    application = application_get(request, pk)
    decision = Decision.objects.filter(application=application).exclude(outcome="").first()
    if decision is None:
        raise Http404
    response = HttpResponse(letter_pdf(decision), content_type="application/pdf")
    name = (application.reference or f"antrag-{application.pk}").replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="bescheid-{name}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def changes_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change requests of an approved application: the applicant asks, staff see them on the
    review page."""
    application = application_get(request, pk)
    is_applicant = can_act_for_applicant(request.user, application)
    form = formset = None
    if is_applicant and application.state == ApplicationState.APPROVED:
        if request.method == "POST":
            form = ChangeRequestForm(request.POST)
            formset = PlanLineFormSet(request.POST, prefix="lines")
            if form.is_valid() and formset.is_valid():
                lines = []
                if form.cleaned_data["change_plan"]:
                    lines = [r for r in formset.cleaned_data if r and not r.get("DELETE")]
                try:
                    change_request_create(
                        application=application,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                        starts_on=form.cleaned_data["starts_on"],
                        ends_on=form.cleaned_data["ends_on"],
                        lines=lines,
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("Your change request has been sent."))
                    return redirect("funding:changes", pk=application.pk)
        else:
            form = ChangeRequestForm()
            formset = PlanLineFormSet(
                initial=_line_initial(approved_lines(application)), prefix="lines"
            )
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "funding/review/changes.html",
        {
            "application": application,
            "changes": application.change_requests.select_related("requested_by"),
            "form": form,
            "formset": formset,
        },
    )


@login_required
@require_POST
def change_action(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request)
    change = get_object_or_404(ChangeRequest.objects.select_related("application"), pk=pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        change_transition(
            obj=change,
            action=form.cleaned_data["action"],
            actor=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, FourEyesRefused, EditConflict) as error:
        refusal_message(request, error)
    else:
        messages.success(request, _("Done."))
    return redirect("funding:review_detail", pk=change.application_id)


staff_urlpatterns = [
    path("", review_list, name="review_list"),
    path("<int:pk>/", review_detail, name="review_detail"),
    path("<int:pk>/aktion/", review_action, name="review_action"),
    path("<int:pk>/bewertung/", review_assessment, name="review_assessment"),
    path("<int:pk>/bescheid/", decision_edit, name="decision_edit"),
    path("aenderungen/<int:pk>/aktion/", change_action, name="change_action"),
]

applicant_urlpatterns = [
    path("bescheid/", decision_view, name="decision"),
    path("bescheid/bescheid.pdf", letter_view, name="letter_pdf"),
    path("aenderung/", changes_view, name="changes"),
]
