"""Writes and reads of expert profiles. Staff create a profile (and may link it to the expert's
account); the expert keeps their own up to date, and chooses what of it is public."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerportal.accounts.roles import Role, has_role
from partnerportal.audit.services import attribute_change
from partnerportal.core.concurrency import version_claim

from . import permissions
from .actions import AdvisoryAction
from .models import ExpertKind, ExpertLanguage, ExpertProfile, LanguageLevel


@dataclass
class ProfileInput:
    """What the profile form gives; `languages` is a list of (code, level)."""

    name: str
    kind: str
    email: str = ""
    fields: Iterable = ()
    countries: Iterable = ()
    languages: list[tuple[str, str]] = field(default_factory=list)
    available_from: dt.date | None = None
    available_until: dt.date | None = None
    availability_note: str = ""
    cv: str = ""
    public: dict[str, bool] = field(default_factory=dict)


def _check(data: ProfileInput) -> None:
    if data.kind not in ExpertKind.values:
        raise ValidationError(_("Unknown kind of expert."), code="kind_invalid")
    if data.available_from and data.available_until and data.available_until < data.available_from:
        raise ValidationError(
            _("The availability cannot end before it starts."), code="availability_invalid"
        )
    for code, level in data.languages:
        if level not in LanguageLevel.values:
            raise ValidationError(_("Unknown language level."), code="level_invalid")
        if not code or len(code) > 10:
            raise ValidationError(_("Unknown language."), code="language_invalid")


def _apply(profile: ExpertProfile, data: ProfileInput) -> None:
    profile.name = data.name.strip()
    profile.kind = data.kind
    profile.email = data.email.strip()
    profile.available_from = data.available_from
    profile.available_until = data.available_until
    profile.availability_note = data.availability_note.strip()
    profile.cv = data.cv.strip()
    for part in ExpertProfile.PUBLIC_PARTS:
        if part in data.public:
            setattr(profile, f"public_{part}", bool(data.public[part]))


def _relations(profile: ExpertProfile, data: ProfileInput) -> None:
    profile.fields.set(list(data.fields))
    profile.countries.set(list(data.countries))
    seen = {}
    for code, level in data.languages:
        seen[code.strip().lower()] = level
    profile.languages.all().delete()
    ExpertLanguage.objects.bulk_create(
        ExpertLanguage(profile=profile, language=code, level=level) for code, level in seen.items()
    )


def expert_profile_create(*, actor, data: ProfileInput, user=None) -> ExpertProfile:
    """Staff create a profile, optionally linked to the expert's account (which must hold the
    Expert role and have no profile yet). Nothing of it is public until the expert says so."""
    if not permissions.can_manage_experts(actor):
        raise PermissionDenied
    _check(data)
    if user is not None:
        if not has_role(user, Role.EXPERT):
            raise ValidationError(
                _("Only an account with the role “Expert” can be linked to a profile."),
                code="not_expert",
            )
        if ExpertProfile.objects.filter(user=user).exists():
            raise ValidationError(
                _("This account already has an expert profile."), code="has_profile"
            )
    with transaction.atomic():
        profile = ExpertProfile(user=user, created_by=actor)
        _apply(profile, data)
        attribute_change(profile, actor=actor, action=AdvisoryAction.EXPERT_PROFILE_CREATED)
        profile.save()
        _relations(profile, data)
    return profile


def expert_profile_update(
    *, actor, profile: ExpertProfile, data: ProfileInput, expected_version: int | None
) -> ExpertProfile:
    """Staff or the expert themselves; an edit made on an older version is refused
    (EditConflict)."""
    if not permissions.can_edit_expert_profile(actor, profile):
        raise PermissionDenied
    _check(data)
    with transaction.atomic():
        version_claim(profile, expected_version=expected_version)
        _apply(profile, data)
        attribute_change(profile, actor=actor, action=AdvisoryAction.EXPERT_PROFILE_UPDATED)
        profile.save()
        _relations(profile, data)
    return profile


def expert_profile_anonymise(profile: ExpertProfile, *, actor=None) -> None:
    """Erasure (DSGVO): the person is gone from the profile; the deployments keep their public
    facts (where, when, fields), not who it was."""
    profile.name = _("(anonymised)")
    profile.email = ""
    profile.cv = ""
    profile.availability_note = ""
    profile.available_from = None
    profile.available_until = None
    for part in ExpertProfile.PUBLIC_PARTS:
        setattr(profile, f"public_{part}", False)
    profile.user = None
    profile.anonymised_at = timezone.now()
    attribute_change(profile, actor=actor, action=AdvisoryAction.EXPERT_PROFILE_ANONYMISED)
    profile.save()
    profile.languages.all().delete()
    profile.countries.clear()
    # The history keeps that the profile changed and who changed it, not what it said of the
    # person.
    profile.history.update(name=profile.name, email="", cv="", availability_note="", user=None)


# --- Reads --------------------------------------------------------------------------------------


def expert_profiles() -> QuerySet[ExpertProfile]:
    return (
        ExpertProfile.objects.filter(anonymised_at__isnull=True)
        .select_related("user")
        .prefetch_related("fields", "countries", "languages")
    )


def expert_profile_of(user) -> ExpertProfile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return ExpertProfile.objects.filter(user=user).first()


def expert_public_view(profile: ExpertProfile) -> dict:
    """What the public profile page may print: only the parts the expert made public."""
    view: dict = {"kind": profile.get_kind_display()}
    if profile.public_name:
        view["name"] = profile.name
    if profile.public_fields:
        view["fields"] = [str(theme) for theme in profile.fields.all()]
    if profile.public_languages:
        view["languages"] = [
            {"language": entry.language, "level": entry.get_level_display()}
            for entry in profile.languages.all()
        ]
    if profile.public_countries:
        view["countries"] = [str(country) for country in profile.countries.all()]
    if profile.public_availability:
        view["availability"] = {
            "from": profile.available_from,
            "until": profile.available_until,
            "note": profile.availability_note,
        }
    if profile.public_cv:
        view["cv"] = profile.cv
    return view
