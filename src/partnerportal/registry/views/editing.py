"""Registry views: self-service editing, proposals, the status workflow, "still correct" (the
municipality's confirmation), the agency's check, and the list of stale entries with its
reminder rounds. Views parse input and render; registry.services decide."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerportal.core.concurrency import EditConflict
from partnerportal.core.forms import form_with_version

from .. import permissions
from ..forms.editing import (
    ActorFormSet,
    ContactFormSet,
    MunicipalityPickForm,
    PartnershipForm,
    ProposeForm,
    RejectForm,
    TransitionForm,
    VersionForm,
    formset_rows,
)
from ..forms.freshness import ReminderRoundForm, StaleScopeForm
from ..models import Municipality, Partnership, ReminderRound
from ..selectors import freshness
from ..selectors.history import partnership_changes_since
from ..services import freshness as freshness_services
from ..services import partnerships as services
from ..workflows import transition_get

SEARCH_LIMIT = 20


def partnership_page_url(partnership: Partnership) -> str:
    return reverse("registry:partnership_detail", kwargs={"pk": partnership.pk})


def municipality_page_url(municipality: Municipality) -> str:
    return reverse("registry:municipality_detail", kwargs={"pk": municipality.pk})


def _partnership(pk: int) -> Partnership:
    return get_object_or_404(
        Partnership.objects.select_related("municipality_a", "municipality_b"), pk=pk
    )


def _visible_partnership(request: HttpRequest, pk: int) -> Partnership:
    """The partnership, or 404 for one the person may not see: a page about a hidden proposal
    must not tell that it exists (a 403 would). Who may see but not act gets 403 after this."""
    partnership = _partnership(pk)
    if not permissions.can_view_partnership(request.user, partnership):
        raise Http404
    return partnership


def _error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _conflict_context(request: HttpRequest, conflict: EditConflict) -> dict:
    """What the page needs to say why nothing was saved: the changes since the version the form
    was read at, and the current version for the form that keeps the person's input."""
    partnership = conflict.obj
    changes = partnership_changes_since(
        partnership, version=conflict.expected_version, user=request.user
    )
    return {
        "conflict": True,
        "conflict_changes": changes,
        # A form sent twice (a double click, a second window): the change is the person's own.
        "conflict_by_you": bool(changes)
        and all(change.user_id == request.user.pk for change in changes),
        "current_version": conflict.current_version,
    }


def _conflict_page(
    request: HttpRequest,
    conflict: EditConflict,
    *,
    partnership: Partnership,
    action_url: str,
    button_label: str,
    reason: str | None = None,
) -> HttpResponse:
    """The one-button actions (confirm, reject, "still correct") refused for a conflict: what
    changed, and the same button again for the current version."""
    if conflict.deleted:
        messages.error(request, _("This partnership has been removed in the meantime."))
        return redirect(municipality_page_url(partnership.municipality_a))
    partnership.refresh_from_db()
    context = {
        **_conflict_context(request, conflict),
        "partnership": partnership,
        "action_url": action_url,
        "button_label": button_label,
        "reason": reason,
        "page_url": partnership_page_url(partnership),
    }
    return render(request, "registry/editing/conflict.html", context, status=409)


def _posted_version(request: HttpRequest) -> int:
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("The form is incomplete. Please reload the page and try again."))
    return form.cleaned_data["version"]


@login_required
def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _visible_partnership(request, pk)
    if not permissions.can_edit_partnership(request.user, partnership):
        raise PermissionDenied
    kwargs = {"form_kwargs": {"partnership": partnership}, "instance": partnership}
    conflict = {}
    if request.method == "POST":
        form = PartnershipForm(request.POST, instance=partnership)
        actors = ActorFormSet(request.POST, prefix="actors", **kwargs)
        contacts = ContactFormSet(request.POST, prefix="contacts", **kwargs)
        if form.is_valid() and actors.is_valid() and contacts.is_valid():
            data = form.cleaned_data
            try:
                services.partnership_update(
                    partnership=partnership,
                    actor=request.user,
                    expected_version=data["version"],
                    type=data["type"],
                    start_year=data["start_year"],
                    description=data["description"],
                    themes=data["themes"],
                    programmes=data["programmes"],
                    actors=formset_rows(actors),
                    contacts=formset_rows(contacts),
                )
            except EditConflict as error:
                if error.deleted:
                    messages.error(request, _("This partnership has been removed in the meantime."))
                    return redirect(municipality_page_url(partnership.municipality_a))
                conflict = _conflict_context(request, error)
                form_with_version(form, error.current_version)
            except ValidationError as error:
                _error(request, error)
            else:
                messages.success(request, _("The partnership has been saved."))
                return redirect(partnership_page_url(partnership))
        else:
            # Refused rows (an actor or contact someone removed meanwhile) come from a change
            # since the page was read: say what changed, not only that a hidden field is wrong.
            sent = request.POST.get(form.add_prefix("version"), "")
            if sent.isdecimal() and int(sent) != partnership.version:
                conflict = _conflict_context(
                    request,
                    EditConflict(
                        partnership,
                        expected_version=int(sent),
                        current_version=partnership.version,
                    ),
                )
                form_with_version(form, partnership.version)
        status = 409 if conflict else 400
    else:
        form = PartnershipForm(instance=partnership)
        actors = ActorFormSet(prefix="actors", **kwargs)
        contacts = ContactFormSet(prefix="contacts", **kwargs)
        status = 200
    context = {
        "partnership": partnership,
        "form": form,
        "actors": actors,
        "contacts": contacts,
        "page_url": partnership_page_url(partnership),
        "save_confirms": _save_confirms(request.user, partnership),
        **conflict,
    }
    return render(request, "registry/editing/partnership_edit.html", context, status=status)


def _save_confirms(user, partnership: Partnership) -> bool:
    """Whether this person's save counts as "still correct" (partnership_update records it):
    a municipal editor of either side, on a published partnership; staff saves do not."""
    return permissions.can_confirm_partnership_current(user, partnership)


@login_required
def partnership_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    partnership = _visible_partnership(request, pk)
    transition = transition_get(action)
    if transition is None:
        raise Http404
    if not transition.allowed(request.user, partnership):
        raise PermissionDenied
    form = TransitionForm(request.POST or None, initial={"version": partnership.version})
    conflict = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_transition(
                partnership=partnership,
                action=action,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                valid_from=form.cleaned_data["valid_from"],
                note=form.cleaned_data["note"],
            )
        except EditConflict as error:
            if error.deleted:
                messages.error(request, _("This partnership has been removed in the meantime."))
                return redirect(municipality_page_url(partnership.municipality_a))
            conflict = _conflict_context(request, error)
            form_with_version(form, error.current_version)
            partnership.refresh_from_db()
        except ValidationError as error:
            _error(request, error)
            return redirect(partnership_page_url(partnership))
        else:
            messages.success(request, _("The status has been changed."))
            return redirect(partnership_page_url(partnership))
    context = {"partnership": partnership, "transition": transition, "form": form, **conflict}
    status = 409 if conflict else 400 if form.is_bound else 200
    return render(request, "registry/editing/transition.html", context, status=status)


@require_POST
@login_required
def partnership_confirm_current(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _visible_partnership(request, pk)
    if not permissions.can_confirm_partnership_current(request.user, partnership):
        raise PermissionDenied
    return _confirm_current(request, partnership, request.path)


def _versioned_action(
    request: HttpRequest,
    partnership: Partnership,
    service,
    *,
    action_url: str,
    button_label: str,
    done: str,
) -> HttpResponse:
    """Run a one-button service that takes the version the page was read at: a change made in
    the meantime shows the conflict page (with the button again), a refusal its message, success
    `done`; then back to the partnership."""
    try:
        service(
            partnership=partnership,
            actor=request.user,
            expected_version=_posted_version(request),
        )
    except EditConflict as conflict:
        return _conflict_page(
            request,
            conflict,
            partnership=partnership,
            action_url=action_url,
            button_label=button_label,
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, done)
    return redirect(partnership_page_url(partnership))


def _confirm_current(request: HttpRequest, partnership: Partnership, action_url: str):
    return _versioned_action(
        request,
        partnership,
        services.partnership_confirm_current,
        action_url=action_url,
        button_label=_("Yes, still correct"),
        done=_("Thank you: the entry is confirmed as correct."),
    )


@require_POST
@login_required
def partnership_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: "checked by the agency" (not the municipality's confirmation)."""
    partnership = _visible_partnership(request, pk)
    if not permissions.can_check_partnership(request.user, partnership):
        raise PermissionDenied
    return _versioned_action(
        request,
        partnership,
        services.partnership_check,
        action_url=request.path,
        button_label=_("Mark as checked by the agency"),
        done=_("The entry is marked as checked by the agency."),
    )


@login_required
def partnership_confirm_link(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed 'still correct' link: GET shows one button, only the POST confirms, and
    only for the person the link was sent to."""
    read = services.confirmation_token_read(token)
    if read is None:
        return render(request, "registry/editing/confirm_link.html", {"invalid": True}, status=400)
    partnership_id, user_id = read
    if user_id != request.user.pk:
        raise PermissionDenied
    partnership = _visible_partnership(request, partnership_id)
    if not permissions.can_confirm_partnership_current(request.user, partnership):
        raise PermissionDenied
    if request.method == "POST":
        return _confirm_current(request, partnership, request.path)
    context = {"partnership": partnership, "page_url": partnership_page_url(partnership)}
    return render(request, "registry/editing/confirm_link.html", context)


@login_required
def partnership_propose(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = get_object_or_404(Municipality, pk=pk)
    if not permissions.can_propose_partnership(request.user, municipality):
        raise PermissionDenied
    search = MunicipalityPickForm(request.GET or None)
    results = []
    if search.is_valid() and search.cleaned_data["q"]:
        results = list(
            Municipality.objects.search(search.cleaned_data["q"])
            .exclude(pk=municipality.pk)
            .select_related("country")[:SEARCH_LIMIT]
        )
    form = ProposeForm(request.POST or None, initial={"partner": request.GET.get("partner")})
    partner = None
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                partnership = services.partnership_propose(
                    actor=request.user,
                    municipality=municipality,
                    partner=data["partner"],
                    type=data["type"],
                    status=data["status"],
                    start_year=data["start_year"],
                    description=data["description"],
                )
            except ValidationError as error:
                _error(request, error)
            else:
                messages.success(
                    request,
                    _("Thank you. The agency will check the partnership before it is public."),
                )
                return redirect(partnership_page_url(partnership))
        partner = form.cleaned_data.get("partner") if hasattr(form, "cleaned_data") else None
    elif request.GET.get("partner", "").isdecimal():  # not isdigit(): int("²") fails
        partner = Municipality.objects.filter(pk=request.GET["partner"]).first()
    context = {
        "municipality": municipality,
        "search": search,
        "results": results,
        "partner": partner,
        "form": form,
        "page_url": municipality_page_url(municipality),
    }
    return render(request, "registry/editing/propose.html", context)


@require_POST
@login_required
def partnership_proposal_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _visible_partnership(request, pk)
    if not permissions.can_confirm_proposed_partnership(request.user, partnership):
        raise PermissionDenied
    return _versioned_action(
        request,
        partnership,
        services.partnership_confirm_proposal,
        action_url=request.path,
        button_label=_("Confirm proposal"),
        done=_("The partnership is confirmed and now public."),
    )


@require_POST
@login_required
def partnership_proposal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _visible_partnership(request, pk)
    if not permissions.can_reject_proposed_partnership(request.user, partnership):
        raise PermissionDenied
    form = RejectForm(request.POST)
    if not form.is_valid():
        _error(
            request,
            ValidationError(_("The form is incomplete. Please reload the page and try again.")),
        )
        return redirect(partnership_page_url(partnership))
    reason = form.cleaned_data["reason"]
    municipality = partnership.municipality_a
    try:
        services.partnership_reject_proposal(
            partnership=partnership,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            reason=reason,
        )
    except EditConflict as conflict:
        return _conflict_page(
            request,
            conflict,
            partnership=partnership,
            action_url=request.path,
            button_label=_("Reject proposal"),
            reason=reason,
        )
    messages.success(request, _("The proposal has been removed."))
    return redirect(municipality_page_url(municipality))


@login_required
def stale_list(request: HttpRequest) -> HttpResponse:
    """The entries no municipality has confirmed within a year or ever, narrowed to a Land or a
    municipality, with the running reminder rounds and the municipalities nobody can be asked
    at (no editor)."""
    if not permissions.can_view_stale_partnerships(request.user):
        raise PermissionDenied
    scope_form = StaleScopeForm(request.GET or None, states=freshness.states())
    scope = freshness.Scope()
    if scope_form.is_valid():
        data = scope_form.cleaned_data
        scope = freshness.Scope(state=data["state"], municipality=data["municipality_obj"])
        if scope.municipality is not None:
            scope = freshness.Scope(municipality=scope.municipality)
    paginator = Paginator(freshness.partnerships_stale(scope=scope), 50)
    page = paginator.get_page(request.GET.get("page"))
    for partnership in page.object_list:
        partnership.editor_sides = [
            (partnership.municipality_a, partnership.editors_a),
            (partnership.municipality_b, partnership.editors_b),
        ]
    scope_query = ""
    if scope.municipality is not None:
        scope_query = urlencode({"municipality": scope.municipality.ags})
    elif scope.state:
        scope_query = urlencode({"state": scope.state})
    round_form = ReminderRoundForm(
        initial={"state": scope.state, "municipality": scope.municipality}
    )
    context = {
        "page": page,
        "stale_after_days": freshness.STALE_AFTER.days,
        "scope": scope,
        "scope_form": scope_form,
        "summary": freshness.stale_summary(scope=scope),
        "without_editor": freshness.municipalities_without_editor(scope=scope),
        "rounds": freshness.reminder_rounds_running(),
        "round_form": round_form,
        "scope_query": scope_query,
    }
    return render(request, "registry/editing/stale_list.html", context)


@require_POST
@login_required
def reminder_round_start(request: HttpRequest) -> HttpResponse:
    if not permissions.can_run_reminder_rounds(request.user):
        raise PermissionDenied
    form = ReminderRoundForm(request.POST)
    if not form.is_valid():
        _error(request, ValidationError([e for errors in form.errors.values() for e in errors]))
        return redirect("registry:stale_list")
    data = form.cleaned_data
    reminder_round = freshness_services.reminder_round_start(
        actor=request.user,
        per_municipality=data["per_municipality"],
        state=data["state"],
        municipality=data["municipality"],
    )
    messages.success(
        request,
        _("The reminder round for %(scope)s has started: the next daily run asks the first batch.")
        % {"scope": reminder_round.scope_label},
    )
    return redirect("registry:stale_list")


@require_POST
@login_required
def reminder_round_end(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_run_reminder_rounds(request.user):
        raise PermissionDenied
    reminder_round = get_object_or_404(ReminderRound, pk=pk)
    freshness_services.reminder_round_end(reminder_round=reminder_round, actor=request.user)
    messages.success(
        request,
        _("The reminder round for %(scope)s has ended.") % {"scope": reminder_round.scope_label},
    )
    return redirect("registry:stale_list")


urlpatterns = [
    path(
        "partnerschaften/<int:pk>/bearbeiten/",
        partnership_edit,
        name="partnership_edit",
    ),
    path(
        "partnerschaften/<int:pk>/status/<slug:action>/",
        partnership_transition,
        name="partnership_transition",
    ),
    path(
        "partnerschaften/<int:pk>/noch-aktuell/",
        partnership_confirm_current,
        name="partnership_confirm_current",
    ),
    path(
        "noch-aktuell/<str:token>/",
        partnership_confirm_link,
        name="partnership_confirm_link",
    ),
    path(
        "kommunen/<int:pk>/partnerschaft-vorschlagen/",
        partnership_propose,
        name="partnership_propose",
    ),
    path(
        "partnerschaften/<int:pk>/vorschlag/bestaetigen/",
        partnership_proposal_confirm,
        name="partnership_proposal_confirm",
    ),
    path(
        "partnerschaften/<int:pk>/vorschlag/ablehnen/",
        partnership_proposal_reject,
        name="partnership_proposal_reject",
    ),
    path(
        "partnerschaften/<int:pk>/geprueft/",
        partnership_check,
        name="partnership_check",
    ),
    path("veraltet/", stale_list, name="stale_list"),
    path("veraltet/erinnerungsrunde/", reminder_round_start, name="reminder_round_start"),
    path(
        "veraltet/erinnerungsrunde/<int:pk>/beenden/",
        reminder_round_end,
        name="reminder_round_end",
    ),
]
