"""The application wizard and "My applications". Views parse and render; the services in
funding.applications decide and store.

Who may: the active editors of the applicant municipality start, fill in and submit drafts;
they and the agency's staff see a submitted application and its PDF. Anyone else gets 404 for
an application (nobody learns that it exists); who may see it but not change it (staff, or the
applicant after submission) gets 403 on the editing addresses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnerportal.accounts.roles import edited_municipality_ids
from partnerportal.core.concurrency import EditConflict
from partnerportal.core.forms import form_with_version
from partnerportal.registry.models import Municipality, Partnership

from .. import applications as services
from ..application_pdf import application_pdf_render
from ..eligibility import instrument_check
from ..forms import (
    CostLineForm,
    DocumentForm,
    MeasureForm,
    PartnershipStepForm,
    PerDiemForm,
    ScheduleForm,
    StartForm,
    VersionForm,
)
from ..models import Application, ApplicationState, CostKind, CostLine, CostPlan, FundingInstrument
from ..permissions import can_act_for_applicant, can_edit_application, can_view_application
from ..workflows import application_transition, available_actions

#: The wizard's steps and their German addresses.
STEP_SLUGS = {
    "partnership": "partnerschaft",
    "measure": "massnahme",
    "schedule": "zeitplan",
    "costs": "kosten",
    "documents": "unterlagen",
    "check": "pruefen",
}


def step_url(application: Application, step: str) -> str:
    names = {
        "costs": "funding:application_costs",
        "documents": "funding:application_documents",
        "check": "funding:application_check",
    }
    if step in names:
        return reverse(names[step], kwargs={"pk": application.pk})
    return reverse(
        "funding:application_step", kwargs={"pk": application.pk, "step": STEP_SLUGS[step]}
    )


def _next_step(step: str) -> str:
    keys = services.STEP_KEYS
    return keys[min(keys.index(step) + 1, len(keys) - 1)]


def _visible(request: HttpRequest, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related(
            "instrument__programme",
            "applicant__country",
            "partnership__municipality_a__country",
            "partnership__municipality_b__country",
        ),
        pk=pk,
    )
    if not can_view_application(request.user, application):
        raise Http404
    return application


def _editable(request: HttpRequest, pk: int) -> Application:
    application = _visible(request, pk)
    if not can_edit_application(request.user, application):
        raise PermissionDenied
    return application


def _steps(application: Application, current: str, problems=None) -> list[dict]:
    with_problems = {problem.step for problem in problems or []}
    return [
        {
            "key": key,
            "label": label,
            "url": step_url(application, key),
            "current": key == current,
            "problem": key in with_problems,
        }
        for key, label in services.STEPS
    ]


def _context(application: Application, step: str, **extra) -> dict:
    return {
        "application": application,
        "instrument": application.instrument,
        "steps": _steps(application, step),
        "step": step,
        "editable": application.state == ApplicationState.DRAFT,
        **extra,
    }


def _refusal(form, error: ValidationError) -> None:
    """A service's refusal, shown at the field it names (or above the form)."""
    by_field = getattr(error, "error_dict", None) or {"__all__": error.error_list}
    for name, errors in by_field.items():
        form.add_error(name if name in form.fields else None, errors)


def _conflict(request: HttpRequest, form, conflict: EditConflict) -> None:
    """Someone saved the draft meanwhile: nothing was stored; the form keeps the input and
    carries the current version, so that a second save after a look stores it."""
    form_with_version(form, conflict.current_version or 1)
    form.add_error(
        None,
        _(
            "Someone else saved this application in the meantime, so nothing was saved. "
            "Check the other steps, then save again: your input is kept."
        ),
    )


# --- start and list -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def application_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a draft for an instrument: whoever edits no municipality may not apply (403)."""
    instrument = get_object_or_404(FundingInstrument.objects.select_related("programme"), slug=slug)
    if not instrument.is_active:
        raise Http404
    municipalities = list(
        Municipality.objects.filter(pk__in=edited_municipality_ids(request.user)).order_by("name")
    )
    if not municipalities:
        raise PermissionDenied
    partnerships: list[Partnership] = []
    for municipality in municipalities:
        partnerships.extend(services.applicant_partnerships(municipality))
    initial = {"partnership": request.GET.get("partnership")}
    form = StartForm(
        request.POST or None,
        municipalities=municipalities,
        partnerships=partnerships,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        applicant = next(m for m in municipalities if m.pk == form.cleaned_data["applicant"])
        partnership_id = form.cleaned_data["partnership"]
        # A partnership of another of one's municipalities names that one as the applicant.
        if partnership_id is not None:
            chosen = next((p for p in partnerships if p.pk == partnership_id), None)
            if chosen is not None and applicant.pk not in (
                chosen.municipality_a_id,
                chosen.municipality_b_id,
            ):
                applicant = next(
                    m
                    for m in municipalities
                    if m.pk in (chosen.municipality_a_id, chosen.municipality_b_id)
                )
        try:
            application = services.application_create(
                actor=request.user,
                instrument=instrument,
                applicant=applicant,
                partnership_id=partnership_id,
            )
        except ValidationError as error:
            _refusal(form, error)
        else:
            messages.success(request, _("The draft has been saved. You can continue at any time."))
            return redirect(step_url(application, "measure"))
    return render(
        request, "funding/application_start.html", {"instrument": instrument, "form": form}
    )


@require_GET
@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    """ "My applications": those of the municipalities one edits, with their states."""
    applications = list(services.applications_of(request.user))
    return render(request, "funding/application_list.html", {"applications": applications})


@require_GET
@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible(request, pk)
    lines = list(application.cost_lines.filter(plan=CostPlan.REQUESTED))
    context = _context(
        application,
        "",
        lines=lines,
        totals=services.cost_totals(application),
        documents=_documents(application),
        can_edit=can_edit_application(request.user, application),
        can_withdraw=_can_withdraw(request.user, application),
    )
    return render(request, "funding/application_detail.html", context)


def _can_withdraw(user, application: Application) -> bool:
    return any(t.action == "withdraw" for t in available_actions(application, user))


@require_http_methods(["GET", "POST"])
@login_required
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant withdraws the application (a draft, or one under review until the
    decision): a page that asks, then the step of the workflow (funding/workflows.py), which
    tells the staff if it had been submitted. Whoever sees it but may not withdraw it: 403."""
    application = _visible(request, pk)
    if not can_act_for_applicant(request.user, application):
        raise PermissionDenied
    form = VersionForm(request.POST or None, initial={"version": application.version})
    if request.method == "POST" and form.is_valid():
        try:
            application_transition(
                obj=application,
                action="withdraw",
                actor=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict:
            messages.error(
                request, _("Someone else changed this application meanwhile. Please check.")
            )
            return redirect("funding:application_detail", pk=application.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("funding:application_detail", pk=application.pk)
        messages.success(request, _("The application has been withdrawn."))
        return redirect("funding:application_detail", pk=application.pk)
    return render(
        request,
        "funding/application_withdraw.html",
        _context(application, "", form=form, can_withdraw=_can_withdraw(request.user, application)),
    )


# --- the simple steps ---------------------------------------------------------------------


STEP_FORMS = {"partnership": PartnershipStepForm, "measure": MeasureForm, "schedule": ScheduleForm}
STEP_FIELDS = {
    "partnership": ("partnership",),
    "measure": ("title", "goals", "measure"),
    "schedule": ("starts_on", "ends_on"),
}


@require_http_methods(["GET", "POST"])
@login_required
def application_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    keys = {slug: key for key, slug in STEP_SLUGS.items() if key in STEP_FORMS}
    if step not in keys:
        raise Http404
    step = keys[step]
    application = _editable(request, pk)
    form_class = STEP_FORMS[step]
    kwargs = {}
    if step == "partnership":
        kwargs["partnerships"] = list(services.applicant_partnerships(application.applicant))
    current = {
        name: getattr(application, name) for name in STEP_FIELDS[step] if name != "partnership"
    }
    if step == "partnership":
        current["partnership"] = application.partnership_id
    current["version"] = application.version
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            data = dict(form.cleaned_data)
            expected = data.pop("version")
            values = {name: data[name] for name in STEP_FIELDS[step] if name != "partnership"}
            if step == "partnership":
                values["partnership_id"] = data["partnership"]
            try:
                services.application_update(
                    actor=request.user,
                    application=application,
                    expected_version=expected,
                    step=step,
                    **values,
                )
            except EditConflict as conflict:
                _conflict(request, form, conflict)
            except ValidationError as error:
                _refusal(form, error)
            else:
                messages.success(request, _("Saved."))
                if "stay" in request.POST:
                    return redirect(step_url(application, step))
                return redirect(step_url(application, _next_step(step)))
    elif request.GET.get("pruefen"):
        # From the check: the step's problems at their fields.
        form = form_class({k: "" if v is None else v for k, v in current.items()}, **kwargs)
        form.is_valid()
        for problem in services.application_check(application):
            if problem.step == step:
                form.add_error(
                    problem.field if problem.field in form.fields else None, problem.message
                )
    else:
        form = form_class(initial=current, **kwargs)
    extra = {}
    if step == "partnership":
        extra["eligibility"] = instrument_check(
            application.instrument, services.application_facts(application)
        )
    return render(
        request, f"funding/application_{step}.html", _context(application, step, form=form, **extra)
    )


# --- the cost plan ------------------------------------------------------------------------


def _line_forms(application: Application, request: HttpRequest | None = None):
    kinds = application.instrument.cost_kinds or []
    posted = request.POST if request is not None else None
    which = posted.get("form") if posted is not None else None
    line_form = CostLineForm(
        posted if which == "line" else None,
        cost_kinds=kinds,
        initial={"version": application.version, "currency": "EUR"},
        prefix="line",
    )
    partner_country = (
        services.partner_of(application.partnership, application.applicant_id).country_id
        if application.partnership
        else None
    )
    per_diem_form = PerDiemForm(
        posted if which == "per_diem" else None,
        initial={"version": application.version, "country": partner_country},
        prefix="trip",
    )
    return line_form, per_diem_form


@require_http_methods(["GET", "POST"])
@login_required
def application_costs(request: HttpRequest, pk: int) -> HttpResponse:
    application = _editable(request, pk)
    line_form, per_diem_form = _line_forms(
        application, request if request.method == "POST" else None
    )
    if request.method == "POST":
        which = request.POST.get("form")
        form = line_form if which == "line" else per_diem_form if which == "per_diem" else None
        if form is None:
            return HttpResponse(status=400)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if which == "line":
                    services.cost_line_add(
                        actor=request.user,
                        application=application,
                        expected_version=data["version"],
                        kind=data["kind"],
                        description=data["description"],
                        amount=data["amount"],
                        currency=data["currency"],
                        exchange_rate=data.get("exchange_rate"),
                    )
                else:
                    services.per_diem_line_add(
                        actor=request.user,
                        application=application,
                        expected_version=data["version"],
                        **_trip(data),
                    )
            except EditConflict as conflict:
                _conflict(request, form, conflict)
            except ValidationError as error:
                _refusal(form, error)
            else:
                messages.success(request, _("The line has been added to the cost plan."))
                return redirect(step_url(application, "costs") + "#cost-plan")
    problems = []
    if request.GET.get("pruefen"):
        problems = [p for p in services.application_check(application) if p.step == "costs"]
    lines = list(application.cost_lines.filter(plan=CostPlan.REQUESTED))
    kinds = application.instrument.cost_kinds or CostKind.values
    context = _context(
        application,
        "costs",
        lines=lines,
        totals=services.cost_totals(application),
        line_form=line_form,
        per_diem_form=per_diem_form,
        per_diem_allowed=CostKind.PER_DIEM in kinds,
        version_form=VersionForm(initial={"version": application.version}),
        problems=problems,
    )
    return render(request, "funding/application_costs.html", context)


#: What the per-diem form says of a trip, as the services take it.
TRIP_FIELDS = (
    "country", "city", "start", "end", "breakfasts", "lunches", "dinners", "travellers",
    "description",
)  # fmt: skip


def _trip(data: dict) -> dict:
    return {name: data[name] for name in TRIP_FIELDS}


def _per_diem_initial(line: CostLine, version: int) -> dict:
    """The trip of a calculated line, for its form (times in German time, as entered)."""
    import datetime as dt

    from django.utils import timezone

    calculation = line.calculation
    start, end = (
        timezone.localtime(dt.datetime.fromisoformat(calculation[key])).replace(tzinfo=None)
        for key in ("start", "end")
    )
    written = services.per_diem_description(calculation)
    return {
        "country": calculation.get("country"),
        "city": calculation.get("city", ""),
        "start": start,
        "end": end,
        "breakfasts": calculation.get("breakfasts", 0),
        "lunches": calculation.get("lunches", 0),
        "dinners": calculation.get("dinners", 0),
        "travellers": calculation.get("travellers", 1),
        # a description written from the trip is written anew from the changed trip
        "description": "" if line.description == written else line.description,
        "version": version,
    }


def _per_diem_line(request: HttpRequest, application: Application, line: CostLine):
    """A calculated per-diem line changed in place: the trip's form, calculated anew."""
    form = PerDiemForm(
        request.POST if request.method == "POST" else None,
        initial=_per_diem_initial(line, application.version),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.per_diem_line_update(
                actor=request.user,
                application=application,
                line_id=line.pk,
                expected_version=data["version"],
                **_trip(data),
            )
        except EditConflict as conflict:
            _conflict(request, form, conflict)
        except ValidationError as error:
            _refusal(form, error)
        else:
            messages.success(request, _("The per diems have been calculated anew."))
            return redirect(step_url(application, "costs") + "#cost-plan")
    return render(
        request,
        "funding/application_cost_line.html",
        _context(application, "costs", form=form, line=line, per_diem=True),
    )


def _line(application: Application, line_id: int) -> CostLine:
    return get_object_or_404(application.cost_lines, pk=line_id, plan=CostPlan.REQUESTED)


@require_http_methods(["GET", "POST"])
@login_required
def application_cost_line(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    application = _editable(request, pk)
    cost_line = _line(application, line)
    if cost_line.kind == CostKind.PER_DIEM and cost_line.calculation:
        return _per_diem_line(request, application, cost_line)
    initial = {
        "kind": cost_line.kind,
        "description": cost_line.description,
        "amount": cost_line.amount,
        "currency": cost_line.currency,
        "exchange_rate": None if cost_line.currency == "EUR" else cost_line.exchange_rate,
        "version": application.version,
    }
    form = CostLineForm(
        request.POST or None, cost_kinds=application.instrument.cost_kinds or [], initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.cost_line_update(
                actor=request.user,
                application=application,
                line_id=cost_line.pk,
                expected_version=data["version"],
                kind=data["kind"],
                description=data["description"],
                amount=data["amount"],
                currency=data["currency"],
                exchange_rate=data.get("exchange_rate"),
            )
        except EditConflict as conflict:
            _conflict(request, form, conflict)
        except ValidationError as error:
            _refusal(form, error)
        else:
            messages.success(request, _("The line has been changed."))
            return redirect(step_url(application, "costs") + "#cost-plan")
    return render(
        request,
        "funding/application_cost_line.html",
        _context(application, "costs", form=form, line=cost_line),
    )


@require_POST
@login_required
def application_cost_line_delete(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    application = _editable(request, pk)
    cost_line = _line(application, line)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        services.cost_line_delete(
            actor=request.user,
            application=application,
            line_id=cost_line.pk,
            expected_version=form.cleaned_data["version"],
        )
    except EditConflict:
        messages.error(
            request,
            _("Someone else changed this application in the meantime; nothing was removed."),
        )
    else:
        messages.success(request, _("The line has been removed."))
    return redirect(step_url(application, "costs") + "#cost-plan")


# --- documents ------------------------------------------------------------------------------


def _documents(application: Application) -> list[dict]:
    uploaded = {document.key: document for document in application.documents.all()}
    return [
        {**document, "uploaded": uploaded.get(document["key"])}
        for document in services.required_documents(application.instrument)
    ]


@require_http_methods(["GET", "POST"])
@login_required
def application_documents(request: HttpRequest, pk: int) -> HttpResponse:
    application = _editable(request, pk)
    documents = _documents(application)
    labels = {document["key"]: document["label"] for document in documents}
    posted_key = request.POST.get("key") if request.method == "POST" else None
    forms_by_key = {}
    for document in documents:
        key = document["key"]
        bound = posted_key == key
        forms_by_key[key] = DocumentForm(
            request.POST if bound else None,
            request.FILES if bound else None,
            label=labels[key],
            initial={"key": key, "version": application.version},
            prefix=f"doc-{key}",
        )
    if request.method == "POST":
        if posted_key not in forms_by_key:
            return HttpResponse(status=400)
        form = forms_by_key[posted_key]
        if form.is_valid():
            try:
                services.document_upload(
                    actor=request.user,
                    application=application,
                    expected_version=form.cleaned_data["version"],
                    key=posted_key,
                    file=form.cleaned_data["file"],
                )
            except EditConflict as conflict:
                _conflict(request, form, conflict)
            except ValidationError as error:
                _refusal(form, error)
            else:
                messages.success(request, _("The document has been uploaded."))
                return redirect(step_url(application, "documents"))
    problems = []
    if request.GET.get("pruefen"):
        problems = [p for p in services.application_check(application) if p.step == "documents"]
    for document in documents:
        document["form"] = forms_by_key[document["key"]]
    context = _context(
        application,
        "documents",
        documents=documents,
        version_form=VersionForm(initial={"version": application.version}),
        problems=problems,
    )
    return render(request, "funding/application_documents.html", context)


@require_GET
@login_required
def application_document(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """The stored file, to who may see the application (never a public address)."""
    application = _visible(request, pk)
    document = get_object_or_404(application.documents, key=key)
    # Read whole (uploads are limited in size): a streamed file stays open until the server
    # closes the response, which a client that drops it never does.
    with document.file.open("rb") as stored:
        content = stored.read()
    response = HttpResponse(content, content_type=document.mime)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=document.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def application_document_delete(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    application = _editable(request, pk)
    get_object_or_404(application.documents, key=key)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        services.document_delete(
            actor=request.user,
            application=application,
            key=key,
            expected_version=form.cleaned_data["version"],
        )
    except EditConflict:
        messages.error(
            request,
            _("Someone else changed this application in the meantime; nothing was removed."),
        )
    else:
        messages.success(request, _("The document has been removed."))
    return redirect(step_url(application, "documents"))


# --- check, submit, PDF -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def application_check(request: HttpRequest, pk: int) -> HttpResponse:
    application = _editable(request, pk)
    form = VersionForm(request.POST or None, initial={"version": application.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(
                actor=request.user,
                application=application,
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict:
            messages.error(
                request,
                _(
                    "Someone else changed this application in the meantime; it was not "
                    "submitted. Please check it again."
                ),
            )
            return redirect(step_url(application, "check"))
        except services.ApplicationIncomplete:
            application.refresh_from_db()
        else:
            messages.success(
                request,
                _("Your application has been submitted with the reference %(reference)s.")
                % {"reference": application.reference},
            )
            return redirect("funding:application_detail", pk=application.pk)
    problems = services.application_check(application)
    items = [
        {
            "step_label": dict(services.STEPS)[problem.step],
            "message": problem.message,
            "url": step_url(application, problem.step) + "?pruefen=1" + _anchor(problem),
        }
        for problem in problems
    ]
    context = _context(
        application,
        "check",
        problems=items,
        totals=services.cost_totals(application),
        lines=list(application.cost_lines.filter(plan=CostPlan.REQUESTED)),
        documents=_documents(application),
        form=form,
    )
    context["steps"] = _steps(application, "check", problems)
    return render(request, "funding/application_check.html", context)


def _anchor(problem) -> str:
    """Where on the step's page the problem is corrected."""
    if not problem.field:
        return ""
    if problem.step in STEP_FORMS:
        return f"#id_{problem.field}"
    return "#cost-plan" if problem.field == "lines" else f"#{problem.field}"


@require_GET
@login_required
def application_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible(request, pk)
    content = application_pdf_render(application)
    name = (application.reference or f"entwurf-{application.pk}").lower()
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="antrag-{name}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
