"""Agency staff must set up a second factor (TOTP) before they can use anything else."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .roles import is_agency_staff


class StaffMFARequiredMiddleware:
    #: Paths a staff member without a second factor may still reach.
    ALLOWED_URL_NAMES = (
        "mfa_activate_totp",
        "mfa_index",
        "account_logout",
        "account_reauthenticate",
        "mfa_generate_recovery_codes",
        "mfa_view_recovery_codes",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            messages.warning(
                request,
                _("As agency staff you need two-factor authentication. Please set it up now."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _must_set_up_mfa(self, request) -> bool:
        if not settings.PARTNERPORTAL_STAFF_MFA_REQUIRED:
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        # Most people are not staff: ask that first (the roles are cached on the user and the
        # header needs them anyway) before reversing URLs or reading authenticators.
        if not is_agency_staff(user):
            return False
        path = request.path_info
        if path.startswith((settings.STATIC_URL, settings.MEDIA_URL, "/healthz", "/api/")):
            return False
        if path in {reverse(name) for name in self.ALLOWED_URL_NAMES}:
            return False
        return not is_mfa_enabled(user)
