"""Reads behind the place pages: a Land, a country and the small charts of a municipality.

The Land and country pages show a slice of the network statistics (the same figures as the
statistics page filtered by that Land or country, from the same cache), plus the municipalities
with the most partnerships there. A Land's URL carries a slug of its Destatis name
("baden-wuerttemberg", registry/selectors/places.py); a country's, its ISO code. The pages are
served under the registry's addresses (/register/bundeslaender/…, /register/laender/…).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db.models import Case, Count, F, QuerySet, When
from django.http import Http404
from django.utils.translation import gettext

from partnerportal.geo.models import Country, WorldRegion
from partnerportal.geo.selectors import country_get
from partnerportal.registry.models import Municipality, Partnership, PartnershipType
from partnerportal.registry.selectors.places import STATE_SLUGS, state_from_slug, state_slug
from partnerportal.registry.selectors.public import (
    FEDERAL_STATES,
    GERMANY,
    PartnershipFilters,
    partnership_filtered,
)

from . import statistics
from .statistics import Row, Series

__all__ = [
    "FEDERAL_STATES",
    "STATE_SLUGS",
    "CountryPage",
    "PlaceTop",
    "StatePage",
    "TopMunicipality",
    "country_page",
    "municipality_charts",
    "state_from_slug",
    "state_page",
    "state_slug",
]

#: How many municipalities the "most partnerships" lists show.
TOP_MUNICIPALITIES = 10


@dataclass(frozen=True)
class TopMunicipality:
    pk: int
    name: str
    partnerships: int


@dataclass(frozen=True)
class PlaceTop:
    """Municipalities of a place ranked by their number of partnerships. How many have any is
    the statistics' figure for the same filter (`Summary.german_municipalities` for a Land,
    `foreign_municipalities` for a country), so the page and the statistics agree."""

    municipalities_with_partnerships: int
    top: list[TopMunicipality]


def _top_municipalities(
    partnerships: QuerySet[Partnership], places: QuerySet[Municipality], *, limit: int
) -> PlaceTop:
    """Counted side by side (as municipality_a, as municipality_b) and added up: two grouped
    queries and one for the names, instead of a join per side that multiplies rows."""
    ids = places.values("pk")
    counts: dict[int, int] = {}
    for side in ("municipality_a", "municipality_b"):
        rows = (
            partnerships.order_by()
            .filter(**{f"{side}__in": ids})
            .values(side)
            .annotate(n=Count("pk"))
            .values_list(side, "n")
        )
        for pk, n in rows:
            counts[pk] = counts.get(pk, 0) + n
    if not counts:
        return PlaceTop(0, [])
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    # Ties at the cut are decided by name: read the names of everything that ties with the last.
    cut = ranked[min(limit, len(ranked)) - 1][1]
    candidates = [pk for pk, n in ranked if n >= cut]
    names = dict(Municipality.objects.filter(pk__in=candidates).values_list("pk", "name"))
    top = sorted(
        (TopMunicipality(pk, names.get(pk, ""), counts[pk]) for pk in candidates),
        key=lambda m: (-m.partnerships, m.name.casefold(), m.pk),
    )[:limit]
    return PlaceTop(len(counts), top)


def _cached(key: str, compute):
    """Under the registry version and the language, like the statistics (see there)."""
    full_key = statistics.cache_key(PartnershipFilters(), prefix=f"registry:places:{key}")
    return cache.get_or_set(full_key, compute, statistics.CACHE_TIMEOUT)


# --- A Land -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatePage:
    state: str
    slug: str
    filters: PartnershipFilters
    summary: statistics.Summary
    top: PlaceTop
    charts: dict[str, Series]


def state_page(slug: str) -> StatePage:
    """A Land with its partnerships (either side in the Land), its most connected
    municipalities and three charts. Unknown slug: 404."""
    state = state_from_slug(slug)
    filters = PartnershipFilters(state=state)
    data = statistics.network_statistics(filters)
    top = _cached(
        f"state:{slug}",
        lambda: _top_municipalities(
            partnership_filtered(filters),
            Municipality.objects.filter(state=state),
            limit=TOP_MUNICIPALITIES,
        ),
    )
    top = replace(top, municipalities_with_partnerships=data.summary.german_municipalities)
    charts = {key: data.charts[key] for key in ("region", "country", "decade")}
    return StatePage(state, slug, filters, data.summary, top, charts)


# --- A country --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountryPage:
    country: Country
    filters: PartnershipFilters
    summary: statistics.Summary
    top: PlaceTop
    charts: dict[str, Series]


def country_page(iso2: str) -> CountryPage:
    """A country's partnerships with German municipalities, by Land and type, and its most
    connected municipalities. Unknown code: 404."""
    country = country_get(iso2=iso2)
    if country is None:
        raise Http404
    # Germany's partners in Germany are the inner-German pairs, which its page is about.
    filters = PartnershipFilters(country=country.pk, include_inner_german=country.pk == GERMANY)
    data = statistics.network_statistics(filters)
    top = _cached(
        f"country:{country.pk}",
        lambda: _top_municipalities(
            partnership_filtered(filters),
            Municipality.objects.filter(country_id=country.pk),
            limit=TOP_MUNICIPALITIES,
        ),
    )
    involved = data.summary.foreign_municipalities
    if country.pk == GERMANY:
        involved = data.summary.german_municipalities
    top = replace(top, municipalities_with_partnerships=involved)
    charts = {key: data.charts[key] for key in ("state", "type")}
    return CountryPage(country, filters, data.summary, top, charts)


# --- A municipality ---------------------------------------------------------------------------


def municipality_charts(municipality: Municipality) -> dict[str, Series]:
    """Its confirmed partners abroad by world region and by type, from one grouped query (region x
    type): the municipality page is kept to a fixed, small number of queries. Only rows with
    partners, as a single place rarely reaches every region."""
    partner_region = Case(
        When(municipality_a=municipality, then=F("municipality_b__country__world_region")),
        default=F("municipality_a__country__world_region"),
    )
    partnerships = Partnership.objects.public().involving(municipality)
    if municipality.country_id == GERMANY:
        # Its partners in Germany are listed as a group of their own, not as partners abroad.
        partnerships = partnerships.exclude(
            municipality_a__country_id=GERMANY, municipality_b__country_id=GERMANY
        )
    cells = (
        partnerships.order_by()
        .annotate(region=partner_region)
        .values("region", "type")
        .annotate(n=Count("pk"))
        .values_list("region", "type", "n")
    )
    regions: dict[str, int] = {}
    types: dict[str, int] = {}
    for region, kind, n in cells:
        regions[region or ""] = regions.get(region or "", 0) + n
        types[kind] = types.get(kind, 0) + n
    if not regions:
        return {}
    total = sum(regions.values())
    region_labels = dict(WorldRegion.choices)
    region_rows = [
        Row(key or statistics.UNKNOWN, str(region_labels.get(key, gettext("Unknown"))), (n,))
        for key, n in regions.items()
    ]
    type_rows = [
        Row(key, str(label), (types[key],))
        for key, label in PartnershipType.choices
        if key in types
    ]
    column = (gettext("Partnerships"),)
    return {
        "region": Series(
            "region",
            gettext("Partners by world region"),
            sorted(region_rows, key=lambda row: (-row.value, row.label)),
            column,
            total,
            dimension=gettext("World region"),
        ),
        "type": Series(
            "type",
            gettext("Partnerships by type"),
            type_rows,
            column,
            total,
            dimension=gettext("Type"),
        ),
    }
