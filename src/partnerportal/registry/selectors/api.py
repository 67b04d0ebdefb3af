"""Reads behind the public API (/api/v1/): only what anyone may see, with a fixed number of
queries per page however many rows it holds. Partnerships are filtered by the registry list's
own selector (selectors/public.py), so that the API and the list never disagree."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from partnerportal.registry.models import (
    ContactPerson,
    Municipality,
    Partnership,
    PartnershipStatusChange,
)
from partnerportal.registry.selectors.public import PartnershipFilters, partnership_filtered

MUNICIPALITY_FIELDS = (
    "id",
    "name",
    "name_suffix",
    "country_id",
    "kind",
    "ags",
    "state",
    "district",
    "administrative_district",
    "postal_code",
    "population",
    "area_km2",
    "latitude",
    "longitude",
    "alternate_names",
    "geonames_id",
    "source",
    "verified",
)


def api_municipality_list(*, q: str = "", country: str = "") -> QuerySet[Municipality]:
    """Municipalities by folded name ("Koln" finds Köln) and ISO country code, in name order."""
    municipalities = Municipality.objects.all()
    if q.strip():
        municipalities = municipalities.search(q)
    if country:
        municipalities = municipalities.filter(country_id=country.upper())
    return municipalities.only(*MUNICIPALITY_FIELDS).order_by("search_name", "id")


def api_municipality_get(*, municipality_id: int) -> Municipality | None:
    return Municipality.objects.only(*MUNICIPALITY_FIELDS).filter(pk=municipality_id).first()


def api_partnership_filters(
    *,
    municipality: int | None = None,
    state: str = "",
    country: str = "",
    region: str = "",
    type: str = "",
    theme: str = "",
    status: str = "",
    year_from: int | None = None,
    year_to: int | None = None,
    german_side: bool = False,
    inner_german: bool = False,
) -> PartnershipFilters:
    """The API's parameters as the registry list's filters. The API differs from the list in
    one default only: it answers with every confirmed pair, and with the list's pairs (a German
    side and a partner abroad) when asked (`german_side`), plus the inner-German pairs when
    asked for those too (`inner_german`, as the list's filter of that name)."""
    return PartnershipFilters(
        municipality=municipality,
        state=state,
        country=country.upper(),
        region=region,
        type=type,
        theme=theme,
        status=status,
        year_from=year_from,
        year_to=year_to,
        include_non_german=not german_side,
        include_inner_german=inner_german or not german_side,
    )


def api_partnership_list(filters: PartnershipFilters) -> QuerySet[Partnership]:
    """Confirmed partnerships matching the list's filters, by id, with everything the API shows
    prefetched; contact persons only where they agreed to be public."""
    return (
        partnership_filtered(filters)
        .select_related("municipality_a", "municipality_b")
        .prefetch_related(
            "themes",
            "programmes",
            "actors",
            Prefetch(
                "contacts",
                queryset=ContactPerson.objects.filter(visibility=ContactPerson.Visibility.PUBLIC),
                to_attr="public_contacts",
            ),
            Prefetch(
                "status_changes",
                queryset=PartnershipStatusChange.objects.in_history_order(),
                to_attr="status_history",
            ),
        )
        .order_by("id")
    )


def api_partnership_export(filters: PartnershipFilters) -> QuerySet[Partnership]:
    """The partnerships of a file export, by id: the writers (atlas/exports.py) read the
    columns they need themselves."""
    return partnership_filtered(filters).order_by("id")
