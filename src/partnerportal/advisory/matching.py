"""Needs for experts and the experts who fit them.

The matching is done by hand today; here it is a score with its reasons, so that staff see why
an expert is on the list and what is missing (the gaps), and decide themselves. Each fitting
field counts 3, each language spoken at B2 or better 2 (a lower level is a gap), experience in
the country 2, availability over the whole period 2 (partial: 1 and a gap), the wanted kind 1.
Experts with nothing in common with the need are left out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from partnerportal.core.dates import display_date
from partnerportal.notifications.events import Event
from partnerportal.notifications.services import notify

from . import permissions
from .deployments import DeploymentInput, deployment_create
from .experts import expert_profiles
from .models import Deployment, ExpertProfile, LanguageLevel, Need, Proposal
from .models.experts import LEVEL_RANK

GOOD_LEVEL = LEVEL_RANK[LanguageLevel.B2]


def language_name(code: str) -> str:
    """The language's name in the reader's language where Django knows it, else the code."""
    try:
        return _(get_language_info(code)["name"])
    except KeyError:
        return code


@dataclass
class Match:
    expert: ExpertProfile
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    proposal: Proposal | None = None


# --- Needs --------------------------------------------------------------------------------------


def need_create(
    *,
    actor,
    title: str,
    description: str = "",
    case=None,
    partnership=None,
    partner_municipality=None,
    kind: str = "",
    fields=(),
    languages: list[str] | None = None,
    country=None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Need:
    if not permissions.can_manage_needs(actor):
        raise PermissionDenied
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(_("The period cannot end before it starts."), code="period_invalid")
    if partnership is not None and partner_municipality is None:
        a, b = partnership.municipality_a, partnership.municipality_b
        partner_municipality = a if a.country_id != "DE" else b
    if country is None and partner_municipality is not None:
        country = partner_municipality.country
    with transaction.atomic():
        need = Need.objects.create(
            title=title.strip(),
            description=description.strip(),
            case=case,
            partnership=partnership,
            partner_municipality=partner_municipality,
            kind=kind,
            languages=sorted({code.strip().lower() for code in languages or [] if code.strip()}),
            country=country,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
        )
        need.fields.set(list(fields))
    return need


# --- Matching -----------------------------------------------------------------------------------


def need_matches(need: Need, *, limit: int = 20) -> list[Match]:
    """The experts who fit `need`, best first, each with reasons and gaps. Two queries for the
    profiles and their relations, one for the proposals already made."""
    wanted_fields = {theme.pk: theme for theme in need.fields.all()}
    proposals = {proposal.expert_id: proposal for proposal in need.proposals.all()}
    matches = []
    for expert in expert_profiles():
        match = Match(expert=expert, proposal=proposals.get(expert.pk))
        expert_fields = {theme.pk for theme in expert.fields.all()}
        for pk, theme in wanted_fields.items():
            if pk in expert_fields:
                match.score += 3
                match.reasons.append(_("Field: %(field)s") % {"field": theme})
            else:
                match.gaps.append(_("No experience in %(field)s") % {"field": theme})
        spoken = {entry.language: entry for entry in expert.languages.all()}
        for code in need.languages:
            entry = spoken.get(code)
            name = language_name(code)
            if entry is None:
                match.gaps.append(_("Does not speak %(language)s") % {"language": name})
            elif LEVEL_RANK.get(entry.level, 0) >= GOOD_LEVEL:
                match.score += 2
                match.reasons.append(
                    _("Speaks %(language)s (%(level)s)")
                    % {"language": name, "level": entry.get_level_display()}
                )
            else:
                match.score += 1
                match.gaps.append(
                    _("%(language)s only at level %(level)s")
                    % {"language": name, "level": entry.get_level_display()}
                )
        if need.country_id:
            if any(country.pk == need.country_id for country in expert.countries.all()):
                match.score += 2
                match.reasons.append(_("Has worked in %(country)s") % {"country": need.country})
            else:
                match.gaps.append(_("No experience in %(country)s") % {"country": need.country})
        _availability(match, expert, need)
        if need.kind:
            if expert.kind == need.kind:
                match.score += 1
                match.reasons.append(expert.get_kind_display())
            else:
                match.gaps.append(_("Is a %(kind)s") % {"kind": expert.get_kind_display()})
        if match.score > 0:
            matches.append(match)
    matches.sort(key=lambda m: (-m.score, len(m.gaps), m.expert.name))
    return matches[:limit]


def _availability(match: Match, expert: ExpertProfile, need: Need) -> None:
    start, end = need.starts_on, need.ends_on
    if start is None and end is None:
        return
    since, until = expert.available_from, expert.available_until
    if since is None and until is None:
        if expert.availability_note:
            match.gaps.append(_("Availability: %(note)s") % {"note": expert.availability_note})
        else:
            match.gaps.append(_("Availability unknown"))
        return
    period_start = start or end
    period_end = end or start
    covers_start = since is None or since <= period_start
    covers_end = until is None or until >= period_end
    overlaps = (since is None or since <= period_end) and (until is None or until >= period_start)
    if covers_start and covers_end:
        match.score += 2
        match.reasons.append(_("Available for the whole period"))
    elif overlaps:
        match.score += 1
        match.gaps.append(
            _("Available only from %(since)s to %(until)s")
            % {
                "since": display_date(since) if since else "…",
                "until": display_date(until) if until else "…",
            }
        )
    else:
        match.gaps.append(_("Not available in the period"))


# --- Proposals ----------------------------------------------------------------------------------


def _expert_page_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("advisory:my_expert_page")


def proposal_create(*, actor, need: Need, expert: ExpertProfile, note: str = "") -> Proposal:
    """Staff propose an expert; the expert hears of it (feed and e-mail) if they have an
    account."""
    if not permissions.can_manage_needs(actor):
        raise PermissionDenied
    if need.state != Need.State.OPEN:
        raise ValidationError(_("This need is no longer open."), code="need_closed")
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                need=need, expert=expert, note=note.strip(), created_by=actor
            )
            if expert.user is not None:
                notify(
                    event=Event.EXPERT_PROPOSED,
                    recipients=[expert.user],
                    actor=actor,
                    target=need,
                    context={"url": _expert_page_url()},
                )
    except IntegrityError:
        raise ValidationError(
            _("This expert has already been proposed for this need."), code="proposed_already"
        ) from None
    return proposal


def proposal_decide(*, actor, proposal: Proposal, accept: bool) -> Proposal:
    """The expert accepts or declines, once."""
    if not permissions.can_decide_proposal(actor, proposal):
        raise PermissionDenied
    if proposal.state != Proposal.State.PROPOSED:
        raise ValidationError(_("You have already answered this proposal."), code="decided")
    with transaction.atomic():
        proposal.state = Proposal.State.ACCEPTED if accept else Proposal.State.DECLINED
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["state", "decided_at"])
    return proposal


def proposal_deploy(*, actor, proposal: Proposal, data: DeploymentInput) -> Deployment:
    """An accepted proposal becomes a deployment, through the one service (so THE rule holds)."""
    if proposal.state != Proposal.State.ACCEPTED:
        raise ValidationError(
            _("Only an accepted proposal can become a deployment."), code="not_accepted"
        )
    if proposal.deployment_id is not None:
        raise ValidationError(
            _("This proposal has already become a deployment."), code="deployed_already"
        )
    return deployment_create(actor=actor, data=data, proposal=proposal)


def proposal_deployment_initial(proposal: Proposal) -> dict:
    """What the deployment form starts with for an accepted proposal."""
    need = proposal.need
    return {
        "expert": proposal.expert,
        "kind": need.kind or proposal.expert.kind,
        "partner_municipality": need.partner_municipality,
        "starts_on": need.starts_on,
        "ends_on": need.ends_on,
        "fields": list(need.fields.all()),
        "goals": need.description,
    }
