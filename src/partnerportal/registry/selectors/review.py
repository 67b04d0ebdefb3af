"""Reads for the import review queue: an item's original row as labelled fields (not a dump of
"city1=…; lat1=…"), and the places on its small map. Rows of any kind of item are shown the
same way: known columns get readable labels, unknown ones their own name, so a new kind of
item (e.g. misplaced coordinates) needs nothing here to be readable."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ..models import Municipality, ReviewItem

#: Column name (without the side's digit) -> label. The twin-towns file and our own export.
COLUMN_LABELS = {
    "city": _("Place"),
    "name": _("Name"),
    "country": _("Country"),
    "lat": _("Latitude"),
    "latitude": _("Latitude"),
    "lng": _("Longitude"),
    "lon": _("Longitude"),
    "longitude": _("Longitude"),
    "ags": _("Official municipality key (AGS)"),
    "geonames_id": _("GeoNames ID"),
    "geonames": _("GeoNames ID"),
    "type": _("Type"),
    "status": _("Status"),
    "start_year": _("Start year"),
    "themes": _("Themes"),
    "municipality": _("Municipality"),
    "municipality_id": _("Municipality"),
    "distance_km": _("Distance (km)"),
}
_SIDE = re.compile(r"^(?P<column>[a-z_]+?)_?(?P<side>[12])$")


@dataclass
class FieldGroup:
    title: str
    #: whether this group is the side the item is about
    current: bool
    fields: list[tuple[str, Any]] = field(default_factory=list)


def _label(column: str) -> str:
    label = COLUMN_LABELS.get(column.lower())
    return str(label) if label is not None else capfirst(column.replace("_", " "))


def review_item_fields(item: ReviewItem) -> list[FieldGroup]:
    """The original row as groups of (label, value): the side in question, the other side,
    then the rest. A value that is not a mapping is shown as one field."""
    raw = item.raw
    if not isinstance(raw, dict):
        return [FieldGroup(str(_("Original row")), False, [(str(_("Value")), raw)])]
    sides: dict[str, FieldGroup] = {}
    rest = FieldGroup(str(_("Further details")), False)
    for key, value in raw.items():
        match = _SIDE.match(str(key))
        if match:
            side = match["side"]
            group = sides.get(side)
            if group is None:
                title = (
                    _("Side %(side)s (this entry)") if side == item.side else _("Side %(side)s")
                ) % {"side": side}
                group = sides[side] = FieldGroup(str(title), side == item.side)
            group.fields.append((_label(match["column"]), value))
        else:
            rest.fields.append((_label(str(key)), value))
    groups = [sides[side] for side in sorted(sides, key=lambda s: s != item.side)]
    return groups + ([rest] if rest.fields else [])


def _float(value: Any) -> float | None:
    try:
        number = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def review_item_position(item: ReviewItem) -> tuple[float, float] | None:
    """Where the row puts the place in question, if it says."""
    raw = item.raw if isinstance(item.raw, dict) else {}
    for lat_key, lng_key in (
        (f"lat{item.side}", f"lng{item.side}"),
        (f"latitude{item.side}", f"longitude{item.side}"),
        ("lat", "lng"),
        ("latitude", "longitude"),
    ):
        lat, lng = _float(raw.get(lat_key)), _float(raw.get(lng_key))
        if lat is not None and lng is not None and -90 <= lat <= 90 and -180 <= lng <= 180:
            return lat, lng
    return None


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def review_map_points(
    item: ReviewItem, candidates: list[Municipality]
) -> tuple[dict | None, list[dict], dict[int, float]]:
    """(the row's own position, the candidates' positions numbered as listed, each candidate's
    distance from the row in km) for the queue's small map and its list."""
    own = review_item_position(item)
    origin = {"lat": own[0], "lng": own[1]} if own else None
    points, distances = [], {}
    for number, candidate in enumerate(candidates, start=1):
        if candidate.latitude is None or candidate.longitude is None:
            continue
        points.append(
            {
                "n": number,
                "lat": candidate.latitude,
                "lng": candidate.longitude,
                "name": candidate.name,
            }
        )
        if own:
            distances[candidate.pk] = round(
                distance_km(own, (candidate.latitude, candidate.longitude))
            )
    return origin, points, distances
