"""Choosing a municipality by typing its name (core.pickers): the search, the label that names
one place unambiguously, and the way back from that label to the place. Registered as the
"municipality" picker in the registry's AppConfig.ready, so accounts' forms use it too."""

from __future__ import annotations

import re

from ..models import Municipality
from .public import municipality_search

#: "Köln – Nordrhein-Westfalen (AGS 05315000)", "Kyoto – Japan (GeoNames 1857910)", "(ID 12)".
_KEY = re.compile(r"\((AGS|GeoNames|ID) (\d{1,12})\)\s*$")
_AGS = re.compile(r"^\d{8}$")


def municipality_pick_search(text: str, limit: int) -> list[Municipality]:
    """The registry's own name search (names that start with the text first, larger places
    first), one page of it with the countries."""
    pks = list(municipality_search(text).values_list("pk", flat=True)[:limit])
    by_pk = Municipality.objects.select_related("country").in_bulk(pks)
    return [by_pk[pk] for pk in pks if pk in by_pk]


def municipality_pick_label(municipality: Municipality) -> str:
    name = municipality.name
    if municipality.name_suffix:
        name = f"{name}, {municipality.name_suffix}"
    where = municipality.state or municipality.country.name
    if municipality.ags:
        key = f"AGS {municipality.ags}"
    elif municipality.geonames_id:
        key = f"GeoNames {municipality.geonames_id}"
    else:
        key = f"ID {municipality.pk}"
    return f"{name} – {where} ({key})"


def municipality_pick_lookup(text: str) -> Municipality | None:
    """The place a label (or a bare eight-digit AGS) names."""
    match = _KEY.search(text)
    if match:
        kind, value = match.groups()
        field = {"AGS": "ags", "GeoNames": "geonames_id", "ID": "pk"}[kind]
        if kind == "AGS":
            value = value.zfill(8)
        return Municipality.objects.select_related("country").filter(**{field: value}).first()
    if _AGS.match(text):
        return Municipality.objects.select_related("country").filter(ags=text).first()
    return None


def municipality_pick_name(municipality: Municipality) -> str:
    return municipality.name
