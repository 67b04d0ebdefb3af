"""Who must use a second factor, and whether this session has passed it.

Having a TOTP authenticator is not enough: a session is only trusted with staff work once the
person has entered a code *in that session* (at login, on re-authentication, or when they set
the authenticator up). Every way into a session (the site's login, a login after e-mail
confirmation or password reset, an invitation, a session begun before the person became staff,
a login forced by a test or a script) therefore meets the same check in the middleware, which
asks this module and nothing else.
"""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.http import HttpRequest

from .roles import is_agency_staff

#: The back office's entry permission: whoever holds it must use a second factor too.
BACK_OFFICE_PERMISSION = "wagtailadmin.access_admin"


def second_factor_required(user, *, back_office: bool = False) -> bool:
    """Agency staff, Django staff and superusers always; anyone else who would enter the back
    office (`back_office=True` asks the permission only there: it costs a query)."""
    if not settings.PARTNERPORTAL_STAFF_MFA_REQUIRED:
        return False
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff or is_agency_staff(user):
        return True
    return back_office and user.has_perm(BACK_OFFICE_PERMISSION)


def second_factor_set_up(user) -> bool:
    return is_mfa_enabled(user)


def session_passed_second_factor(request: HttpRequest) -> bool:
    """True when this session holds a record of a second-factor check by its own user.
    allauth keeps the records in the session, tied to the user they were made for."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def session_second_factor_record(request: HttpRequest, user, *, authenticator) -> None:
    """Note in the session that the person proved a second factor just now (used when they set
    one up: entering the first code is such a proof)."""
    from allauth.account.internal.flows.login import record_authentication

    record_authentication(
        request, user, "mfa", id=authenticator.pk, type=authenticator.type, at_setup=True
    )
