"""Matching a foreign place of the list: a municipality already in the registry, a GeoNames
gazetteer place (created when first needed) or, failing both, a place created from the row and
marked unverified. The places this run creates are kept until the writer stores them."""

from __future__ import annotations

import math
from collections.abc import Callable

from partnerportal.core.text import fold
from partnerportal.geo.gazetteer import Gazetteer, distance_km

from ...models import SEARCH_NAME_LENGTH, Municipality
from ..values import name_and_hint
from .german import MATCH_KM


def _search_name(name: str) -> str:
    """The search name the place of that name is stored with (Municipality.search_name)."""
    return fold(name)[:SEARCH_NAME_LENGTH]


class ForeignResolver:
    """Foreign places: an existing municipality, a gazetteer place (created when first needed)
    or, failing both, a place created from the row and marked unverified."""

    def __init__(self, gazetteer_factory: Callable[[], Gazetteer]) -> None:
        self._gazetteer_factory = gazetteer_factory
        self._gazetteer: Gazetteer | None = None
        self.by_geonames: dict[int, int | Municipality] = {}
        self.by_name: dict[tuple[str, str], list[tuple[float | None, float | None, object]]] = {}
        self.new: list[Municipality] = []
        self.countries: set[str] = set()
        rows = Municipality.objects.exclude(country_id="DE").values_list(
            "pk", "country_id", "search_name", "geonames_id", "latitude", "longitude"
        )
        for pk, country, search_name, geonames_id, lat, lng in rows:
            if geonames_id:
                self.by_geonames[geonames_id] = pk
            self.by_name.setdefault((country, search_name), []).append((lat, lng, pk))

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = self._gazetteer_factory()
        return self._gazetteer

    def _existing_by_name(self, country: str, name: str, lat: float | None, lng: float | None):
        if lat is None or lng is None:  # without a point, only a name that one place bears
            found = self.by_name.get((country, _search_name(name)), ())
            return found[0][2] if len(found) == 1 else None
        best, best_km = None, math.inf
        for mlat, mlng, ref in self.by_name.get((country, _search_name(name)), ()):
            km = 0.0 if mlat is None or mlng is None else distance_km(lat, lng, mlat, mlng)
            if km < best_km:
                best, best_km = ref, km
        return best if best_km <= MATCH_KM else None

    def resolve_exactly(
        self, name: str, country: str, geonames_id: int | None, lat: float | None, lng: float | None
    ) -> int | Municipality:
        """A row of the registry's export (or a row without a point): a GeoNames id settles the
        side (a place already in the registry, or the gazetteer's); without a point, a place of
        the registry bearing this name (the only one, or the only one without a point)
        comes before the gazetteer; otherwise the name rules.

        A place without a point is one the export writes without coordinates: a Kreis, a place
        that never had them, or one whose coordinates the coordinate check cleared because they
        lay outside its country (services/coordinates.py). Looked up by its name alone, the
        gazetteer may match another place through an alternate name ("Anyang", Korea: Anyang-si),
        and the re-import would create that place instead of finding the registry's own."""
        if geonames_id:
            if geonames_id in self.by_geonames:
                return self.by_geonames[geonames_id]
            place = self.gazetteer.by_id.get(geonames_id)
            if place is not None and place.country == country:
                return self._from_gazetteer(place)
        if lat is None or lng is None:
            existing = self._existing_without_point(country, name)
            if existing is not None:
                return existing
        return self.resolve(name, country, lat, lng)

    def _existing_without_point(self, country: str, name: str):
        """The registry's place of this name (folded as search names are) for a row without a
        point: the only one of that name, else the only one of that name without a point; None
        when there is no such one place."""
        found = self.by_name.get((country, _search_name(name)), ())
        if len(found) == 1:
            return found[0][2]
        pointless = [ref for lat, lng, ref in found if lat is None or lng is None]
        return pointless[0] if len(pointless) == 1 else None

    def _from_gazetteer(self, place) -> Municipality:
        muni = Municipality(
            name=place.name,
            alternate_names=place.alternate_names[:50],
            country_id=place.country,
            kind=Municipality.Kind.FOREIGN,
            population=place.population or None,
            latitude=place.latitude,
            longitude=place.longitude,
            geonames_id=place.geonames_id,
            source=Municipality.Source.GEONAMES,
            verified=True,
        )
        return self._remember(muni, place.geonames_id)

    def resolve(
        self, name: str, country: str, lat: float | None, lng: float | None
    ) -> int | Municipality:
        base, _hint = name_and_hint(name)
        names = [name] if base == name else [name, base]
        for candidate in names:
            place = self.gazetteer.find(country, candidate, lat, lng, max_km=MATCH_KM)
            if place is None:
                continue
            if place.geonames_id in self.by_geonames:
                return self.by_geonames[place.geonames_id]
            existing = self._existing_by_name(country, place.name, place.latitude, place.longitude)
            if existing is not None:
                return existing
            return self._from_gazetteer(place)
        for candidate in names:
            existing = self._existing_by_name(country, candidate, lat, lng)
            if existing is not None:
                return existing
        muni = Municipality(
            name=name,
            country_id=country,
            kind=Municipality.Kind.FOREIGN,
            latitude=lat,
            longitude=lng,
            source=Municipality.Source.IMPORT,
            verified=False,
        )
        return self._remember(muni, None)

    def settle(self) -> None:
        """The new places are stored: keep their ids instead of the objects."""
        for muni in self.new:
            if muni.geonames_id:
                self.by_geonames[muni.geonames_id] = muni.pk
            entries = self.by_name[(muni.country_id, muni.search_name)]
            entries[:] = [(lat, lng, muni.pk if ref is muni else ref) for lat, lng, ref in entries]
        self.new = []

    def _remember(self, muni: Municipality, geonames_id: int | None) -> Municipality:
        muni.refresh_derived_fields()
        self.new.append(muni)
        self.countries.add(muni.country_id)
        if geonames_id:
            self.by_geonames[geonames_id] = muni
        self.by_name.setdefault((muni.country_id, muni.search_name), []).append(
            (muni.latitude, muni.longitude, muni)
        )
        return muni
