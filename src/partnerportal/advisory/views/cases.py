"""Pages of advisory cases: the public contact request, the staff's list, dashboard and case
page, and the action plan that staff and the municipalities share. Each view declares who may
see it (advisory.permissions) and leaves every write to the services."""

from __future__ import annotations

import math
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnerportal.core.concurrency import EditConflict
from partnerportal.core.dates import display_date
from partnerportal.core.throttling import AddressRate

from .. import permissions, selectors
from ..cases import (
    ContactRequest,
    case_assign,
    case_document_add,
    case_note_add,
    case_open_from_request,
    case_update,
    measure_create,
    measure_delete,
    measure_update,
    plan_comment_add,
    plan_create,
    plan_update,
)
from ..dashboard import dashboard_figures
from ..forms import (
    AssignForm,
    CaseFilterForm,
    CaseForm,
    ContactForm,
    DocumentForm,
    MeasureForm,
    NoteForm,
    PlanCommentForm,
    PlanForm,
    TransitionForm,
    contact_initial,
)
from ..models import Case, CaseDocument, CaseState, Measure
from ..plan_exports import plan_pdf, plan_xlsx
from ..workflows import available_actions, case_transition

CASE_PAGE_SIZE = 50
CONFLICT_MESSAGE = gettext_lazy(
    "Not saved: someone else changed this in the meantime. Nothing has been changed; your "
    "entries are kept. Please check and send again."
)


class ContactRate(AddressRate):
    """Contact requests per client address (ADVISORY_CONTACT_RATE), counted in the shared
    cache like the API's limits, for logged-in people and the public alike."""

    scope = "advisory-contact"
    setting = "ADVISORY_CONTACT_RATE"


def _staff_only(view):
    """Advisory staff only (the case list, the dashboard, a case's page and log)."""

    @wraps(view)
    @login_required
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not permissions.can_manage_cases(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


# --- The contact request (public) --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    """Everyone. A robot that fills the honeypot is shown the thanks page and nothing is stored;
    a client over the rate limit gets the form back, filled in as sent, with status 429."""
    if request.method != "POST":
        form = ContactForm(
            initial={"language": request.LANGUAGE_CODE, **contact_initial(request.user)}
        )
        return render(request, "advisory/cases/contact.html", {"form": form})
    form = ContactForm(request.POST)
    if form.is_spam:
        return redirect("advisory:contact_thanks")
    throttle = ContactRate()
    if not throttle.allow_request(request):
        seconds = math.ceil(throttle.wait())
        form.is_valid()
        response = render(
            request,
            "advisory/cases/contact.html",
            {
                "form": form,
                "refused": _(
                    "We have received many requests from your connection in a short time. "
                    "Nothing was sent; your entries are still here. Please try again in "
                    "%(minutes)s minutes."
                )
                % {"minutes": max(1, math.ceil(seconds / 60))},
            },
            status=429,
        )
        response["Retry-After"] = str(seconds)
        return response
    if not form.is_valid():
        return render(request, "advisory/cases/contact.html", {"form": form}, status=400)
    d = form.cleaned_data
    opened = case_open_from_request(
        actor=request.user,
        request=ContactRequest(
            name=d["name"],
            email=d["email"],
            phone=d["phone"],
            need=d["need"],
            language=d["language"],
            municipality=form.resolved_municipality,
            municipality_text=d["municipality"],
            partnership=form.resolved_partnership,
            programme=d["programme"],
            topics=list(d["topics"]),
            user=request.user,
        ),
    )
    url = reverse("advisory:contact_thanks")
    return redirect(f"{url}?added=1" if opened.added else url)


@require_GET
def contact_thanks(request: HttpRequest) -> HttpResponse:
    """Everyone."""
    return render(
        request, "advisory/cases/contact_thanks.html", {"added": request.GET.get("added") == "1"}
    )


# --- Staff: list, dashboard, case page ---------------------------------------------------------


@require_GET
@_staff_only
def case_list(request: HttpRequest) -> HttpResponse:
    """A page of 50 rows, each read as plain values and its texts made here (no model objects,
    no per-row template filters): the page costs the same at 20,000 cases as at 20."""
    form = CaseFilterForm(request.GET or None)
    cases = selectors.case_list_rows(form.filters() if request.GET else selectors.CaseFilters())
    page = Paginator(cases, CASE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "advisory/cases/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": _case_rows(page.object_list),
            "page_query": query.urlencode(),
        },
    )


def _case_rows(values) -> list[dict]:
    states = dict(CaseState.choices)
    dates: dict = {}

    def short(value) -> str:
        if value is None:
            return "–"
        if value not in dates:
            dates[value] = display_date(value, "short")
        return dates[value]

    rows = []
    for row in values:
        municipality = row["municipality__name"] or row["municipality_text"]
        rows.append(
            {
                "url": reverse("advisory:case_detail", kwargs={"pk": row["pk"]}),
                "reference": row["reference"],
                "requester": row["requester_name"],
                "municipality": (
                    f"{municipality} ({row['country_id']})" if row["country_id"] else municipality
                ),
                "state": states.get(row["state"], row["state"]),
                "advisor": row["advisor__name"] or row["advisor__email"] or "–",
                "programme": row["programme__name"] or "–",
                "due": short(row["due_on"]),
                "opened": short(timezone.localtime(row["opened_at"]).date()),
            }
        )
    return rows


@require_GET
@_staff_only
def dashboard(request: HttpRequest) -> HttpResponse:
    """The figures come ready to show from the cache until a case changes (advisory.dashboard)."""
    return render(request, "advisory/cases/dashboard.html", dashboard_figures())


def _case(pk: int) -> Case:
    return get_object_or_404(
        Case.objects.select_related(
            "advisor",
            "programme",
            "municipality",
            "partnership__municipality_a",
            "partnership__municipality_b",
            "country",
            "requester_user",
        ),
        pk=pk,
    )


def _case_page(request: HttpRequest, case: Case, *, status: int = 200, **forms) -> HttpResponse:
    context = {
        "case": case,
        "actions": available_actions(case, request.user),
        "transition_form": TransitionForm(initial={"version": case.version}),
        "assign_form": forms.get("assign_form")
        or AssignForm(initial={"version": case.version, "advisor": case.advisor_id}),
        "note_form": forms.get("note_form") or NoteForm(),
        "document_form": forms.get("document_form") or DocumentForm(),
        "log": selectors.case_log(case),
        "documents": case.documents.select_related("uploaded_by"),
        "topics": case.topics.all(),
        "events": case.events.all(),
        "funding_instruments": case.funding_instruments.all(),
        "can_change": permissions.can_change_case(request.user, case),
        "can_view_log": permissions.can_view_case_log(request.user, case),
    }
    return render(request, "advisory/cases/case_detail.html", context, status=status)


@require_GET
@_staff_only
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    if not permissions.can_view_case(request.user, case):
        raise PermissionDenied
    return _case_page(request, case)


@require_http_methods(["GET", "POST"])
@_staff_only
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    if not permissions.can_change_case(request.user, case):
        raise PermissionDenied
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            case_update(
                case=Case.objects.get(pk=case.pk),
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **form.changes(),
            )
        except EditConflict:
            messages.error(request, CONFLICT_MESSAGE)
        else:
            messages.success(request, _("The case has been saved."))
            return redirect("advisory:case_detail", pk=case.pk)
    return render(request, "advisory/cases/case_edit.html", {"case": case, "form": form})


@require_POST
@_staff_only
def case_transition_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, status=400)
    try:
        case_transition(
            case=case,
            action=form.cleaned_data["action"],
            actor=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except EditConflict:
        messages.error(request, CONFLICT_MESSAGE)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The case is now: %(state)s.") % {"state": case.get_state_display()}
        )
    return redirect("advisory:case_detail", pk=case.pk)


@require_POST
@_staff_only
def case_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, status=400, assign_form=form)
    try:
        case_assign(
            case=case,
            actor=request.user,
            advisor=form.cleaned_data["advisor"],
            expected_version=form.cleaned_data["version"],
        )
    except EditConflict:
        messages.error(request, CONFLICT_MESSAGE)
    else:
        messages.success(request, _("The advisor has been saved."))
    return redirect("advisory:case_detail", pk=case.pk)


@require_POST
@_staff_only
def case_note_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, status=400, note_form=form)
    case_note_add(case=case, actor=request.user, **form.cleaned_data)
    messages.success(request, _("The log entry has been added."))
    return redirect(reverse("advisory:case_detail", kwargs={"pk": case.pk}) + "#log")


@require_POST
@_staff_only
def case_document_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _case_page(request, case, status=400, document_form=form)
    case_document_add(
        case=case,
        actor=request.user,
        title=form.cleaned_data["title"],
        file=form.cleaned_data["file"],
    )
    messages.success(request, _("The document has been added."))
    return redirect(reverse("advisory:case_detail", kwargs={"pk": case.pk}) + "#documents")


@require_GET
@_staff_only
def case_document_download(request: HttpRequest, pk: int, document: int) -> HttpResponseBase:
    case = _case(pk)
    if not permissions.can_view_case_log(request.user, case):
        raise PermissionDenied
    doc = get_object_or_404(CaseDocument, pk=document, case=case)
    # Read whole (at most the upload limit) so that no open file outlives the response.
    with doc.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=doc.mime)
    extension = doc.file.name[doc.file.name.rfind(".") :]
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{doc.title}{extension}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- The action plan: staff and the municipalities of the partnership ------------------------


def _plan_case(request: HttpRequest, pk: int) -> Case:
    """The case whose plan is asked for, or 404 for anyone who may not see it (a 403 would
    tell that the case exists)."""
    case = _case(pk)
    if not permissions.can_view_plan(request.user, case):
        raise Http404
    return case


def _plan_page(request: HttpRequest, case: Case, *, status: int = 200, **forms) -> HttpResponse:
    """The plan, or "no plan yet" with a button to start one: showing never writes."""
    plan = selectors.case_plan(case)
    context = {
        "case": case,
        "plan": plan,
        "can_edit": permissions.can_edit_plan(request.user, case),
        "can_comment": plan is not None and permissions.can_comment_plan(request.user, case),
        "is_staff": permissions.is_advisory_staff(request.user),
    }
    if plan is not None:
        measures = list(
            plan.measures.select_related("event", "funding_instrument").prefetch_related("themes")
        )
        context |= {
            "measures": measures,
            "total_cost": sum((m.estimated_cost or 0) for m in measures),
            "comments": selectors.plan_comments(plan),
            "comment_form": forms.get("comment_form") or PlanCommentForm(plan=plan),
            "plan_form": forms.get("plan_form")
            or PlanForm(initial={"version": plan.version, "goal": plan.goal}),
        }
    return render(request, "advisory/cases/plan_detail.html", context, status=status)


@require_GET
@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff and the editors of the case's municipalities; never the internal log."""
    return _plan_page(request, _plan_case(request, pk))


@require_POST
@login_required
def plan_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff and the plan's editors while the case is open: start the (empty) plan."""
    case = _plan_case(request, pk)
    if not permissions.can_edit_plan(request.user, case):
        raise PermissionDenied
    plan_create(case=case, actor=request.user)
    messages.success(request, _("The action plan has been started."))
    return redirect("advisory:plan_detail", pk=case.pk)


@require_POST
@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _plan_case(request, pk)
    if not permissions.can_edit_plan(request.user, case):
        raise PermissionDenied
    form = PlanForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, case, status=400, plan_form=form)
    try:
        plan_update(
            case=case,
            actor=request.user,
            goal=form.cleaned_data["goal"],
            expected_version=form.cleaned_data["version"],
        )
    except EditConflict:
        messages.error(request, CONFLICT_MESSAGE)
        return _plan_page(request, case, status=409, plan_form=form)
    messages.success(request, _("The plan has been saved."))
    return redirect("advisory:plan_detail", pk=case.pk)


@require_POST
@login_required
def plan_comment(request: HttpRequest, pk: int) -> HttpResponse:
    case = _plan_case(request, pk)
    if not permissions.can_comment_plan(request.user, case):
        raise PermissionDenied
    plan = selectors.case_plan(case)
    if plan is None:  # nothing to comment on before the plan is started
        raise Http404
    form = PlanCommentForm(request.POST, plan=plan)
    if not form.is_valid():
        return _plan_page(request, case, status=400, comment_form=form)
    plan_comment_add(
        case=case,
        actor=request.user,
        text=form.cleaned_data["text"],
        measure=form.cleaned_data["measure"],
    )
    messages.success(request, _("Your comment has been added."))
    return redirect(reverse("advisory:plan_detail", kwargs={"pk": case.pk}) + "#comments")


@require_http_methods(["GET", "POST"])
@login_required
def measure_edit(request: HttpRequest, pk: int, measure: int | None = None) -> HttpResponse:
    """A new measure (without `measure`) or a change to one; staff and the plan's editors."""
    case = _plan_case(request, pk)
    if not permissions.can_edit_plan(request.user, case):
        raise PermissionDenied
    instance = None
    if measure is not None:
        instance = get_object_or_404(Measure, pk=measure, plan__case=case)
    form = MeasureForm(request.POST or None, instance=instance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values, themes = form.values()
            try:
                if instance is None:
                    measure_create(case=case, actor=request.user, themes=themes, **values)
                else:
                    measure_update(
                        measure=Measure.objects.get(pk=instance.pk),
                        actor=request.user,
                        expected_version=form.cleaned_data.get("version") or instance.version,
                        themes=themes,
                        **values,
                    )
            except EditConflict:
                messages.error(request, CONFLICT_MESSAGE)
                status = 409
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                messages.success(request, _("The measure has been saved."))
                return redirect(
                    reverse("advisory:plan_detail", kwargs={"pk": case.pk}) + "#measures"
                )
        else:
            status = 400
    return render(
        request,
        "advisory/cases/measure_edit.html",
        {"case": case, "form": form, "measure": instance},
        status=status,
    )


@require_POST
@login_required
def measure_remove(request: HttpRequest, pk: int, measure: int) -> HttpResponse:
    case = _plan_case(request, pk)
    if not permissions.can_edit_plan(request.user, case):
        raise PermissionDenied
    instance = get_object_or_404(Measure, pk=measure, plan__case=case)
    version = request.POST.get("version")
    try:
        measure_delete(
            measure=instance,
            actor=request.user,
            expected_version=int(version) if version and version.isdigit() else None,
        )
    except EditConflict:
        messages.error(request, CONFLICT_MESSAGE)
    else:
        messages.success(request, _("The measure has been removed."))
    return redirect(reverse("advisory:plan_detail", kwargs={"pk": case.pk}) + "#measures")


@require_GET
@login_required
def plan_download_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = _plan_case(request, pk)
    response = HttpResponse(plan_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.reference or case.pk}-plan.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def plan_download_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    case = _plan_case(request, pk)
    response = HttpResponse(
        plan_xlsx(case),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{case.reference or case.pk}-plan.xlsx"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def my_plans(request: HttpRequest) -> HttpResponse:
    """Every logged-in person: the plans of the municipalities they edit (none for others)."""
    return render(
        request, "advisory/cases/my_plans.html", {"cases": selectors.plans_for_editor(request.user)}
    )


urlpatterns = [
    path("anfrage/", contact, name="contact"),
    path("anfrage/danke/", contact_thanks, name="contact_thanks"),
    path("faelle/", case_list, name="case_list"),
    path("faelle/uebersicht/", dashboard, name="dashboard"),
    path("faelle/<int:pk>/", case_detail, name="case_detail"),
    path("faelle/<int:pk>/bearbeiten/", case_edit, name="case_edit"),
    path("faelle/<int:pk>/status/", case_transition_view, name="case_transition"),
    path("faelle/<int:pk>/beratung/", case_assign_view, name="case_assign"),
    path("faelle/<int:pk>/protokoll/", case_note_view, name="case_note_add"),
    path("faelle/<int:pk>/dokumente/", case_document_view, name="case_document_add"),
    path("faelle/<int:pk>/dokumente/<int:document>/", case_document_download, name="case_document"),
    path("faelle/<int:pk>/plan/", plan_detail, name="plan_detail"),
    path("faelle/<int:pk>/plan/anlegen/", plan_start, name="plan_create"),
    path("faelle/<int:pk>/plan/ziel/", plan_edit, name="plan_edit"),
    path("faelle/<int:pk>/plan/kommentare/", plan_comment, name="plan_comment"),
    path("faelle/<int:pk>/plan/massnahmen/neu/", measure_edit, name="measure_create"),
    path("faelle/<int:pk>/plan/massnahmen/<int:measure>/", measure_edit, name="measure_edit"),
    path(
        "faelle/<int:pk>/plan/massnahmen/<int:measure>/loeschen/",
        measure_remove,
        name="measure_delete",
    ),
    path("faelle/<int:pk>/plan.pdf", plan_download_pdf, name="plan_pdf"),
    path("faelle/<int:pk>/plan.xlsx", plan_download_xlsx, name="plan_xlsx"),
    path("aktionsplaene/", my_plans, name="my_plans"),
]
