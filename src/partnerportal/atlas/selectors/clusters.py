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
from dataclasses import dataclass, field

import pycountry
from django.core.cache import cache
from django.db.models import Case, Count, F, Max, Min, QuerySet, Sum, When, Window
from django.db.models.functions import Floor, RowNumber
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
#: Part of every cache key: a new shape of the answers (merged groups, names, labels) must not
#: be served from entries cached by the previous code.
ANSWER_FORMAT = 4
#: Marker diameters on screen (marker_size) and the air kept between two markers: clusters are
#: merged until no two markers of one answer touch.
PLACE_PIXELS = 14
MAX_MARKER_PIXELS = 56
MARKER_GAP_PIXELS = 2


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
    #: The single place's name, or the name of the group's largest place.
    name: str = ""
    size: int = 0  # diameter of the marker in screen pixels (marker_size)
    x: float = 0.0  # position on the unit Web Mercator square
    y: float = 0.0


@dataclass(frozen=True)
class ClusterLayer:
    zoom: int
    clusters: list[Cluster]
    places: int
    partnerships: int
    bounds: tuple[float, float, float, float] | None  # of all places matching the filters
    labels: list[Label] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "zoom": self.zoom,
            "places": self.places,
            "partnerships": self.partnerships,
            "bounds": self.bounds,
            "clusters": [_compact(cluster) for cluster in self.clusters],
            "labels": [
                [label.name, round(label.lat, 4), round(label.lng, 4), label.offset]
                for label in self.labels
            ],
        }


@dataclass(frozen=True)
class Label:
    """A place name written on the map (the largest places of the view, whether or not they
    have partnerships: orientation, like the names on a printed map)."""

    name: str
    lat: float
    lng: float
    offset: int = 4  # pixels between the point and the start of the name


def _compact(cluster: Cluster) -> dict:
    """Short keys and rounded coordinates: the world view must stay small on the wire."""
    data = {
        "n": cluster.count,
        "lat": round(cluster.lat, 4),
        "lng": round(cluster.lng, 4),
    }
    data["name"] = cluster.name
    data["s"] = cluster.size
    if cluster.place is not None:
        data["id"] = cluster.place
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
    return f"{cache_key(filters, prefix=f'atlas:{kind}:{ANSWER_FORMAT}')}:{tail}"


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


def marker_size(count: int) -> int:
    """Diameter of a marker on screen in pixels: a small ring for one place, a circle growing
    with the logarithm of its count for a group (atlas.js draws the size it is given)."""
    if count <= 1:
        return PLACE_PIXELS
    return min(MAX_MARKER_PIXELS, 26 + round(math.log(count) * 5))


@dataclass
class _Group:
    """A group of places while the clusters are made: the grid cell it started as, then every
    overlapping group it absorbed."""

    count: int
    sum_x: float
    sum_y: float
    min_x: float
    max_x: float
    min_y: float
    max_y: float
    countries: set[str]
    #: (not a Kreis, population, -pk, name) of its largest place: max() picks it
    top: tuple[bool, float, int, str]
    single: int | None

    @property
    def x(self) -> float:
        return self.sum_x / self.count

    @property
    def y(self) -> float:
        return self.sum_y / self.count

    def absorb(self, other: _Group) -> None:
        self.count += other.count
        self.sum_x += other.sum_x
        self.sum_y += other.sum_y
        self.min_x, self.max_x = min(self.min_x, other.min_x), max(self.max_x, other.max_x)
        self.min_y, self.max_y = min(self.min_y, other.min_y), max(self.max_y, other.max_y)
        self.countries |= other.countries
        self.top = max(self.top, other.top)
        self.single = None


def markers_overlap(x1: float, y1: float, n1: int, x2: float, y2: float, n2: int, zoom: int):
    """Whether two markers at these unit-square positions touch on screen at `zoom`."""
    scale = TILE_PIXELS * 2**zoom
    reach = (marker_size(n1) + marker_size(n2)) / 2 + MARKER_GAP_PIXELS
    return math.hypot((x1 - x2) * scale, (y1 - y2) * scale) < reach


def _merge_overlapping(groups: list[_Group], zoom: int) -> list[_Group]:
    """Grid cells are square, markers are drawn at the centre of their places: two neighbouring
    cells can put their markers on top of each other. Groups that would touch on screen are
    merged, the larger absorbing the smaller, until none touch (a few passes; a spatial hash of
    buckets as wide as two of the largest markers keeps each pass linear)."""
    scale = TILE_PIXELS * 2**zoom
    bucket = MAX_MARKER_PIXELS + MARKER_GAP_PIXELS
    changed = True
    while changed:
        changed = False
        groups.sort(key=lambda g: (-g.count, -g.top[1], g.top[2]))
        buckets: dict[tuple[int, int], list[_Group]] = {}
        kept: list[_Group] = []
        for group in groups:
            px, py = group.x * scale, group.y * scale
            bx, by = int(px // bucket), int(py // bucket)
            hit = None
            for nx in (bx - 1, bx, bx + 1):
                for ny in (by - 1, by, by + 1):
                    for other in buckets.get((nx, ny), ()):
                        if markers_overlap(
                            group.x, group.y, group.count, other.x, other.y, other.count, zoom
                        ):
                            hit = other
                            break
                    if hit:
                        break
                if hit:
                    break
            if hit is not None:
                hit.absorb(group)  # it may move and grow: the next pass checks it again
                changed = True
            else:
                kept.append(group)
                buckets.setdefault((bx, by), []).append(group)
        groups = kept
    return groups


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
    ).annotate(cell_x=Floor(F("map_x") / size), cell_y=Floor(F("map_y") / size))
    cells = list(
        visible.values("cell_x", "cell_y")
        .annotate(
            count=Count("pk"),
            sum_x=Sum("map_x"),
            sum_y=Sum("map_y"),
            min_x=Min("map_x"),
            max_x=Max("map_x"),
            min_y=Min("map_y"),
            max_y=Max("map_y"),
            first_country=Min("country_id"),
            last_country=Max("country_id"),
        )
        .order_by()
    )
    # The largest place of each cell (by population; the oldest entry where none is known),
    # which names the group ("Köln and 81 more"): one row per cell from a window function. A
    # Kreis counts the people of all its Gemeinden: it names a group only when nothing else can.
    largest = visible.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("cell_x"), F("cell_y")],
            order_by=[
                Case(When(kind=Municipality.Kind.KREIS, then=1), default=0).asc(),
                F("population").desc(nulls_last=True),
                F("pk").asc(),
            ],
        )
    ).filter(rank=1)
    tops = {
        (cx, cy): (kind != Municipality.Kind.KREIS, population or 0, -pk, name)
        for cx, cy, pk, name, population, kind in largest.values_list(
            "cell_x", "cell_y", "pk", "name", "population", "kind"
        )
    }
    groups = []
    for cell in cells:
        top = tops[(cell["cell_x"], cell["cell_y"])]
        countries = {cell["first_country"], cell["last_country"]}
        groups.append(
            _Group(
                count=cell["count"],
                sum_x=cell["sum_x"],
                sum_y=cell["sum_y"],
                min_x=cell["min_x"],
                max_x=cell["max_x"],
                min_y=cell["min_y"],
                max_y=cell["max_y"],
                countries=countries,
                top=top,
                single=-top[2] if cell["count"] == 1 else None,
            )
        )
    groups = _merge_overlapping(groups, view.zoom)
    one_country = {next(iter(g.countries)) for g in groups if len(g.countries) == 1}
    country_names = _country_names(one_country)
    clusters = []
    for group in groups:
        country = next(iter(group.countries)) if len(group.countries) == 1 else ""
        clusters.append(
            Cluster(
                count=group.count,
                lat=_latitude(group.y),
                lng=_longitude(group.x),
                bounds=(
                    _latitude(group.max_y),
                    _longitude(group.min_x),
                    _latitude(group.min_y),
                    _longitude(group.max_x),
                ),
                country=country,
                country_name=country_names.get(country, ""),
                place=group.single,
                name=group.top[3],
                size=marker_size(group.count),
                x=group.x,
                y=group.y,
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
        labels=_labels(view.zoom, area, clusters),
    )


# --- Place names -------------------------------------------------------------------------------

#: At most this many names per view. Groups are named first (their largest place, beside the
#: marker), then the largest places of the view fill the gaps; no name covers a marker or another
#: name. None at the world view, where the countries orient.
LABELS_PER_VIEW = 60
LABEL_MIN_ZOOM = 4
LABEL_CANDIDATES = 400
LABEL_CHAR_PIXELS = 7
LABEL_HEIGHT_PIXELS = 16
#: Air kept around every name while placing it. The answer carries the points rounded to four
#: decimals (up to about 1 px apart from the exact ones at zoom 14, for the name and the marker
#: each) and the box is computed again from latitude and longitude: without this margin a name
#: that just touches a marker here could cover it by a fraction of a pixel there.
LABEL_GAP_PIXELS = 2

Box = tuple[float, float, float, float]  # left, top, right, bottom in world pixels


def label_box(x: float, y: float, name: str, offset: float, zoom: int) -> Box:
    """The screen rectangle a name takes: written to the right of its point (`offset` pixels
    from it), as atlas.js draws it."""
    scale = TILE_PIXELS * 2**zoom
    left, middle = x * scale + offset, y * scale
    width = len(name) * LABEL_CHAR_PIXELS + 4
    return (left, middle - LABEL_HEIGHT_PIXELS / 2, left + width, middle + LABEL_HEIGHT_PIXELS / 2)


def marker_box(cluster: Cluster, zoom: int) -> Box:
    scale = TILE_PIXELS * 2**zoom
    half = cluster.size / 2
    px, py = cluster.x * scale, cluster.y * scale
    return (px - half, py - half, px + half, py + half)


def boxes_overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _labels(zoom: int, area: tuple[int, int, int, int], clusters: list[Cluster]) -> list[Label]:
    """Names that fit without covering a marker or each other: each group's largest place
    beside its marker (largest groups first), then the largest places of the area."""
    if zoom < LABEL_MIN_ZOOM:
        return []
    markers = [marker_box(cluster, zoom) for cluster in clusters]
    placed: list[Box] = []
    labels: list[Label] = []

    def place(name: str, x: float, y: float, offset: int, own: int | None) -> None:
        # The offset is sent and drawn as a whole number of pixels (atlas.js): the box is
        # measured with that same number, never with a fraction the browser will not draw.
        box = label_box(x, y, name, offset, zoom)
        gap = LABEL_GAP_PIXELS
        padded = (box[0] - gap, box[1] - gap, box[2] + gap, box[3] + gap)
        if any(boxes_overlap(padded, other) for other in placed):
            return
        if any(boxes_overlap(padded, m) for i, m in enumerate(markers) if i != own):
            return
        placed.append(box)
        labels.append(Label(name, _latitude(y), _longitude(x), offset))

    for index, cluster in enumerate(clusters):  # largest first
        if len(labels) >= LABELS_PER_VIEW:
            return labels
        # Beside its own marker: half its size rounded up, so that the name never touches it.
        place(cluster.name, cluster.x, cluster.y, math.ceil(cluster.size / 2) + 3, index)
    named = {cluster.name for cluster in clusters}
    block = cell_size(zoom) * BLOCK_CELLS
    x0, y0, x1, y1 = area
    rows = (
        Municipality.objects.filter(
            map_x__gte=x0 * block,
            map_x__lt=(x1 + 1) * block,
            map_y__gte=y0 * block,
            map_y__lt=(y1 + 1) * block,
            population__isnull=False,
        )
        .exclude(kind=Municipality.Kind.KREIS)  # a Kreis's point is a centre, not a place
        .order_by("-population", "pk")
        .values_list("name", "map_x", "map_y")[:LABEL_CANDIDATES]
    )
    for name, x, y in rows:
        if len(labels) >= LABELS_PER_VIEW:
            break
        if name not in named:
            place(name, x, y, 4, None)
    return labels


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
