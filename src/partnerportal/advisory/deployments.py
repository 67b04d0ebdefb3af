"""Writes and reads of deployments, and THE rule of the expert fund.

The fund places experts only in partner municipalities that have an active partnership with a
German municipality. Every way a deployment comes into being (the staff form, the API, an
accepted proposal, the demo data) calls `deployment_create`, and every change of its partner
municipality or start date `deployment_update`; both ask `deployment_rule_check`, so the rule
holds in one place. A refusal is a ValidationError whose message names the rule (in the reader's
language) and whose code says which part failed, for the API's 422."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from partnerportal.audit.services import attribute_change
from partnerportal.core.concurrency import version_claim
from partnerportal.core.dates import display_date
from partnerportal.registry.models import (
    Municipality,
    Partnership,
    PartnershipStatus,
    Programme,
    Theme,
)

from . import permissions
from .actions import AdvisoryAction
from .models import Deployment, DeploymentState, ExpertKind, ExpertProfile, Proposal

#: The statuses in which a partnership counts as active for the rule.
ACTIVE_STATUSES = frozenset({PartnershipStatus.ACTIVE, PartnershipStatus.REACTIVATED})


class DeploymentRuleError(ValidationError):
    """A deployment the expert fund's rule does not allow; `field` names the input at fault."""

    def __init__(self, message: str, *, code: str, field: str) -> None:
        super().__init__(message, code=code)
        self.field = field


def rule_text() -> str:
    """The rule in words, for refusals and the forms' help."""
    return _(
        "The expert fund places experts only in partner municipalities that have an active, "
        "published partnership with a German municipality at the deployment's start date."
    )


# --- The rule -----------------------------------------------------------------------------------


def partnership_status_on(partnership: Partnership, day: dt.date, history: list) -> str | None:
    """The status `partnership` had on `day` by its status history, or None if it did not exist
    yet. An entry without a date counts from the partnership's start if it is the first one
    recorded (the first entry of an import or a proposal often has none), else from the day it
    was recorded. Without any history the current status stands, from the start year on."""
    if not history:
        if partnership.start_year and partnership.start_year > day.year:
            return None
        return partnership.status
    first = min(history, key=lambda entry: (entry.created_at, entry.pk))
    start = dt.date(partnership.start_year, 1, 1) if partnership.start_year else dt.date.min

    def effective(entry) -> dt.date:
        if entry.valid_from is not None:
            return entry.valid_from
        return start if entry.pk == first.pk else entry.created_at.date()

    before = [entry for entry in history if effective(entry) <= day]
    if not before:
        return None
    return max(before, key=lambda entry: (effective(entry), entry.created_at, entry.pk)).status


def partnerships_qualifying(partner_municipality: Municipality, day: dt.date) -> list[Partnership]:
    """The published partnerships of `partner_municipality` with a German municipality that are
    active on `day`: the ones a deployment there may serve. One query for the partnerships and
    one for their histories."""
    candidates = list(
        Partnership.objects.public()
        .involving(partner_municipality)
        .filter(Q(municipality_a__country_id="DE") | Q(municipality_b__country_id="DE"))
        .select_related("municipality_a", "municipality_b")
        .prefetch_related("status_changes")
    )
    found = []
    for partnership in candidates:
        history = list(partnership.status_changes.all())
        if partnership_status_on(partnership, day, history) in ACTIVE_STATUSES:
            found.append(partnership)
    return found


def german_side(partnership: Partnership, partner_municipality: Municipality) -> Municipality:
    a, b = partnership.municipality_a, partnership.municipality_b
    return b if a.pk == partner_municipality.pk else a


def deployment_rule_check(
    *,
    partner_municipality: Municipality,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    partnership: Partnership | None = None,
    german_municipality: Municipality | None = None,
) -> Partnership:
    """The partnership the deployment serves, or DeploymentRuleError naming the rule. Where the
    caller names a partnership or a German municipality, that one must qualify; otherwise the
    partner municipality's qualifying partnership is taken (the oldest if there are several)."""
    if ends_on is not None and ends_on < starts_on:
        raise DeploymentRuleError(
            _("The deployment cannot end before it starts."), code="period_invalid", field="ends_on"
        )
    if partner_municipality.country_id == "DE":
        raise DeploymentRuleError(
            _("The partner municipality must lie outside Germany. %(rule)s")
            % {"rule": rule_text()},
            code="partner_municipality_german",
            field="partner_municipality",
        )
    qualifying = partnerships_qualifying(partner_municipality, starts_on)
    if partnership is not None:
        qualifying = [p for p in qualifying if p.pk == partnership.pk]
    if german_municipality is not None:
        qualifying = [
            p
            for p in qualifying
            if german_municipality.pk in (p.municipality_a_id, p.municipality_b_id)
        ]
    if not qualifying:
        raise DeploymentRuleError(
            _("%(rule)s %(municipality)s has no such partnership on %(date)s%(with)s.")
            % {
                "rule": rule_text(),
                "municipality": partner_municipality.name,
                "date": display_date(starts_on),
                "with": (
                    _(" with %(german)s") % {"german": german_municipality.name}
                    if german_municipality is not None
                    else ""
                ),
            },
            code="no_active_partnership",
            field="starts_on",
        )
    return min(qualifying, key=lambda p: (p.start_year or 9999, p.pk))


# --- Writes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeploymentInput:
    """What a form, the API or a proposal gives to create a deployment."""

    partner_municipality: Municipality
    kind: str
    starts_on: dt.date
    ends_on: dt.date
    expert: ExpertProfile | None = None
    fields: tuple[Theme, ...] = ()
    german_municipality: Municipality | None = None
    partnership: Partnership | None = None
    host_institution: str = ""
    goals: str = ""
    programme: Programme | None = None


def deployment_create(
    *,
    actor,
    data: DeploymentInput,
    proposal: Proposal | None = None,
    check_permission: bool = True,
) -> Deployment:
    """A new deployment, planned (filled once an expert is named), if the rule allows it.
    `check_permission` False only for the demo data and commands run by the operator."""
    if check_permission and not permissions.can_manage_deployments(actor):
        raise PermissionDenied
    if data.kind not in ExpertKind.values:
        raise DeploymentRuleError(_("Unknown kind of expert."), code="kind_invalid", field="kind")
    partnership = deployment_rule_check(
        partner_municipality=data.partner_municipality,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        partnership=data.partnership,
        german_municipality=data.german_municipality,
    )
    with transaction.atomic():
        deployment = Deployment(
            expert=data.expert,
            kind=data.kind,
            partner_municipality=data.partner_municipality,
            german_municipality=german_side(partnership, data.partner_municipality),
            partnership=partnership,
            host_institution=data.host_institution,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            goals=data.goals,
            programme=data.programme,
            state=DeploymentState.FILLED if data.expert is not None else DeploymentState.PLANNED,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        attribute_change(deployment, actor=actor, action=AdvisoryAction.DEPLOYMENT_CREATED)
        deployment.save()
        if data.fields:
            deployment.fields.set(data.fields)
        if proposal is not None:
            proposal.deployment = deployment
            proposal.save(update_fields=["deployment"])
            need = proposal.need
            if need.state == need.State.OPEN:
                need.state = need.State.FILLED
                need.save(update_fields=["state"])
    return deployment


#: The fields `deployment_update` may change.
UPDATABLE = (
    "expert",
    "kind",
    "partner_municipality",
    "host_institution",
    "starts_on",
    "ends_on",
    "goals",
    "programme",
)


def deployment_update(
    *,
    actor,
    deployment: Deployment,
    expected_version: int | None,
    fields: Iterable[Theme] | None = None,
    german_municipality: Municipality | None = None,
    **values,
) -> Deployment:
    """Change a deployment; the rule is asked again with the new partner and start date (a
    deployment moved to a date the partnership was not active on is refused like a new one)."""
    if not permissions.can_manage_deployments(actor):
        raise PermissionDenied
    unknown = set(values) - set(UPDATABLE)
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    for name, value in values.items():
        setattr(deployment, name, value)
    partnership = deployment_rule_check(
        partner_municipality=deployment.partner_municipality,
        starts_on=deployment.starts_on,
        ends_on=deployment.ends_on,
        german_municipality=german_municipality,
    )
    with transaction.atomic():
        version_claim(deployment, expected_version=expected_version)
        deployment.partnership = partnership
        deployment.german_municipality = german_side(partnership, deployment.partner_municipality)
        attribute_change(deployment, actor=actor, action=AdvisoryAction.DEPLOYMENT_UPDATED)
        deployment.save()
        if fields is not None:
            deployment.fields.set(fields)
    return deployment


# --- Reads --------------------------------------------------------------------------------------


def deployments_public() -> QuerySet[Deployment]:
    """Deployments whose facts are public: all but those broken off before anyone was placed,
    with what the public pages print."""
    return (
        Deployment.objects.exclude(state=DeploymentState.BROKEN_OFF, expert__isnull=True)
        .select_related(
            "partner_municipality__country",
            "german_municipality",
            "programme",
            "expert",
        )
        .prefetch_related("fields")
    )


def deployments_of(*, page: str, subject) -> QuerySet[Deployment]:
    """The public deployments for a municipality's or a partnership's page."""
    found = deployments_public()
    if page == "municipality":
        return found.filter(
            Q(partner_municipality=subject) | Q(german_municipality=subject)
        ).order_by("-starts_on", "-pk")
    if page == "partnership":
        return found.filter(partnership=subject).order_by("-starts_on", "-pk")
    if page == "country":
        return found.filter(partner_municipality__country=subject).order_by("-starts_on", "-pk")
    return found.none()


def expert_public_name(deployment: Deployment) -> str | None:
    """The expert's name where the expert chose to show it; None otherwise."""
    expert = deployment.expert
    if expert is None or not expert.public_name or expert.anonymised_at is not None:
        return None
    return expert.name
