"""The funding finder: which instruments an applicant qualifies for, and why (or which rule
failed). Anyone answers a few questions; a municipal editor is recognised from the
municipalities they edit and their partnerships in the registry, and each instrument is checked
against each of those partnerships (the best fit is shown)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from partnerportal.accounts.roles import edited_municipality_ids
from partnerportal.registry.models import Municipality, Partnership, PartnershipStatus

from .eligibility import Eligibility, Facts, best_eligibility
from .models import FundingInstrument


@dataclass
class FinderResult:
    qualifying: list[Eligibility] = field(default_factory=list)
    not_qualifying: list[Eligibility] = field(default_factory=list)
    #: the municipalities the answers came from (a recognised editor), else empty
    recognised: list[Municipality] = field(default_factory=list)


def open_instruments():
    return FundingInstrument.objects.filter(is_active=True).select_related("programme")


def facts_from_answers(
    *,
    kind: str = "",
    country=None,
    partnership: str = "",
    amount: Decimal | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Facts:
    """The finder's questions as facts. `country` is a geo.Country or None; `partnership` is
    "active", "initiation", "no" or "" (not answered)."""
    has = {"active": True, "initiation": True, "no": False}.get(partnership)
    status = {"active": PartnershipStatus.ACTIVE, "initiation": PartnershipStatus.INITIATION}.get(
        partnership
    )
    return Facts(
        today=today or timezone.localdate(),
        applicant_kind=kind or None,
        # The finder asks German municipalities (the applicant kinds it offers are German).
        applicant_country="DE" if kind else None,
        has_partnership=has,
        partnership_status=status,
        partnership_published=True if has else None,
        partner_country=country.iso2 if country else None,
        partner_country_name=str(country) if country else "",
        partner_region=country.world_region if country else None,
        partner_oda=country.oda_recipient if country else None,
        amount_eur=amount,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def facts_for_editor(
    user,
    *,
    amount: Decimal | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    today: dt.date | None = None,
) -> tuple[list[Municipality], list[Facts]]:
    """One set of facts per published partnership of each municipality `user` edits (one
    without a partnership for a municipality that has none). Two queries."""
    today = today or timezone.localdate()
    municipalities = list(
        Municipality.objects.filter(pk__in=edited_municipality_ids(user)).order_by("name")
    )
    if not municipalities:
        return [], []
    ids = [m.pk for m in municipalities]
    partnerships = list(
        Partnership.objects.public()
        .filter(Q(municipality_a_id__in=ids) | Q(municipality_b_id__in=ids))
        .select_related("municipality_a__country", "municipality_b__country")
        .order_by("municipality_a__name", "municipality_b__name")
    )
    candidates: list[Facts] = []
    for municipality in municipalities:
        own = [
            p for p in partnerships if municipality.pk in (p.municipality_a_id, p.municipality_b_id)
        ]
        common = {
            "today": today,
            "applicant_kind": municipality.kind,
            "applicant_country": municipality.country_id,
            "applicant_id": municipality.pk,
            "amount_eur": amount,
            "starts_on": starts_on,
            "ends_on": ends_on,
        }
        if not own:
            candidates.append(Facts(has_partnership=False, label=municipality.name, **common))
        for partnership in own:
            partner = (
                partnership.municipality_b
                if partnership.municipality_a_id == municipality.pk
                else partnership.municipality_a
            )
            country = partner.country
            candidates.append(
                Facts(
                    has_partnership=True,
                    partnership_status=partnership.status,
                    partnership_published=partnership.is_confirmed,
                    partnership_id=partnership.pk,
                    partner_country=country.iso2,
                    partner_country_name=str(country),
                    partner_region=country.world_region,
                    partner_oda=country.oda_recipient,
                    label=f"{municipality.name} – {partner.name}",
                    **common,
                )
            )
    return municipalities, candidates


def finder_run(candidates: list[Facts], *, recognised=None) -> FinderResult:
    """Every open instrument, checked against the best-fitting candidate."""
    result = FinderResult(recognised=list(recognised or []))
    for instrument in open_instruments():
        outcome = best_eligibility(instrument, candidates)
        (result.qualifying if outcome.eligible else result.not_qualifying).append(outcome)
    return result
