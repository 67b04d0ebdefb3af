"""The roles people hold. Staff roles are Django groups (so Wagtail's permissions attach to them);
being a municipal editor follows from an active membership; 'registered' from having an account."""

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    AGENCY_EDITOR = "agency_editor", _("Agency editor")
    REVIEWER = "reviewer", _("Reviewer")
    EXPERT = "expert", _("Expert")
    MUNICIPAL_EDITOR = "municipal_editor", _("Municipal editor")
    REGISTERED = "registered", _("Registered user")
    PUBLIC = "public", _("Public")


#: Roles that are granted by group membership (the others are derived).
GROUP_ROLES = (Role.AGENCY_ADMIN, Role.AGENCY_EDITOR, Role.REVIEWER, Role.EXPERT)
#: Roles whose holders work for the agency and must use a second factor.
STAFF_ROLES = frozenset({Role.AGENCY_ADMIN, Role.AGENCY_EDITOR, Role.REVIEWER})
#: The agency's administration and editorial staff: they manage editors, registry records,
#: countries, pages and the audit trail.
MANAGING_ROLES = (Role.AGENCY_ADMIN, Role.AGENCY_EDITOR)
#: Who may hold API tokens: the agency's staff, for the integrations that create events and
#: deployments. They already must use a second factor; a token acts with its holder's
#: permissions, never more, and stops working when the holder loses these roles.
API_TOKEN_ROLES = tuple(sorted(STAFF_ROLES))


def user_roles(user) -> frozenset[str]:
    """All roles of a user, computed once per request object and kept on it (never across
    requests: no state in process memory)."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return frozenset({Role.PUBLIC})
    cached = getattr(user, "_partnerportal_roles", None)
    if cached is not None:
        return cached
    roles = {Role.REGISTERED}
    roles.update(user.groups.filter(name__in=GROUP_ROLES).values_list("name", flat=True))
    if user.is_superuser:
        roles.add(Role.AGENCY_ADMIN)
    if edited_municipality_ids(user):
        roles.add(Role.MUNICIPAL_EDITOR)
    result = frozenset(Role(r) for r in roles)
    user._partnerportal_roles = result
    return result


def edited_municipality_ids(user) -> frozenset[int]:
    """The municipalities `user` actively edits for, read once per request object (a page asks
    for every partnership and contact on it)."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_partnerportal_municipalities", None)
    if cached is None:
        cached = frozenset(user.memberships.active().values_list("municipality_id", flat=True))
        user._partnerportal_municipalities = cached
    return cached


def forget_roles(user) -> None:
    """Call after a change of groups or memberships within the same request."""
    for attribute in ("_partnerportal_roles", "_partnerportal_municipalities"):
        if hasattr(user, attribute):
            delattr(user, attribute)


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def is_agency_staff(user) -> bool:
    return has_role(user, *STAFF_ROLES)
