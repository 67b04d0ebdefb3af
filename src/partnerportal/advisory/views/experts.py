"""Pages of expert profiles. Views parse and render; advisory.experts and advisory.matching
decide.

Who sees what (advisory.permissions):
- the list, the new-profile form: agency staff (administration, editors);
- a profile with its CV, its edit form: staff and the expert themselves; others get 404;
- the public profile: everyone, showing only what the expert made public (404 if nothing);
- "my expert page" (profile, proposals, deployments): the expert with an account;
- accepting or declining a proposal: the expert it was made to."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerportal.accounts.roles import Role, has_role
from partnerportal.core.concurrency import EditConflict

from .. import permissions
from ..expert_forms import ExpertCreateForm, ExpertProfileForm
from ..experts import (
    ProfileInput,
    expert_profile_create,
    expert_profile_of,
    expert_profile_update,
    expert_profiles,
    expert_public_view,
)
from ..matching import language_name, proposal_decide
from ..models import DeploymentReport, ExpertProfile, Proposal


def _input(form: ExpertProfileForm) -> ProfileInput:
    data = form.cleaned_data
    return ProfileInput(
        name=data["name"],
        kind=data["kind"],
        email=data.get("email", ""),
        fields=data["fields"],
        countries=data["countries"],
        languages=data["languages"],
        available_from=data["available_from"],
        available_until=data["available_until"],
        availability_note=data["availability_note"],
        cv=data["cv"],
        public={
            part: data[f"public_{part}"]
            for part in ExpertProfile.PUBLIC_PARTS
            if f"public_{part}" in data
        },
    )


@login_required
def expert_list(request: HttpRequest) -> HttpResponse:
    """Staff: every expert with kind, fields and availability."""
    if not permissions.can_manage_experts(request.user):
        raise PermissionDenied
    return render(request, "advisory/experts/list.html", {"experts": list(expert_profiles())})


@login_required
def expert_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_experts(request.user):
        raise PermissionDenied
    form = ExpertCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = None
        email = form.cleaned_data["account"]
        if email:
            account = get_user_model().objects.filter(email__iexact=email).first()
            if account is None:
                form.add_error("account", _("No account has this e-mail address."))
        if not form.errors:
            try:
                profile = expert_profile_create(actor=request.user, data=_input(form), user=account)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The expert profile has been created."))
                return redirect("advisory:expert_detail", pk=profile.pk)
    return render(request, "advisory/experts/form.html", {"form": form, "profile": None})


def _profile_for(request: HttpRequest, pk: int) -> ExpertProfile:
    """A profile the person may read whole; 404 otherwise (nobody learns that it exists)."""
    profile = get_object_or_404(
        ExpertProfile.objects.prefetch_related("fields", "countries", "languages"), pk=pk
    )
    if not permissions.can_view_expert_profile(request.user, profile):
        raise Http404
    return profile


@login_required
def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile_for(request, pk)
    context = {
        "profile": profile,
        "languages": [
            (language_name(entry.language), entry.get_level_display())
            for entry in profile.languages.all()
        ],
        "deployments": profile.deployments.select_related("partner_municipality").all(),
        "proposals": profile.proposals.select_related("need").all(),
        "can_edit": permissions.can_edit_expert_profile(request.user, profile),
    }
    return render(request, "advisory/experts/detail.html", context)


@login_required
def expert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile_for(request, pk)
    if not permissions.can_edit_expert_profile(request.user, profile):
        raise Http404
    own = profile.user_id == request.user.pk
    form = ExpertProfileForm(
        request.POST or None,
        initial=ExpertProfileForm.initial_from(profile),
        can_choose_public=own,
    )
    if request.method == "POST" and form.is_valid():
        try:
            expert_profile_update(
                actor=request.user,
                profile=profile,
                data=_input(form),
                expected_version=form.cleaned_data.get("version"),
            )
        except EditConflict:
            form.add_error(
                None,
                _("Someone else saved this profile in the meantime. Please reload the page."),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The expert profile has been saved."))
            return redirect("advisory:expert_detail", pk=profile.pk)
    return render(request, "advisory/experts/form.html", {"form": form, "profile": profile})


def expert_public(request: HttpRequest, pk: int) -> HttpResponse:
    """Public: only what the expert chose to show; 404 while they chose nothing."""
    profile = get_object_or_404(
        ExpertProfile.objects.prefetch_related("fields", "countries", "languages"), pk=pk
    )
    if not permissions.can_view_public_expert_profile(request.user, profile):
        raise Http404
    view = expert_public_view(profile)
    for entry in view.get("languages", []):
        entry["language"] = language_name(entry["language"])
    return render(request, "advisory/experts/public.html", {"profile": profile, "view": view})


@login_required
def my_expert_page(request: HttpRequest) -> HttpResponse:
    """The expert's own page: their profile, the proposals to answer, their deployments and
    the reports they owe."""
    if not has_role(request.user, Role.EXPERT):
        raise PermissionDenied
    profile = expert_profile_of(request.user)
    context = {"profile": profile, "proposals": [], "deployments": [], "reports": []}
    if profile is not None:
        context["proposals"] = list(
            profile.proposals.select_related("need__partner_municipality").order_by(
                "state", "-created_at"
            )
        )
        context["deployments"] = list(
            profile.deployments.select_related("partner_municipality").order_by("-starts_on")
        )
        context["reports"] = list(
            DeploymentReport.objects.filter(deployment__expert=profile, submitted_at__isnull=True)
            .select_related("deployment__partner_municipality")
            .order_by("due_on")
        )
    return render(request, "advisory/experts/mine.html", context)


@require_POST
@login_required
def proposal_answer(request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.select_related("expert", "need"), pk=pk)
    if not permissions.can_decide_proposal(request.user, proposal):
        raise Http404
    if answer not in ("annehmen", "ablehnen"):
        raise Http404
    try:
        proposal_decide(actor=request.user, proposal=proposal, accept=answer == "annehmen")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("You have accepted the proposal.")
            if answer == "annehmen"
            else _("You have declined the proposal."),
        )
    return redirect("advisory:my_expert_page")
