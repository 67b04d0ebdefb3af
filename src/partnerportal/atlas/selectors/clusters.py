"""Reads behind the atlas map: places grouped into grid cells per zoom level and visible area,
the partner countries with their number of partnerships, and one place with its partners.

The browser never receives every record. Each municipality stores its position on the unit Web
Mercator square (`map_x`, `map_y`); a zoom level divides that square into cells of about
`CELL_PIXELS` screen pixels, and one GROUP BY in SQL turns the places of the filtered
partnerships into one row per occupied cell. The visible area is widened to whole blocks of
cells before querying, so that neighbouring views share cache entries. Every answer is cached
under the registry's change version (`registry/changes.py`): a change anywhere in the registry
makes all of them stale at once, on every app server.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pycountry
from django.core.cache import cache
from django.db.models import Avg, Count, F, Max, Min, QuerySet
from django.db.models.functions import Floor
from django.http import Http404
from django.urls import reverse

from partnerportal.core.i18n import name_field
from partnerportal.core.mercator import web_mercator
from partnerportal.geo.models import Country
from partnerportal.registry.models import (
    Municipality,
)
from partnerportal.registry.selectors.public import (
    GERMANY,
    PartnershipFilters,
    municipalities_involved,
    partnership_filtered,
    type_and_status_labels,
)

from .statistics import cache_key

#: Edge of a grid cell on screen; about the size of a cluster marker with some air around it.
CELL_PIXELS = 64
TILE_PIXELS = 256
MIN_ZOOM = 1
MAX_ZOOM = 14
#: The visible area is widened to blocks of this many cells, so that panning a little reuses
#: the cached answer of the neighbouring view.
BLOCK_CELLS = 8
CACHE_SECONDS = 60 * 60 * 24


@dataclass(frozen=True)
class MapView:
    """A zoom level and the visible area in degrees (west, south, east, north)."""

    zoom: int
    west: float = -180.0
    south: float = -85.0
    east: float = 180.0
    north: float = 85.0

    @classmethod
    def world(cls, zoom: int = 2) -> MapView:
        return cls(zoom=zoom)


@dataclass(frozen=True)
class Cluster:
    """One occupied grid cell. `place` is set when the cell holds a single municipality."""

    count: int
    lat: float
    lng: float
    bounds: tuple[float, float, float, float]  # south, west, north, east
    country: str  # ISO code when all its places lie in one country, else ""
    country_name: str
    place: int | None = None
    name: str = ""


@dataclass(frozen=True)
class ClusterLayer:
    zoom: int
    clusters: list[Cluster]
    places: int
    partnerships: int
    bounds: tuple[float, float, float, float] | None  # of all places matching the filters

    def as_json(self) -> dict:
        return {
            "zoom": self.zoom,
            "places": self.places,
            "partnerships": self.partnerships,
            "bounds": self.bounds,
            "clusters": [_compact(cluster) for cluster in self.clusters],
        }


def _compact(cluster: Cluster) -> dict:
    """Short keys and rounded coordinates: the world view must stay small on the wire."""
    data = {
        "n": cluster.count,
        "lat": round(cluster.lat, 4),
        "lng": round(cluster.lng, 4),
    }
    if cluster.place is not None:
        data["id"] = cluster.place
        data["name"] = cluster.name
    else:
        data["b"] = [round(v, 3) for v in cluster.bounds]
    if cluster.country:
        data["c"] = cluster.country
        data["cn"] = cluster.country_name
    return data


# --- Web Mercator ------------------------------------------------------------------------------


def _latitude(y: float) -> float:
    """Latitude of a unit Web Mercator y (0 north … 1 south)."""
    return math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * y))))


def _longitude(x: float) -> float:
    return x * 360.0 - 180.0


def cell_size(zoom: int) -> float:
    """Edge of a grid cell on the unit square at `zoom`."""
    return CELL_PIXELS / (TILE_PIXELS * 2**zoom)


def _snapped_area(view: MapView) -> tuple[int, int, int, int]:
    """The visible area as whole blocks of cells (block indices x0, y0, x1, y1, inclusive)."""
    block = cell_size(view.zoom) * BLOCK_CELLS
    blocks = max(1, math.ceil(1.0 / block))
    west = (max(-180.0, min(180.0, view.west)) + 180.0) / 360.0
    east = (max(-180.0, min(180.0, view.east)) + 180.0) / 360.0
    if east <= west or view.east - view.west >= 360.0:
        west, east = 0.0, 1.0
    _, north = web_mercator(max(view.south, view.north), 0.0)
    _, south = web_mercator(min(view.south, view.north), 0.0)

    def clamp(value: int) -> int:
        return max(0, min(blocks - 1, value))

    return (
        clamp(math.floor(west / block)),
        clamp(math.floor(north / block)),
        clamp(math.floor(east / block)),
        clamp(math.floor(south / block)),
    )


# --- Filters and caching -----------------------------------------------------------------------


def _cache_key(kind: str, filters: PartnershipFilters, *parts: object) -> str:
    """The statistics' key (registry version, language, counting filters) plus the view."""
    tail = ":".join(str(part) for part in parts)
    return f"{cache_key(filters, prefix=f'atlas:{kind}')}:{tail}"


def _mapped_places(filters: PartnershipFilters) -> QuerySet[Municipality]:
    """Municipalities on either side of a matching partnership that have a map position."""
    return municipalities_involved(filters).filter(map_x__isnull=False, map_y__isnull=False)


def _country_names(codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    return dict(Country.objects.filter(pk__in=codes).values_list("pk", name_field()))


# --- Clusters ----------------------------------------------------------------------------------


def atlas_clusters(filters: PartnershipFilters, view: MapView) -> ClusterLayer:
    """The occupied grid cells of the visible area at the view's zoom level (cached)."""
    zoom = max(MIN_ZOOM, min(MAX_ZOOM, int(view.zoom)))
    view = MapView(zoom, view.west, view.south, view.east, view.north)
    area = _snapped_area(view)
    key = _cache_key("clusters", filters, zoom, *area)
    return cache.get_or_set(key, lambda: _clusters_uncached(filters, view, area), CACHE_SECONDS)


def _clusters_uncached(
    filters: PartnershipFilters, view: MapView, area: tuple[int, int, int, int]
) -> ClusterLayer:
    size = cell_size(view.zoom)
    block = size * BLOCK_CELLS
    x0, y0, x1, y1 = area
    places = _mapped_places(filters)
    visible = places.filter(
        map_x__gte=x0 * block,
        map_x__lt=(x1 + 1) * block,
        map_y__gte=y0 * block,
        map_y__lt=(y1 + 1) * block,
    )
    cells = list(
        visible.annotate(cell_x=Floor(F("map_x") / size), cell_y=Floor(F("map_y") / size))
        .values("cell_x", "cell_y")
        .annotate(
            count=Count("pk"),
            x=Avg("map_x"),
            y=Avg("map_y"),
            min_x=Min("map_x"),
            max_x=Max("map_x"),
            min_y=Min("map_y"),
            max_y=Max("map_y"),
            first=Min("pk"),
            first_country=Min("country_id"),
            last_country=Max("country_id"),
        )
        .order_by()
    )
    singles = [cell["first"] for cell in cells if cell["count"] == 1]
    names = dict(Municipality.objects.filter(pk__in=singles).values_list("pk", "name"))
    countries = {c["first_country"] for c in cells if c["first_country"] == c["last_country"]}
    country_names = _country_names(countries)
    clusters = []
    for cell in cells:
        single = cell["count"] == 1
        country = cell["first_country"] if cell["first_country"] == cell["last_country"] else ""
        clusters.append(
            Cluster(
                count=cell["count"],
                lat=_latitude(cell["y"]),
                lng=_longitude(cell["x"]),
                bounds=(
                    _latitude(cell["max_y"]),
                    _longitude(cell["min_x"]),
                    _latitude(cell["min_y"]),
                    _longitude(cell["max_x"]),
                ),
                country=country,
                country_name=country_names.get(country, ""),
                place=cell["first"] if single else None,
                name=names.get(cell["first"], "") if single else "",
            )
        )
    # Larger clusters first: the list beside the map reads from the top.
    clusters.sort(key=lambda c: (-c.count, c.name, c.lat, c.lng))
    totals = _totals(filters)
    return ClusterLayer(
        zoom=view.zoom,
        clusters=clusters,
        places=totals["places"],
        partnerships=totals["partnerships"],
        bounds=totals["bounds"],
    )


def _totals(filters: PartnershipFilters) -> dict:
    """How many partnerships and mapped places match, and where the focus lies: the places of
    the Land, country or world region filtered for, else all of them (cached apart from the
    viewport)."""
    key = _cache_key("totals", filters)
    totals = cache.get(key)
    if totals is not None:
        return totals
    places = _mapped_places(filters)
    focus = places
    if filters.state:
        focus = focus.filter(state=filters.state)
    elif filters.country:
        focus = focus.filter(country_id=filters.country)
    elif filters.region:
        focus = focus.filter(country__world_region=filters.region)
    extent = focus.aggregate(
        places=Count("pk"),
        min_x=Min("map_x"),
        max_x=Max("map_x"),
        min_y=Min("map_y"),
        max_y=Max("map_y"),
    )
    bounds = None
    if extent["min_x"] is not None:
        bounds = (
            round(_latitude(extent["max_y"]), 4),
            round(_longitude(extent["min_x"]), 4),
            round(_latitude(extent["min_y"]), 4),
            round(_longitude(extent["max_x"]), 4),
        )
    totals = {
        # Without a Land or country the focus is every place: one scan gives both.
        "places": places.count() if focus is not places else extent["places"],
        "partnerships": partnership_filtered(filters).count(),
        "bounds": bounds,
    }
    cache.set(key, totals, CACHE_SECONDS)
    return totals


# --- Partner countries -------------------------------------------------------------------------


@dataclass(frozen=True)
class CountryCount:
    iso2: str
    numeric: str  # ISO 3166 numeric, the id of the Natural Earth outlines
    name: str
    count: int


def _numeric_codes() -> dict[str, str]:
    return {c.alpha_2: c.numeric for c in pycountry.countries}


def atlas_partner_countries(filters: PartnershipFilters) -> list[CountryCount]:
    """Partner countries with the number of matching partnerships that reach into them (each
    side outside Germany counts for its country), most first (cached)."""
    key = _cache_key("countries", filters)
    found = cache.get(key)
    if found is not None:
        return found
    partnerships = partnership_filtered(filters)
    counts: dict[str, int] = {}
    for side in ("municipality_a", "municipality_b"):
        rows = (
            partnerships.exclude(**{f"{side}__country_id": GERMANY})
            .values(f"{side}__country_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            code = row[f"{side}__country_id"]
            counts[code] = counts.get(code, 0) + row["n"]
    names = _country_names(set(counts))
    numeric = _numeric_codes()
    found = sorted(
        (
            CountryCount(code, numeric.get(code, ""), names.get(code, code), count)
            for code, count in counts.items()
        ),
        key=lambda c: (-c.count, c.name),
    )
    cache.set(key, found, CACHE_SECONDS)
    return found


# --- One place ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacePartner:
    partnership: int
    partner: int
    name: str
    country: str
    lat: float | None
    lng: float | None
    type: str
    status: str
    start_year: int | None


@dataclass(frozen=True)
class AtlasPlace:
    id: int
    name: str
    country: str
    lat: float | None
    lng: float | None
    url: str
    partners: list[PlacePartner]

    def as_json(self) -> dict:
        partnerships_url = reverse("registry:partnership_list")
        return {
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "lat": self.lat,
            "lng": self.lng,
            "url": self.url,
            "partners": [
                {
                    "name": p.name,
                    "country": p.country,
                    "lat": p.lat,
                    "lng": p.lng,
                    "type": p.type,
                    "status": p.status,
                    "start": p.start_year,
                    "url": f"{partnerships_url}{p.partnership}/",
                }
                for p in self.partners
            ],
        }


def atlas_place(pk: int, filters: PartnershipFilters) -> AtlasPlace:
    """A place with its matching partnerships and where their partners lie (cached)."""
    key = _cache_key("place", filters, pk)
    found = cache.get(key)
    if found is not None:
        return found
    country = name_field()
    try:
        municipality = Municipality.objects.values(
            "pk", "name", f"country__{country}", "latitude", "longitude"
        ).get(pk=pk)
    except Municipality.DoesNotExist as exc:
        raise Http404 from exc
    rows = partnership_filtered(filters).involving(pk)
    types, statuses = type_and_status_labels()
    partners = []
    for side in ("a", "b"):
        other = "b" if side == "a" else "a"
        for record in rows.filter(**{f"municipality_{side}_id": pk}).values(
            "pk",
            "type",
            "status",
            "start_year",
            f"municipality_{other}_id",
            f"municipality_{other}__name",
            f"municipality_{other}__country__{country}",
            f"municipality_{other}__latitude",
            f"municipality_{other}__longitude",
        ):
            partners.append(
                PlacePartner(
                    partnership=record["pk"],
                    partner=record[f"municipality_{other}_id"],
                    name=record[f"municipality_{other}__name"],
                    country=record[f"municipality_{other}__country__{country}"],
                    lat=record[f"municipality_{other}__latitude"],
                    lng=record[f"municipality_{other}__longitude"],
                    type=types.get(record["type"], record["type"]),
                    status=statuses.get(record["status"], record["status"]),
                    start_year=record["start_year"],
                )
            )
    partners.sort(key=lambda p: (p.country, p.name, p.partnership))
    found = AtlasPlace(
        id=municipality["pk"],
        name=municipality["name"],
        country=municipality[f"country__{country}"],
        lat=municipality["latitude"],
        lng=municipality["longitude"],
        url=reverse("registry:municipality_detail", args=[pk]),
        partners=partners,
    )
    cache.set(key, found, CACHE_SECONDS)
    return found


__all__ = [
    "AtlasPlace",
    "Cluster",
    "ClusterLayer",
    "CountryCount",
    "MapView",
    "atlas_clusters",
    "atlas_partner_countries",
    "atlas_place",
    "cell_size",
    "partnership_filtered",
]
