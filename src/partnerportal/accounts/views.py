"""Pages of the account area. Views parse input and render; the services decide."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import permissions, second_factor, selectors, services
from .forms import (
    AccountDeleteForm,
    ApiTokenForm,
    InvitationForm,
    MembershipRequestForm,
    ProfileForm,
)
from .models import ApiToken, Invitation, Membership
from .roles import user_roles


def _next_or(request: HttpRequest, default: str) -> HttpResponse:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user)
        if form.is_valid():
            services.user_profile_update(
                actor=user,
                user=user,
                name=form.cleaned_data["name"],
                language=form.cleaned_data["language"],
            )
            messages.success(request, _("Your details have been saved."))
            return redirect("accounts:overview")
    else:
        form = ProfileForm(instance=user)
    context = {
        "form": form,
        "roles": sorted(user_roles(user)),
        "memberships": selectors.membership_list_for_user(user=user),
        "pending": selectors.membership_pending_for_decider(user=user),
        "can_manage_memberships": permissions.can_manage_memberships(user),
        "can_hold_api_tokens": permissions.can_hold_api_token(user),
    }
    if context["can_hold_api_tokens"]:
        context["api_token_count"] = ApiToken.objects.active().filter(user=user).count()
    return render(request, "accounts/overview.html", context)


@login_required
def staff_memberships(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_memberships(request.user):
        raise PermissionDenied
    return render(request, "accounts/staff_memberships.html", _staff_context(request))


def _staff_context(request: HttpRequest, invitation_form: InvitationForm | None = None) -> dict:
    """The editors page: pending requests, active editors, open invitations and the form."""
    return {
        "pending": selectors.membership_pending_for_decider(user=request.user),
        "active": selectors.membership_active_list(),
        "invitations": selectors.invitation_open_list(),
        "invitation_form": invitation_form or InvitationForm(),
    }


@login_required
def membership_request(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = MembershipRequestForm(request.POST)
        if form.is_valid():
            try:
                services.membership_request(
                    actor=request.user,
                    municipality=form.cleaned_data["municipality"],
                    message=form.cleaned_data["message"],
                )
            except PermissionDenied:
                form.add_error(
                    "municipality",
                    _("You already have a request or membership for this municipality."),
                )
            else:
                messages.success(request, _("Your request has been sent. You will hear from us."))
                return redirect("accounts:overview")
    else:
        form = MembershipRequestForm()
    return render(request, "accounts/membership_request.html", {"form": form})


def _membership_action(request: HttpRequest, pk: int, service, success: str) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("user", "municipality"), pk=pk)
    try:
        service(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return _next_or(request, "accounts:overview")


@require_POST
@login_required
def membership_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _membership_action(
        request, pk, services.membership_confirm, _("The membership has been confirmed.")
    )


@require_POST
@login_required
def membership_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _membership_action(
        request, pk, services.membership_decline, _("The request has been declined.")
    )


@require_POST
@login_required
def membership_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _membership_action(
        request, pk, services.membership_withdraw, _("Done: you have withdrawn.")
    )


@require_POST
@login_required
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _membership_action(
        request, pk, services.membership_end, _("The membership has been ended.")
    )


@require_POST
@login_required
def invitation_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_invitation(request.user):
        raise PermissionDenied
    form = InvitationForm(request.POST)
    if form.is_valid():
        services.invitation_create(
            actor=request.user,
            email=form.cleaned_data["email"],
            municipality=form.cleaned_data["municipality"],
            language=form.cleaned_data["language"],
        )
        messages.success(
            request,
            _("The invitation has been sent to %(email)s.") % {"email": form.cleaned_data["email"]},
        )
        return redirect("accounts:staff_memberships")
    context = _staff_context(request, form)
    return render(request, "accounts/staff_memberships.html", context, status=400)


@require_POST
@login_required
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation has been revoked."))
    return redirect("accounts:staff_memberships")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_for_token(token=token)
    if invitation is None:
        return render(request, "accounts/invitation_accept.html", {"invitation": None}, status=404)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            services.invitation_accept(actor=request.user, invitation=invitation)
        except services.InvitationRefused as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Welcome! You now edit for %(municipality)s.")
                % {"municipality": invitation.municipality.name},
            )
            return redirect("accounts:overview")
    refusal = services.invitation_refusal(user=request.user, invitation=invitation)
    reason = refusal[1] if refusal else None
    context = {
        "invitation": invitation,
        "reason": reason,
        "needs_login": not request.user.is_authenticated and invitation.is_open,
    }
    return render(request, "accounts/invitation_accept.html", context)


@login_required
def data_export(request: HttpRequest) -> HttpResponse:
    payload = services.account_export_json(actor=request.user, user=request.user)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="partnerportal-meine-daten.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = AccountDeleteForm(request.POST, user=request.user)
        if form.is_valid():
            services.account_delete(actor=request.user, user=request.user)
            logout(request)
            messages.success(request, _("Your account has been deleted. Thank you for your work."))
            return redirect("/")
    else:
        form = AccountDeleteForm(user=request.user)
    from .personal_data import personal_data_erasure_notes

    return render(
        request,
        "accounts/account_delete.html",
        {"form": form, "kept": personal_data_erasure_notes()},
    )


# --- API tokens ----------------------------------------------------------------------------


def _second_factor_refusal(request: HttpRequest) -> HttpResponse | None:
    """Making a token hands out a key to the account: only in a session that has passed the
    second factor, whatever STAFF_MFA_REQUIRED says (staff sessions pass it anyway when it is
    on; this holds when it is off too). Revoking needs nothing more than the login: stopping a
    token must never be hard."""
    if second_factor.session_passed_second_factor(request):
        return None
    if second_factor.second_factor_set_up(request.user):
        messages.info(
            request,
            _("Please confirm this session with your second factor to create an API token."),
        )
        return redirect_to_login(
            reverse("accounts:api_tokens"), login_url=reverse("mfa_reauthenticate")
        )
    messages.warning(
        request, _("To create API tokens, please set up two-factor authentication first.")
    )
    return redirect("mfa_activate_totp")


def _no_store(response: HttpResponse) -> HttpResponse:
    """The page may hold a secret: no cache, no back-button copy."""
    response["Cache-Control"] = "no-store"
    return response


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """Agency staff: their tokens, and a new one whose secret this answer shows once (it is
    rendered, not redirected to: the secret is never stored, not even in the session)."""
    user = request.user
    if not permissions.can_hold_api_token(user):
        raise PermissionDenied
    created = secret = None
    form = ApiTokenForm()
    if request.method == "POST":
        refusal = _second_factor_refusal(request)
        if refusal is not None:
            return refusal
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                created, secret = services.api_token_create(
                    actor=user,
                    user=user,
                    name=form.cleaned_data["name"],
                    expires_at=timezone.now() + timedelta(days=form.cleaned_data["lifetime"]),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                form = ApiTokenForm()
    context = {
        "form": form,
        "tokens": selectors.api_token_list_for_user(user=user),
        "created": created,
        "secret": secret,
        "second_factor_passed": second_factor.session_passed_second_factor(request),
        "second_factor_set_up": second_factor.second_factor_set_up(user),
    }
    status = 400 if form.is_bound and form.errors else 200
    return _no_store(render(request, "accounts/api_tokens.html", context, status=status))


@login_required
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (GET), revokes on POST. Only the holder's own tokens are found here."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if request.method == "POST":
        try:
            services.api_token_revoke(actor=request.user, token=token)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The API token “%(name)s” has been revoked; it no longer works.")
                % {"name": token.name},
            )
        return redirect("accounts:api_tokens")
    return render(request, "accounts/api_token_revoke.html", {"token": token})
