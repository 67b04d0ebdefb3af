"""Reads behind the public API (/api/v1/): only what anyone may see, with a fixed number of
queries per page however many rows it holds."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from partnerportal.registry.models import (
    ContactPerson,
    Municipality,
    Partnership,
    PartnershipStatusChange,
)

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


def api_partnership_list(
    *,
    municipality: int | None = None,
    country: str = "",
    type: str = "",
    status: str = "",
    theme: str = "",
) -> QuerySet[Partnership]:
    """Confirmed partnerships with the filters of the API; contact persons only where they agreed
    to be public."""
    partnerships = Partnership.objects.public()
    if municipality is not None:
        partnerships = partnerships.filter(
            Q(municipality_a_id=municipality) | Q(municipality_b_id=municipality)
        )
    if country:
        code = country.upper()
        # One subquery of ids instead of an OR across two joins (see selectors/public.py).
        ids = Municipality.objects.filter(country_id=code).values("id")
        partnerships = partnerships.filter(Q(municipality_a__in=ids) | Q(municipality_b__in=ids))
    if type:
        partnerships = partnerships.filter(type=type)
    if status:
        partnerships = partnerships.filter(status=status)
    if theme:
        partnerships = partnerships.filter(themes__code=theme)
    return (
        partnerships.select_related("municipality_a", "municipality_b")
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
                queryset=PartnershipStatusChange.objects.order_by("valid_from", "created_at"),
                to_attr="status_history",
            ),
        )
        .order_by("id")
    )
