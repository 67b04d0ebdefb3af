"""Matching a German place of the list to its Destatis municipality (by AGS in the registry's own
export; otherwise by name near the row's coordinates, with the lists' exonyms, qualifiers,
districts and Kreise), or saying why not and naming candidates for staff."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from partnerportal.core.text import fold
from partnerportal.geo.gazetteer import distance_km, exonyms

from ...models import Municipality
from ..values import name_and_hint
from .report import Failure

# How far the row's coordinates may lie from the municipality's own to count as the same place.
# Large cities measure 20–30 km across; neighbouring namesakes are usually much further apart.
MATCH_KM = 30.0
# A district (Berlin-Kreuzberg, Porz) lies within its city, but its coordinates can be far from
# the city's centre point.
DISTRICT_KM = 35.0
# A Kreis has no point of its own: one of its municipalities must lie this near the row's.
KREIS_NEAREST_MEMBER_KM = 15.0

GERMAN_KINDS_EXCLUDED = {Municipality.Kind.KREIS, Municipality.Kind.GEMEINDEVERBAND}

# Destatis abbreviates what the lists spell out ("Lauf a.d.Pegnitz", "Weiden i.d.OPf.",
# "St. Wendel", "Verden (Aller)" for "Verden an der Aller"): names are compared without their
# connecting words and with the usual abbreviations expanded.
_CONNECTORS = {"a", "an", "am", "d", "der", "den", "dem", "i", "in", "im", "b", "bei", "v", "vor"}
_ABBREVIATIONS = {"st": "sankt", "opf": "oberpfalz", "odw": "odenwald"}


def canonical(name: str) -> str:
    """Folded name without connecting words: "Frankfurt an der Oder" = "Frankfurt (Oder)"."""
    words = [_ABBREVIATIONS.get(w, w) for w in fold(name).split()]
    return " ".join(w for w in words if w not in _CONNECTORS) or fold(name)


@dataclass(slots=True)
class _Muni:
    pk: int
    name: str
    ags: str
    lat: float | None
    lng: float | None


def _km(m: _Muni, lat: float, lng: float) -> float:
    if m.lat is None or m.lng is None:
        return math.inf
    return distance_km(lat, lng, m.lat, m.lng)


def _candidate(m: _Muni, lat: float, lng: float) -> dict:
    km = _km(m, lat, lng)
    return {
        "id": m.pk,
        "name": m.name,
        "ags": m.ags,
        "km": None if math.isinf(km) else round(km, 1),
    }


class GermanIndex:
    """German municipalities (and, apart, Kreise) by folded name and by every leading word
    sequence of it ("frankfurt" leads to Frankfurt am Main and Frankfurt (Oder))."""

    def __init__(self) -> None:
        self.exact: dict[str, list[_Muni]] = {}
        self.prefix: dict[str, list[_Muni]] = {}
        self.kreise: dict[str, list[_Muni]] = {}
        self.all: list[_Muni] = []
        self.members: dict[str, list[_Muni]] = {}  # Gemeinden by the Kreis part of their AGS
        self.by_ags: dict[str, _Muni] = {}  # Gemeinden and Kreise alike
        rows = Municipality.objects.filter(country_id="DE", ags__isnull=False).values_list(
            "pk", "name", "search_name", "ags", "kind", "latitude", "longitude"
        )
        for pk, name, search_name, ags, kind, lat, lng in rows:
            muni = _Muni(pk, name, ags, lat, lng)
            self.by_ags[ags] = muni
            if kind in GERMAN_KINDS_EXCLUDED:
                self.kreise.setdefault(search_name or fold(name), []).append(muni)
                continue
            self.all.append(muni)
            self.members.setdefault(ags[:5], []).append(muni)
            key = canonical(name)
            self.exact.setdefault(key, []).append(muni)
            words = key.split()
            for end in range(1, len(words)):
                self.prefix.setdefault(" ".join(words[:end]), []).append(muni)

    def nearest(self, lat: float, lng: float, count: int = 3) -> list[_Muni]:
        return sorted(self.all, key=lambda m: _km(m, lat, lng))[:count]


class GermanResolver:
    def __init__(self, index: GermanIndex) -> None:
        self.index = index
        self.exonyms = exonyms()

    def _by_key(self, key: str, lat: float, lng: float, limit: float) -> _Muni | None:
        """The municipality named key (or whose name begins with key) nearest the point."""
        for table in (self.index.exact, self.index.prefix):
            found = table.get(key)
            if found:
                best = min(found, key=lambda m: _km(m, lat, lng))
                if _km(best, lat, lng) <= limit:
                    return best
        return None

    def _by_name(self, name: str, lat: float, lng: float, limit: float) -> _Muni | None:
        key = canonical(name)
        if not key:
            return None
        muni = self._by_key(key, lat, lng, limit)
        if muni is None and fold(name) in self.exonyms:
            german, kind = self.exonyms[fold(name)]
            muni = self._by_key(
                canonical(german), lat, lng, DISTRICT_KM if kind == "district" else limit
            )
        if muni is None:
            # "Erbach im Odenwald" is Destatis's "Erbach": the words before the first
            # connecting word, still only near the coordinates.
            words = fold(name).split()
            cut = next((i for i, w in enumerate(words) if i and w in _CONNECTORS), None)
            if cut:
                muni = self._by_key(" ".join(words[:cut]), lat, lng, limit)
        return muni

    def resolve_exactly(
        self, name: str, ags: str, lat: float | None, lng: float | None
    ) -> tuple[_Muni | None, Failure | None]:
        """A row of the registry's export: its AGS settles the side; without a known AGS, the
        name rules (which need the point), or without a point a name only one place bears."""
        if ags and ags in self.index.by_ags:
            return self.index.by_ags[ags], None
        if lat is not None and lng is not None:
            return self.resolve(name, lat, lng)
        named = self.index.exact.get(canonical(name), [])
        if len(named) == 1:
            return named[0], None
        return None, Failure(
            _("No coordinates and no known AGS, and the name is not unique."),
            [{"id": m.pk, "name": m.name, "ags": m.ags, "km": None} for m in named[:3]],
        )

    def resolve(self, name: str, lat: float, lng: float) -> tuple[_Muni | None, Failure | None]:
        # 1. The name as written, or its English exonym.
        muni = self._by_name(name, lat, lng, MATCH_KM)
        if muni:
            return muni, None
        base, hint = name_and_hint(name)
        # 2. A Kreis: "Paderborn (district)", "Lahn-Dill (district)", "Enz (district)".
        if hint and fold(hint) == "district":
            muni = self._kreis(base, lat, lng)
            if muni:
                return muni, None
            return None, Failure(
                _("No district (Kreis) of that name near the coordinates."),
                [_candidate(m, lat, lng) for m in self.index.nearest(lat, lng)],
            )
        # 3. Without its qualifier: "Friedberg, Hesse", "Stolberg (Rhineland)".
        if base != name:
            muni = self._by_name(base, lat, lng, MATCH_KM)
            if muni:
                return muni, None
        # 4. A district of a municipality, named in the row: "Porz (Cologne)",
        #    "Berlin – Tempelhof-Schöneberg", "Berlin-Kreuzberg", "Cologne-Porz".
        parents = []
        if hint:
            parents.append(hint)
        for separator in (" – ", " - ", "-", "/"):
            if separator in base:
                parents.append(base.split(separator, 1)[0].strip())
                break
        for parent in parents:
            muni = self._by_name(parent, lat, lng, DISTRICT_KM)
            if muni:
                return muni, None
        # 5. A known district (exonyms.csv, kind "district"): "Spandau" is in Berlin.
        known = self.exonyms.get(fold(base))
        if known and known[1] == "district":
            muni = self._by_key(canonical(known[0]), lat, lng, DISTRICT_KM)
            if muni:
                return muni, None
        # Nothing certain: name the nearest municipalities as candidates for staff.
        candidates = [_candidate(m, lat, lng) for m in self.index.nearest(lat, lng)]
        named = self.index.exact.get(canonical(base), [])
        if named:
            reason = _("A municipality of that name exists, but not near the coordinates.")
            candidates = [_candidate(m, lat, lng) for m in named[:3]] + candidates
        else:
            reason = _("No German municipality of that name near the coordinates.")
        return None, Failure(reason, candidates)

    def _kreis(self, base: str, lat: float, lng: float) -> _Muni | None:
        """A Kreis of that name one of whose municipalities lies near the coordinates (Destatis
        gives a Kreis no point of its own)."""
        key = fold(base)
        keys = [
            key,
            f"{key} kreis",
            f"{key}kreis",
            f"landkreis {key}",
            f"kreis {key}",
            f"regionalverband {key}",
        ]
        best, best_km = None, math.inf
        for kreis in (m for k in keys for m in self.index.kreise.get(k, [])):
            members = self.index.members.get(kreis.ags[:5], [])
            km = min((_km(m, lat, lng) for m in members), default=_km(kreis, lat, lng))
            if km < best_km:
                best, best_km = kreis, km
        return best if best_km <= KREIS_NEAREST_MEMBER_KM else None
