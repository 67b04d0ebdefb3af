"""Writes about people, memberships and invitations. Views, API and commands all come through here:
each function checks who may act and in which state, saves inside one transaction with the change
attributed for the audit trail, and then tells the people concerned."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partnerportal.audit import selectors as audit_selectors
from partnerportal.audit.services import attribute_change
from partnerportal.core.dates import display_date
from partnerportal.core.workflows import transition_check, transition_permitted
from partnerportal.notifications import services as notifications
from partnerportal.notifications.events import Event
from partnerportal.notifications.models import Activity

from . import permissions, workflows
from .actions import AccountsAction
from .models import ApiToken, Invitation, Membership, User
from .personal_data import personal_data_providers
from .roles import forget_roles, user_roles

logger = logging.getLogger(__name__)

# --- Notifications -------------------------------------------------------------------------


def _notify(
    *, event: str, recipients: list[User], actor: User | None, target: Any, context=None
) -> None:
    """The notifications app decides who is reachable (not the actor, not the inactive) and
    routes to e-mail and feed."""
    notifications.notify(
        event=event, recipients=recipients, actor=actor, target=target, context=context or {}
    )


def _on_commit(func) -> None:
    """Tell people only once the change is stored (a rollback must not leave e-mails behind)."""
    transaction.on_commit(func)


# --- Memberships ---------------------------------------------------------------------------


def membership_transition(
    *, obj: Membership, action: str, actor: User, message: str = ""
) -> Membership | None:
    """The one way a membership's status changes: the table in accounts.workflows decides who
    may do what from which state, what is recorded and who is told. `obj` may be an unsaved
    membership of the actor ("request": the row is created, or a declined or ended one is
    reused, one per person and municipality). Returns None when the row is deleted."""
    # Who may, before anything is locked; the state is judged under the lock.
    transition_permitted(workflows.TRANSITIONS, action=action, obj=obj, actor=actor)
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .filter(user_id=obj.user_id, municipality_id=obj.municipality_id)
            .first()
        ) or obj
        state = workflows.state_of(membership)
        transition = transition_check(
            workflows.TRANSITIONS, action=action, obj=membership, actor=actor, state=state,
            state_label=_membership_state_label(state), wrong_state_message=_refusal(action),
        )  # fmt: skip
        attribute_change(membership, actor=actor, action=transition.audit_action)
        if transition.target is None:
            membership.delete()
            forget_roles(membership.user)
            return None
        membership.status = transition.target
        if transition.action == "request":
            membership.message = message.strip()
            membership.created_at = timezone.now()
            membership.decided_at = None
            membership.decided_by = None
        else:
            membership.decided_at = timezone.now()
            membership.decided_by = actor
        membership.save()
        forget_roles(membership.user)
        if transition.event:
            recipients = transition.recipients(membership)
            _on_commit(
                lambda: _notify(
                    event=transition.event, recipients=recipients, actor=actor, target=membership
                )
            )
    return membership


def _membership_state_label(state: str) -> str:
    return str(Membership.Status(state).label) if state else ""


def _refusal(action: str) -> str | None:
    """The words for a refusal because of the state, where the generic ones would not do."""
    return {
        "request": _("You already have a request or membership for this municipality."),
        "confirm": _("This request has already been decided."),
        "decline": _("This request has already been decided."),
        "end": _("This membership is not active."),
    }.get(action)


def membership_restore(*, obj: Membership, previous, actor, expected_version: int | None):
    """The revert of the audit trail for memberships (registered with audit.restore): refused.
    A membership changes only through its own steps (accounts/workflows.py), each told to the
    people concerned; bringing an ended or declined one back to life, or a withdrawn request,
    would skip them. The person asks again, or the editors invite them."""
    raise ValidationError(
        _(
            "A membership cannot be reverted. It changes only through its own steps: the "
            "person asks again, or the agency invites them."
        ),
        code="membership_not_revertible",
    )


def membership_request(*, actor: User, municipality, message: str = "") -> Membership:
    """A person asks to edit for a municipality; someone who knows them there decides."""
    membership = Membership.objects.filter(user=actor, municipality=municipality).first()
    return membership_transition(
        obj=membership or Membership(user=actor, municipality=municipality),
        action="request",
        actor=actor,
        message=message,
    )


def membership_confirm(*, actor: User, membership: Membership) -> Membership:
    """The person becomes an editor for the municipality."""
    return membership_transition(obj=membership, action="confirm", actor=actor)


def membership_decline(*, actor: User, membership: Membership) -> Membership:
    """The request is refused; the row stays so that the decision can be traced."""
    return membership_transition(obj=membership, action="decline", actor=actor)


def membership_withdraw(*, actor: User, membership: Membership) -> Membership | None:
    """The person takes back a request (deleted) or leaves a membership (kept as ended)."""
    action = "withdraw" if membership.status == Membership.Status.REQUESTED else "leave"
    return membership_transition(obj=membership, action=action, actor=actor)


def membership_end(*, actor: User, membership: Membership) -> Membership:
    """Agency staff end an active membership, e.g. when someone leaves the municipality."""
    return membership_transition(obj=membership, action="end", actor=actor)


# --- Invitations ---------------------------------------------------------------------------


def invitation_accept_url(invitation: Invitation, *, language: str) -> str:
    with translation.override(language):
        path = reverse("accounts:invitation_accept", kwargs={"token": invitation.token})
    return settings.SITE_URL.rstrip("/") + path


def invitation_create(
    *, actor: User, email: str, municipality, language: str | None = None
) -> Invitation:
    """Agency staff bring a known contact in directly, without the request-and-confirm round."""
    if not permissions.can_create_invitation(actor, municipality):
        raise PermissionDenied
    email = email.strip()
    existing = User.objects.filter(email__iexact=email).first()
    language = language or (existing.language if existing else None) or settings.LANGUAGE_CODE
    with transaction.atomic():
        invitation = Invitation(email=email, municipality=municipality, invited_by=actor)
        attribute_change(invitation, actor=actor, action=AccountsAction.INVITATION_SENT)
        invitation.save()
        with translation.override(language):
            expires_on = display_date(invitation.expires_at)
        notifications.email_to_address(
            event=Event.INVITATION_RECEIVED,
            to_email=email,
            language=language,
            context={
                "municipality_name": municipality.name,
                "inviter_name": actor.display_name,
                "accept_url": invitation_accept_url(invitation, language=language),
                "expires_on": expires_on,
            },
        )
        if existing is not None:
            _on_commit(
                lambda: _notify(
                    event=Event.INVITATION_SENT,
                    recipients=[existing],
                    actor=actor,
                    target=invitation,
                )
            )
    return invitation


class InvitationRefused(ValidationError):
    """The invitation cannot be used; the message says why in words for the person."""


def invitation_refusal(*, user, invitation: Invitation) -> tuple[str, str] | None:
    """Why this person cannot accept this invitation, as (code, message), or None if they can."""
    if invitation.revoked_at is not None:
        return "revoked", _(
            "This invitation has been withdrawn. Please ask the agency for a new one."
        )
    if invitation.accepted_at is not None:
        return "used", _("This invitation has already been used.")
    if invitation.expires_at <= timezone.now():
        return "expired", _("This invitation has expired. Please ask the agency for a new one.")
    if user is None or not user.is_authenticated:
        return "login_required", _(
            "Please log in, or sign up, with the e-mail address %(email)s "
            "to accept this invitation."
        ) % {"email": invitation.email}
    if not permissions.can_accept_invitation(user, invitation):
        return "wrong_email", _(
            "This invitation was sent to %(email)s. Please log in with that address, or add and "
            "verify it in your e-mail settings, to accept it."
        ) % {"email": invitation.email}
    return None


def invitation_accept(*, actor: User, invitation: Invitation) -> Membership:
    """The invited person becomes an editor at once: the agency vouched for them."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        refusal = invitation_refusal(user=actor, invitation=invitation)
        if refusal:
            code, message = refusal
            raise InvitationRefused(message, code=code)
        now = timezone.now()
        invitation.accepted_at = now
        invitation.accepted_by = actor
        attribute_change(invitation, actor=actor, action=AccountsAction.INVITATION_ACCEPTED)
        invitation.save()
        membership = (
            Membership.objects.select_for_update()
            .filter(user=actor, municipality=invitation.municipality)
            .first()
        ) or Membership(user=actor, municipality=invitation.municipality)
        membership.status = Membership.Status.ACTIVE
        membership.decided_at = now
        membership.decided_by = invitation.invited_by
        attribute_change(membership, actor=actor, action=AccountsAction.MEMBERSHIP_CONFIRMED)
        membership.save()
        forget_roles(actor)
    return membership


def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    """A link sent to the wrong person, or no longer wanted, stops working."""
    if not permissions.can_revoke_invitation(actor, invitation):
        raise PermissionDenied
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise ValidationError(_("This invitation can no longer be revoked."))
        invitation.revoked_at = timezone.now()
        attribute_change(invitation, actor=actor, action=AccountsAction.INVITATION_REVOKED)
        invitation.save()
    return invitation


# --- The person's own account --------------------------------------------------------------


def user_profile_update(*, actor: User, user: User, name: str, language: str) -> User:
    """Name and language are the person's own: the language decides which e-mails they read."""
    if actor.pk != user.pk:
        raise PermissionDenied
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language."))
    with transaction.atomic():
        user.name = name.strip()
        user.language = language
        attribute_change(user, actor=actor, action=AccountsAction.PROFILE_UPDATED)
        user.save(update_fields=["name", "language"])
    return user


def _row(obj, fields: list[str]) -> dict:
    return {f: getattr(obj, f) for f in fields}


#: What an entry the person caused for someone else says about that someone: left out.
_RECIPIENT_FIELDS = frozenset({"recipient_id", "read_at"})


def _activity_rows(user: User) -> list[dict]:
    """Activity feed entries the person received or caused; of those they caused for someone
    else, not who received them nor when they read them (the recipient's data, not theirs)."""
    entries = Activity.objects.filter(Q(recipient=user) | Q(actor=user)).order_by("created_at")
    return [
        {
            field.attname: getattr(entry, field.attname)
            for field in Activity._meta.concrete_fields
            if entry.recipient_id == user.pk or field.attname not in _RECIPIENT_FIELDS
        }
        for entry in entries
    ]


def account_export(*, actor: User, user: User) -> dict:
    """Everything stored about the person, for their right of access (Art. 15 GDPR)."""
    if not permissions.can_export_account(actor, user):
        raise PermissionDenied
    data: dict[str, Any] = {
        "exported_at": timezone.now(),
        "profile": {
            **_row(
                user, ["id", "email", "name", "language", "date_joined", "last_login", "is_active"]
            ),
            "roles": sorted(str(r) for r in user_roles(user)),
        },
        "email_addresses": [
            _row(a, ["email", "verified", "primary"])
            for a in EmailAddress.objects.filter(user=user)
        ],
        "memberships": [
            {
                "municipality": m.municipality.name,
                "municipality_id": m.municipality_id,
                **_row(m, ["status", "message", "created_at", "decided_at"]),
            }
            for m in Membership.objects.filter(user=user).select_related("municipality")
        ],
        "invitations_sent": [
            {
                "municipality": i.municipality.name,
                **_row(i, ["email", "created_at", "expires_at", "accepted_at", "revoked_at"]),
            }
            for i in Invitation.objects.filter(invited_by=user).select_related("municipality")
        ],
        "invitations_received": [
            {
                "municipality": i.municipality.name,
                **_row(i, ["email", "created_at", "expires_at", "accepted_at", "revoked_at"]),
            }
            for i in Invitation.objects.filter(accepted_by=user).select_related("municipality")
            | Invitation.objects.filter(email__iexact=user.email).select_related("municipality")
        ],
        "mfa_authenticators": [],
    }
    from allauth.mfa.models import Authenticator

    data["mfa_authenticators"] = [
        {"type": a.type, "created_at": a.created_at, "last_used_at": a.last_used_at}
        for a in Authenticator.objects.filter(user=user)
    ]
    # Their API tokens as they see them on their page; the hash is no data about them.
    data["api_tokens"] = [
        {
            **_row(t, ["name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]),
            "state": t.state,
        }
        for t in ApiToken.objects.filter(user=user).order_by("created_at")
    ]
    data["activity"] = _activity_rows(user)
    # The audit trail: what they changed anywhere, and how their own memberships changed (who
    # decided is left out where it was someone else: that is the other person's data).
    data["changes_made"] = audit_selectors.changes_made_by(user)
    someone_else = str(Membership._meta.get_field("decided_by").verbose_name)
    data["membership_history"] = [
        {
            "municipality": m.municipality.name,
            "changes": [
                {
                    "when": change.when,
                    "action": change.action_label,
                    "by_you": change.user_id == user.pk,
                    "changes": [
                        {"field": str(c.label), "before": str(c.before), "after": str(c.after)}
                        for c in change.changes
                        if str(c.label) != someone_else or change.user_id == user.pk
                    ],
                }
                for change in reversed(audit_selectors.object_history(m))
            ],
        }
        for m in Membership.objects.filter(user=user).select_related("municipality")
    ]
    for provider in personal_data_providers():
        data[provider.key] = provider.export(user)
    return data


def account_export_json(*, actor: User, user: User) -> str:
    import json

    return json.dumps(
        account_export(actor=actor, user=user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False
    )


def _sessions_delete(user: User) -> int:
    """Log the person out everywhere. The database session store has no index by user, so the
    live sessions are read once; deletion is rare enough for that."""
    ids = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            ids.append(session.pk)
    Session.objects.filter(pk__in=ids).delete()
    return len(ids)


def _email_verified(user: User, email: str) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def _activity_targets_about(user: User) -> Q:
    """The feed entries whose target is about `user` (their memberships, the invitations to or
    accepted by them): read before account_delete removes or rewrites those targets."""
    from django.contrib.contenttypes.models import ContentType

    addresses = [
        user.email,
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    ]
    targets = {
        Membership: Membership.objects.filter(user=user),
        Invitation: Invitation.objects.filter(Q(accepted_by=user) | Q(email__in=addresses)),
    }
    query = Q(pk__in=[])
    for model, objects in targets.items():
        ids = [str(pk) for pk in objects.values_list("pk", flat=True)]
        if ids:
            query |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    return query


def _activity_names_scrub(*, about: Q, names: list[str]) -> None:
    """Other people's feed entries keep what happened, but no longer who it was: the stored
    target text ("Erika Muster – Köln") is the only place a name lives on. Only entries about
    the person are touched, each name once: a name is free text ("Köln") and may be part of
    what every other entry says."""
    names = [n for n in names if n]
    if not names:
        return
    replacement = _("deleted user")
    for activity in Activity.objects.filter(about).only("pk", "target_repr"):
        text = activity.target_repr
        for name in names:
            text = text.replace(name, replacement, 1)
        if text != activity.target_repr:
            Activity.objects.filter(pk=activity.pk).update(target_repr=text)


def account_delete(*, actor: User, user: User) -> User:
    """Right to erasure (Art. 17 GDPR): the person is anonymised rather than deleted, because
    memberships and the audit trail must keep pointing at *someone*; nothing identifies them."""
    if not permissions.can_delete_account(actor, user):
        raise PermissionDenied
    from allauth.mfa.models import Authenticator

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        now = timezone.now()
        # A last word to the address the person used, if it was ever confirmed to be theirs.
        farewell_to = user.email if _email_verified(user, user.email) else None
        farewell_language = user.language or settings.LANGUAGE_CODE
        entries_about_them = _activity_targets_about(user)
        for membership in Membership.objects.filter(user=user, status=Membership.Status.REQUESTED):
            attribute_change(membership, actor=actor, action=AccountsAction.MEMBERSHIP_WITHDRAWN)
            membership.delete()
        for membership in Membership.objects.filter(user=user, status=Membership.Status.ACTIVE):
            membership.status = Membership.Status.ENDED
            membership.decided_at = now
            membership.decided_by = None
            attribute_change(membership, actor=None, action=AccountsAction.MEMBERSHIP_ENDED)
            membership.save()
        Membership.objects.filter(user=user).exclude(message="").update(message="")
        # Invitations addressed to the person keep the record that they happened, not the address.
        addresses = [
            user.email,
            *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
        ]
        Invitation.objects.filter(Q(accepted_by=user) | Q(email__in=addresses)).update(
            email=f"deleted-{user.pk}@anonymised.invalid"
        )
        for provider in personal_data_providers():
            provider.erase(user, addresses)
        EmailAddress.objects.filter(user=user).delete()
        # The person's own feed is about them and of no use to anyone else.
        Activity.objects.filter(recipient=user).delete()
        _activity_names_scrub(about=entries_about_them, names=[user.email, user.name])
        Authenticator.objects.filter(user=user).delete()
        # Tokens act in the person's name: gone with it (the trail records that they were).
        for token in ApiToken.objects.filter(user=user):
            attribute_change(token, actor=None, action=AccountsAction.API_TOKEN_DELETED)
            token.delete()
        user.groups.clear()
        user.email = f"deleted-{user.pk}@anonymised.invalid"
        user.name = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.anonymised_at = now
        attribute_change(user, actor=None, action=AccountsAction.USER_ANONYMISED)
        user.save()
        forget_roles(user)
        _sessions_delete(user)
        if farewell_to:
            notifications.email_to_address(
                event=Event.ACCOUNT_DELETED,
                to_email=farewell_to,
                language=farewell_language,
                context={},
            )
    return user


# --- API tokens ----------------------------------------------------------------------------

#: A token lives a year unless its maker says otherwise, two at most: a forgotten integration
#: stops by itself.
API_TOKEN_DEFAULT_LIFETIME = timedelta(days=365)
API_TOKEN_MAX_LIFETIME = timedelta(days=730)
#: Active tokens per person: one per integration is plenty; more is a sign of tokens nobody
#: revokes.
API_TOKEN_MAX_ACTIVE = 20
#: The last use is written at most this often: not a write on every request of an integration.
API_TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)
#: "pp_" and 43 characters of token_urlsafe(32) (256 random bits).
API_TOKEN_LENGTH = len(ApiToken.SECRET_PREFIX) + 43


def _api_token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_tokens_url(*, language: str) -> str:
    with translation.override(language):
        path = reverse("accounts:api_tokens")
    return settings.SITE_URL.rstrip("/") + path


def api_token_create(
    *, actor: User | None, user: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`, returned with its secret: the only time the secret exists outside
    the caller's hands (only its hash is stored). `actor` None is the command line. The person
    is told by e-mail and in the feed whoever made it: a token made in a stolen session must
    not go unnoticed (hence no actor on the notice, which would skip them)."""
    if not permissions.can_hold_api_token(user):
        raise PermissionDenied(
            _("Only agency staff can have API tokens; %(person)s is not agency staff.")
            % {"person": user.email}
        )
    if not permissions.can_create_api_token(actor, user):
        raise PermissionDenied(_("You can create API tokens only for yourself."))
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Please say what the token is for."), code="name_required")
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ValidationError(_("The name is too long (100 characters at most)."), code="name")
    now = timezone.now()
    expires_at = expires_at or now + API_TOKEN_DEFAULT_LIFETIME
    if expires_at <= now:
        raise ValidationError(_("The expiry date must lie in the future."), code="expires")
    if expires_at > now + API_TOKEN_MAX_LIFETIME:
        raise ValidationError(
            _("A token may be valid for two years at most."), code="expires_too_late"
        )
    secret = ApiToken.SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        # One maker at a time per person, so the limit below holds.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if ApiToken.objects.active().filter(user=user).count() >= API_TOKEN_MAX_ACTIVE:
            raise ValidationError(
                _(
                    "You already have %(count)s active API tokens. Please revoke one you no "
                    "longer use first."
                )
                % {"count": API_TOKEN_MAX_ACTIVE},
                code="too_many",
            )
        token = ApiToken(
            user=user,
            name=name,
            prefix=secret[: ApiToken.PREFIX_LENGTH],
            secret_hash=_api_token_hash(secret),
            created_at=now,
            expires_at=expires_at,
        )
        attribute_change(token, actor=actor, action=AccountsAction.API_TOKEN_CREATED)
        token.save()
        language = user.language or settings.LANGUAGE_CODE
        with translation.override(language):
            expires_on = display_date(token.expires_at)
        context = {
            "token_name": token.name,
            "token_prefix": token.prefix,
            "expires_on": expires_on,
            "via": "command" if actor is None else "account_page",
            "tokens_url": api_tokens_url(language=language),
        }
        _on_commit(
            lambda: _notify(
                event=Event.API_TOKEN_CREATED,
                recipients=[user],
                actor=None,
                target=token,
                context=context,
            )
        )
    # Who and which token, never the secret.
    logger.info("API token created: user=%s prefix=%s", user.pk, token.prefix)
    return token, secret


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """The token stops working at once, for good (a revoked token cannot be brought back, not
    even by the audit trail's revert: make a new one)."""
    if not permissions.can_view_api_token(actor, token):
        raise PermissionDenied
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if not permissions.can_revoke_api_token(actor, token):
            raise ValidationError(
                _("This API token has already been revoked."), code="already_revoked"
            )
        token.revoked_at = timezone.now()
        attribute_change(token, actor=actor, action=AccountsAction.API_TOKEN_REVOKED)
        token.save()
    logger.info("API token revoked: user=%s prefix=%s", token.user_id, token.prefix)
    return token


def api_token_restore(*, obj: ApiToken, previous, actor, expected_version: int | None):
    """The audit trail's revert for API tokens (registered with audit.restore): refused. Undoing
    a revocation would bring a secret back to life that its holder meant to kill."""
    raise ValidationError(
        _("An API token cannot be reverted. Revoked tokens stay revoked; make a new one."),
        code="api_token_not_revertible",
    )


@dataclass(frozen=True)
class ApiTokenCheck:
    """What a presented secret is worth. `problem` is "" (it authenticates `user`), "invalid"
    (unknown, malformed, or its account is closed), "revoked", "expired", or "not_permitted"
    (a genuine token whose holder is no longer allowed tokens: `user` is set, for a 403)."""

    problem: str
    user: User | None = None
    token: ApiToken | None = None

    @property
    def ok(self) -> bool:
        return not self.problem


def api_token_check(secret: str) -> ApiTokenCheck:
    """Look a presented secret up by its hash (an index: the secret is random, so the lookup
    tells nothing about other secrets) and compare in constant time all the same. A successful
    use is noted, at most once a minute."""
    if (
        not isinstance(secret, str)
        or len(secret) != API_TOKEN_LENGTH
        or not secret.startswith(ApiToken.SECRET_PREFIX)
    ):
        return ApiTokenCheck("invalid")
    digest = _api_token_hash(secret)
    token = ApiToken.objects.select_related("user").filter(secret_hash=digest).first()
    if token is None or not secrets.compare_digest(token.secret_hash, digest):
        return ApiTokenCheck("invalid")
    user = token.user
    if not user.is_active or user.anonymised_at is not None:
        return ApiTokenCheck("invalid", token=token)
    if token.revoked_at is not None:
        return ApiTokenCheck("revoked", token=token)
    now = timezone.now()
    if token.expires_at <= now:
        return ApiTokenCheck("expired", token=token)
    if not permissions.can_hold_api_token(user):
        return ApiTokenCheck("not_permitted", user=user, token=token)
    if token.last_used_at is None or token.last_used_at <= now - API_TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - API_TOKEN_TOUCH_INTERVAL)
        ).update(last_used_at=now)
        token.last_used_at = now
    return ApiTokenCheck("", user=user, token=token)


def api_token_authenticate(secret: str) -> User | None:
    """The person a secret acts for, or None: unknown, revoked, expired, an inactive or deleted
    account, or a holder who is no longer agency staff."""
    check = api_token_check(secret)
    return check.user if check.ok else None
