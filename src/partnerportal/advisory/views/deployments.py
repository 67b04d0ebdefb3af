"""Pages of deployments, needs for experts, reports and evaluations. Views parse and render;
advisory.deployments (THE rule), deployment_workflow, matching, deployment_reports and
evaluations decide.

Who sees what (advisory.permissions):
- the list of deployments (with the missing reports), the new-deployment form, the state
  buttons, needs with their matching experts, proposals, the evaluations: agency staff;
- a deployment's page: everyone sees its public facts; the expert, the editors of both
  municipalities and staff also its goals and reports;
- writing a report: the expert and staff; an evaluation: each side once the deployment ended;
- the map layer (GeoJSON) and the statistics: everyone (public facts only)."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partnerportal.core.concurrency import EditConflict
from partnerportal.registry.models import Partnership

from .. import permissions
from ..charts import count_chart
from ..deployment_reports import report_submit, reports_missing
from ..deployment_workflow import available_actions, deployment_transition
from ..deployments import (
    DeploymentInput,
    deployment_create,
    deployments_of,
    deployments_public,
    expert_public_name,
    rule_text,
)
from ..evaluations import case_evaluate, deployment_evaluate, evaluations_grouped
from ..expert_forms import DeploymentForm, EvaluationForm, NeedForm, ProposalForm, ReportForm
from ..matching import (
    language_name,
    need_create,
    need_matches,
    proposal_create,
    proposal_deploy,
    proposal_deployment_initial,
)
from ..models import (
    Case,
    Deployment,
    DeploymentReport,
    DeploymentState,
    ExpertProfile,
    Need,
    Proposal,
)

# --- Deployments ---------------------------------------------------------------------------------


@login_required
def deployment_list(request: HttpRequest) -> HttpResponse:
    """Staff: the deployments by state, and the reports that are overdue."""
    if not permissions.can_manage_deployments(request.user):
        raise PermissionDenied
    state = request.GET.get("state", "")
    deployments = Deployment.objects.select_related(
        "partner_municipality__country", "german_municipality", "expert", "programme"
    ).order_by("-starts_on", "-pk")
    if state in DeploymentState.values:
        deployments = deployments.filter(state=state)
    page = Paginator(deployments, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "states": DeploymentState.choices,
        "missing": list(reports_missing()[:100]),
    }
    return render(request, "advisory/deployments/list.html", context)


def _form_input(form: DeploymentForm) -> DeploymentInput:
    data = form.cleaned_data
    return DeploymentInput(
        partner_municipality=data["partner_municipality"],
        german_municipality=data["german_municipality"],
        kind=data["kind"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        expert=data["expert"],
        fields=tuple(data["fields"]),
        host_institution=data["host_institution"],
        goals=data["goals"],
        programme=data["programme"],
    )


def _refusal_to_form(form, error: ValidationError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, error)


@login_required
def deployment_create_view(request: HttpRequest) -> HttpResponse:
    """Staff record a deployment, from scratch or from an accepted proposal (?proposal=<id>)."""
    if not permissions.can_manage_deployments(request.user):
        raise PermissionDenied
    proposal = None
    raw = request.GET.get("proposal") or request.POST.get("proposal")
    if raw and raw.isdigit():
        proposal = get_object_or_404(
            Proposal.objects.select_related("need__partner_municipality", "expert"), pk=int(raw)
        )
    initial = proposal_deployment_initial(proposal) if proposal else {}
    form = DeploymentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if proposal is not None:
                deployment = proposal_deploy(
                    actor=request.user, proposal=proposal, data=_form_input(form)
                )
            else:
                deployment = deployment_create(actor=request.user, data=_form_input(form))
        except ValidationError as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, _("The deployment has been recorded."))
            return redirect("advisory:deployment_detail", pk=deployment.pk)
    context = {"form": form, "proposal": proposal, "rule": rule_text()}
    return render(request, "advisory/deployments/form.html", context)


def deployment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deployment = get_object_or_404(
        deployments_public().select_related("partnership", "partner_municipality__country"),
        pk=pk,
    )
    user = request.user
    inside = permissions.can_view_deployment_reports(user, deployment)
    side = permissions.deployment_evaluation_side(user, deployment)
    context = {
        "deployment": deployment,
        "expert_name": expert_public_name(deployment),
        "expert_public": deployment.expert_id is not None
        and deployment.expert.has_public_parts
        and deployment.expert.anonymised_at is None,
        "inside": inside,
        "staff": permissions.can_manage_deployments(user),
        "actions": available_actions(deployment, user),
        "reports": list(deployment.reports.prefetch_related("documents")) if inside else [],
        "can_report": permissions.can_submit_deployment_report(user, deployment),
        "can_evaluate": side is not None
        and deployment.state in (DeploymentState.ENDED, DeploymentState.BROKEN_OFF)
        and not deployment.evaluations.filter(side=side).exists(),
    }
    return render(request, "advisory/deployments/detail.html", context)


@require_POST
@login_required
def deployment_transition_view(request: HttpRequest, pk: int) -> HttpResponse:
    deployment = get_object_or_404(Deployment, pk=pk)
    if not permissions.can_manage_deployments(request.user):
        raise PermissionDenied
    action = request.POST.get("action", "")
    version = request.POST.get("version", "")
    try:
        deployment_transition(
            deployment=deployment,
            action=action,
            actor=request.user,
            expected_version=int(version) if version.isdigit() else None,
        )
    except EditConflict:
        messages.error(request, _("Someone else changed this deployment. Please try again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The deployment is now “%(state)s”.") % {"state": deployment.get_state_display()},
        )
    return redirect("advisory:deployment_detail", pk=deployment.pk)


@login_required
def deployment_report(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    report = get_object_or_404(
        DeploymentReport.objects.select_related("deployment__expert"),
        pk=report_pk,
        deployment_id=pk,
    )
    deployment = report.deployment
    if not permissions.can_view_deployment_reports(request.user, deployment):
        raise Http404
    can_submit = (
        permissions.can_submit_deployment_report(request.user, deployment)
        and report.submitted_at is None
    )
    form = None
    if can_submit:
        form = ReportForm(request.POST or None, request.FILES or None, goals=deployment.goal_list)
        if request.method == "POST" and form.is_valid():
            document = form.cleaned_data.get("document")
            try:
                report_submit(
                    actor=request.user,
                    report=report,
                    text=form.cleaned_data["text"],
                    results=form.results(),
                    documents=[document] if document else [],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you: the report has been handed in."))
                return redirect("advisory:deployment_detail", pk=deployment.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "advisory/deployments/report.html",
        {"report": report, "deployment": deployment, "form": form},
    )


@login_required
def deployment_evaluate_view(request: HttpRequest, pk: int) -> HttpResponse:
    deployment = get_object_or_404(Deployment, pk=pk)
    if permissions.deployment_evaluation_side(request.user, deployment) is None:
        raise Http404
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            deployment_evaluate(actor=request.user, deployment=deployment, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you for your evaluation."))
            return redirect("advisory:deployment_detail", pk=deployment.pk)
    return render(
        request,
        "advisory/deployments/evaluate.html",
        {"form": form, "subject": deployment, "back": deployment_url(deployment)},
    )


@login_required
def case_evaluate_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(
        Case.objects.select_related(
            "partnership__municipality_a", "partnership__municipality_b", "municipality"
        ),
        pk=pk,
    )
    if permissions.case_evaluation_side(request.user, case) is None:
        raise Http404
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case_evaluate(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you for your evaluation."))
            return redirect("advisory:case_evaluate", pk=case.pk)
    return render(
        request,
        "advisory/deployments/evaluate.html",
        {"form": form, "subject": case, "back": ""},
    )


@login_required
def evaluation_overview(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_evaluations(request.user):
        raise PermissionDenied
    return render(
        request,
        "advisory/deployments/evaluations.html",
        {"groups": evaluations_grouped(request.user)},
    )


def deployment_url(deployment: Deployment) -> str:
    return reverse("advisory:deployment_detail", kwargs={"pk": deployment.pk})


# --- Needs and matching --------------------------------------------------------------------------


@login_required
def need_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_needs(request.user):
        raise PermissionDenied
    needs = Need.objects.select_related("partner_municipality", "case", "partnership").order_by(
        "state", "-created_at"
    )
    return render(request, "advisory/deployments/needs.html", {"needs": needs[:200]})


@login_required
def need_create_view(request: HttpRequest) -> HttpResponse:
    """Staff record a need, from scratch, a case (?case=<id>) or a partnership
    (?partnership=<id>)."""
    if not permissions.can_manage_needs(request.user):
        raise PermissionDenied
    initial = {}
    case = partnership = None
    raw_case = request.GET.get("case") or request.POST.get("case")
    raw_partnership = request.GET.get("partnership") or request.POST.get("partnership")
    if raw_case and str(raw_case).isdigit():
        case = get_object_or_404(Case, pk=int(raw_case))
        initial.update(case=case.pk, description=case.need, partner_municipality=case.municipality)
    if raw_partnership and str(raw_partnership).isdigit():
        partnership = get_object_or_404(Partnership.objects.public(), pk=int(raw_partnership))
        initial["partnership"] = partnership.pk
    form = NeedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            need = need_create(
                actor=request.user,
                title=data["title"],
                description=data["description"],
                case=case,
                partnership=partnership,
                partner_municipality=data["partner_municipality"],
                kind=data["kind"],
                fields=data["fields"],
                languages=data["languages"],
                country=data["country"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("advisory:need_detail", pk=need.pk)
    return render(
        request,
        "advisory/deployments/need_form.html",
        {"form": form, "case": case, "partnership": partnership},
    )


@login_required
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: the need, the experts who fit with reasons and gaps, and the proposals."""
    if not permissions.can_manage_needs(request.user):
        raise PermissionDenied
    need = get_object_or_404(
        Need.objects.select_related("partner_municipality", "country", "case", "partnership"),
        pk=pk,
    )
    context = {
        "need": need,
        "languages": [language_name(code) for code in need.languages],
        "matches": need_matches(need),
        "proposals": need.proposals.select_related("expert", "deployment"),
        "form": ProposalForm(),
    }
    return render(request, "advisory/deployments/need_detail.html", context)


@require_POST
@login_required
def proposal_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_manage_needs(request.user):
        raise PermissionDenied
    need = get_object_or_404(Need, pk=pk)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an expert to propose."))
        return redirect("advisory:need_detail", pk=need.pk)
    expert = get_object_or_404(
        ExpertProfile.objects.filter(anonymised_at__isnull=True), pk=form.cleaned_data["expert"]
    )
    try:
        proposal_create(
            actor=request.user, need=need, expert=expert, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(name)s has been proposed and is told so.") % {"name": expert.name}
        )
    return redirect("advisory:need_detail", pk=need.pk)


# --- Public: the map layer, statistics and the sections of the registry's pages ------------------


def _public_feature(deployment: Deployment, request: HttpRequest) -> dict | None:
    place = deployment.partner_municipality
    if place.latitude is None or place.longitude is None:
        return None
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [round(place.longitude, 5), round(place.latitude, 5)],
        },
        "properties": {
            "title": f"{deployment.get_kind_display()}: {place.name}",
            "url": request.build_absolute_uri(deployment_url(deployment)),
            "place": f"{place.name} ({place.country})",
            "municipality": place.pk,
            "date": deployment.starts_on.isoformat(),
            "kind": deployment.get_state_display(),
        },
    }


@require_GET
def deployments_geojson(request: HttpRequest) -> JsonResponse:
    """Public: every public deployment as a point at its partner municipality, for the atlas's
    layer (no names of experts: the facts of the deployment only)."""
    features = [
        feature
        for deployment in deployments_public().order_by("-starts_on", "-pk")
        if (feature := _public_feature(deployment, request)) is not None
    ]
    response = JsonResponse(
        {"type": "FeatureCollection", "features": features},
        json_dumps_params={"separators": (",", ":"), "ensure_ascii": False},
        content_type="application/geo+json",
    )
    response["Cache-Control"] = "public, max-age=60"
    patch_vary_headers(response, ("Accept-Language",))
    return response


def deployment_statistics(request: HttpRequest) -> HttpResponse:
    """Public: deployments per partner country and per field, as tables and bar charts."""
    deployments = list(deployments_public())
    by_country = Counter(str(d.partner_municipality.country) for d in deployments)
    by_field: Counter = Counter()
    for deployment in deployments:
        themes = list(deployment.fields.all())
        for theme in themes:
            by_field[str(theme)] += 1
        if not themes:
            by_field[_("(no field given)")] += 1
    charts = []
    for key, title, dimension, counter in (
        ("country", _("Deployments per partner country"), _("Country"), by_country),
        ("field", _("Deployments per field"), _("Field"), by_field),
    ):
        rows = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
        charts.append(
            {
                "id": f"chart-{key}",
                "title": title,
                "dimension": dimension,
                "rows": rows,
                "svg": count_chart(rows, title=title, id_prefix=f"chart-{key}") if rows else "",
            }
        )
    context = {"total": len(deployments), "charts": charts}
    return render(request, "advisory/deployments/statistics.html", context)


def deployments_section(request: HttpRequest, *, page: str, subject) -> SafeString | None:
    """ "Expert deployments" on a municipality's and a partnership's page: public facts only,
    the expert's name where they made it public. Nothing (not even the heading) without any.
    Two queries."""
    if page not in ("municipality", "partnership"):
        return None
    deployments = list(deployments_of(page=page, subject=subject)[:20])
    if not deployments:
        return None
    rows = [
        {"deployment": deployment, "expert_name": expert_public_name(deployment)}
        for deployment in deployments
    ]
    return render_to_string(
        "advisory/deployments/partials/section.html",
        {"rows": rows, "section_id": f"{page}-deployments"},
        request=request,
    )
