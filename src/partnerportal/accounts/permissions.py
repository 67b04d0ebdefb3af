"""Who may do what with accounts, memberships and invitations. Views, API and templates ask here.

Each check answers for one person and one object, state included, so that a page can ask the same
function to decide whether to draw a button that the service will later enforce."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .roles import API_TOKEN_ROLES, MANAGING_ROLES, Role, edited_municipality_ids, has_role

if TYPE_CHECKING:
    from django.db.models import Model

    from .models import ApiToken, Invitation, Membership

    #: The registry's Municipality, which memberships point at; accounts sits below the registry
    #: (docs/decisions/0006), so the rules take any model instance and never import it.
    Municipality = Model


def _is_person(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def can_manage_memberships(user) -> bool:
    return has_role(user, *MANAGING_ROLES)


def can_request_membership(user, municipality: Municipality) -> bool:
    """A registered person may ask to join, unless a request or membership is already running."""
    from .models import Membership

    if not _is_person(user):
        return False
    return not Membership.objects.filter(
        user=user,
        municipality=municipality,
        status__in=(Membership.Status.REQUESTED, Membership.Status.ACTIVE),
    ).exists()


def may_decide_membership(user, membership: Membership) -> bool:
    """Who decides a request (the state is the workflow table's, accounts.workflows): agency
    admins and editors, or someone already editing for that municipality, never the person."""
    if not _is_person(user) or membership.user_id == user.pk:
        return False
    # The municipalities are read once per request object (a list asks for every row).
    return can_manage_memberships(user) or (
        membership.municipality_id in edited_municipality_ids(user)
    )


def is_membership_holder(user, membership: Membership) -> bool:
    """Only the person themselves asks, withdraws a request or leaves a membership."""
    return _is_person(user) and membership.user_id == user.pk


def may_end_membership(user, membership: Membership) -> bool:
    """Agency staff end someone's membership (e.g. they left the municipality)."""
    return _is_person(user) and can_manage_memberships(user)


def can_decide_membership(user, membership: Membership) -> bool:
    from .models import Membership

    return membership.status == Membership.Status.REQUESTED and may_decide_membership(
        user, membership
    )


def can_withdraw_membership(user, membership: Membership) -> bool:
    from .models import Membership

    return membership.status in (
        Membership.Status.REQUESTED,
        Membership.Status.ACTIVE,
    ) and is_membership_holder(user, membership)


def can_end_membership(user, membership: Membership) -> bool:
    from .models import Membership

    return membership.status == Membership.Status.ACTIVE and may_end_membership(user, membership)


def can_create_invitation(user, municipality: Municipality | None = None) -> bool:
    return _is_person(user) and can_manage_memberships(user)


def can_revoke_invitation(user, invitation: Invitation) -> bool:
    return _is_person(user) and can_manage_memberships(user) and invitation.is_open


def can_accept_invitation(user, invitation: Invitation) -> bool:
    """The invitation is bound to an address: only its verified owner may accept it."""
    from allauth.account.models import EmailAddress

    if not _is_person(user) or not invitation.is_open:
        return False
    return EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()


def can_export_account(user, person) -> bool:
    """Personal data goes to the person themselves, to no one else."""
    return _is_person(user) and person is not None and user.pk == person.pk


def can_delete_account(user, person) -> bool:
    return _is_person(user) and person is not None and user.pk == person.pk


def can_hold_api_token(user) -> bool:
    """Agency staff (roles.API_TOKEN_ROLES) for their integrations. Asked again on every request
    a token makes: a person who loses the role loses what their tokens could do."""
    return (
        _is_person(user)
        and getattr(user, "anonymised_at", None) is None
        and has_role(user, *API_TOKEN_ROLES)
    )


def can_create_api_token(actor, user) -> bool:
    """A person makes tokens for themselves only: a token made by someone else would let that
    someone act in their name. (The command line, with no actor, is the server's operator.)"""
    if not can_hold_api_token(user):
        return False
    return actor is None or (_is_person(actor) and actor.pk == user.pk)


def can_view_api_token(user, token: ApiToken) -> bool:
    """The holder, and the agency's administrators (who may need to revoke one)."""
    return _is_person(user) and (token.user_id == user.pk or has_role(user, Role.AGENCY_ADMIN))


def can_revoke_api_token(user, token: ApiToken) -> bool:
    """The holder (even after losing the role: stopping a token is always allowed) and the
    agency's administrators, e.g. when a colleague has left; a revoked token stays revoked."""
    return token.revoked_at is None and can_view_api_token(user, token)
