"""Agency staff pass a second factor (TOTP) in every session before they can use anything else.

Two cases, asked of `second_factor` on every request of a person who needs it:
- no authenticator yet: only the set-up pages are open (set-up counts as passing);
- an authenticator, but this session has not used it (a login by password alone, after a
  password reset or e-mail confirmation, a session begun before the person became staff):
  the person is sent to enter a code, and comes back to where they were going.
The open-data API answers such a half-signed-in session as it answers the public.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import second_factor

#: Pages a staff member without a second factor may reach to set one up.
SET_UP_URL_NAMES = (
    "mfa_activate_totp",
    "mfa_index",
    "account_logout",
    "account_reauthenticate",
    "mfa_generate_recovery_codes",
    "mfa_view_recovery_codes",
)
#: Pages a staff member who has a second factor may reach before using it in this session.
CHECK_URL_NAMES = ("mfa_reauthenticate", "account_logout")


class StaffMFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._refusal(request)
        return response if response is not None else self.get_response(request)

    def _refusal(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        path = request.path_info
        if path.startswith((settings.STATIC_URL, settings.MEDIA_URL, "/healthz")):
            return None
        back_office = path.startswith(settings.CONTENT_SECURITY_POLICY_ADMIN_PATHS)
        if not second_factor.second_factor_required(user, back_office=back_office):
            return None
        set_up = second_factor.second_factor_set_up(user)
        if set_up and second_factor.session_passed_second_factor(request):
            return None
        if path.startswith("/api/"):
            request.user = AnonymousUser()
            return None
        if not set_up:
            if path in {reverse(name) for name in SET_UP_URL_NAMES}:
                return None
            messages.warning(
                request,
                _("As agency staff you need two-factor authentication. Please set it up now."),
            )
            return redirect("mfa_activate_totp")
        if path in {reverse(name) for name in CHECK_URL_NAMES}:
            return None
        messages.info(
            request,
            _("Please confirm this session with your second factor to continue."),
        )
        return redirect_to_login(request.get_full_path(), login_url=reverse("mfa_reauthenticate"))
