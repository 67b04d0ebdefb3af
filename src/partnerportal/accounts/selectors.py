"""Reads about people, memberships and invitations that depend on who asks."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet

from .models import ApiToken, Invitation, Membership, User
from .roles import MANAGING_ROLES


def membership_pending_for_decider(*, user: User) -> QuerySet[Membership]:
    """Requests this person may confirm: all of them for agency staff, otherwise those for the
    municipalities the person already edits for."""
    from .permissions import can_manage_memberships

    qs = Membership.objects.pending().select_related("user", "municipality")
    if can_manage_memberships(user):
        return qs.order_by("created_at")
    own = Membership.objects.active().filter(user=user).values("municipality_id")
    return qs.filter(municipality_id__in=own).exclude(user=user).order_by("created_at")


def membership_active_list() -> QuerySet[Membership]:
    return (
        Membership.objects.active()
        .select_related("user", "municipality")
        .order_by("municipality__name", "user__email")
    )


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("municipality")
        .order_by("municipality__name")
    )


def membership_deciders(*, municipality) -> list[User]:
    """Who hears of a new request: agency admins and editors plus the municipality's editors."""
    staff_groups = Group.objects.filter(name__in=MANAGING_ROLES)
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(groups__in=staff_groups)
            | Q(
                memberships__municipality=municipality, memberships__status=Membership.Status.ACTIVE
            )
        )
        .distinct()
        .order_by("email")
    )


def invitation_open_list() -> QuerySet[Invitation]:
    return (
        Invitation.objects.open()
        .select_related("municipality", "invited_by")
        .order_by("-created_at")
    )


def invitation_for_token(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("municipality").filter(token=token).first()


def api_token_list_for_user(*, user: User) -> QuerySet[ApiToken]:
    """A person's tokens, newest first: active ones, and revoked or expired ones as a record."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
