"""Import of a twin towns list (the format of ../shared/data/twin_cities.csv) into partnerships.

Each side is resolved to a municipality: German places to their Destatis (AGS) municipality,
foreign places through the GeoNames gazetteer, and a foreign place the gazetteer lacks is created
from the row, unverified. Whatever cannot be resolved without guessing goes to the report and the
review queue (one item per unresolved place of a pair, counting the lines that name it). The file
is read and written a batch of rows at a time in one transaction, so memory stays bounded
whatever its size (a file over IMPORT_MAX_BYTES is refused unread) and bad input on any line
leaves the database as it was; the registry's places are indexed in memory, and what is already
stored (partnerships, review items) is looked up per batch, so that 22,000 rows take seconds,
not one query per row. Place and country names are checked against the length of the fields
they are stored in.

The registry's own CSV export (atlas/exports.py) is this format with columns added after the
original eight (EXTRA_COLUMNS, each optional), so that an export reads back without loss (its
cells escaped against spreadsheet formulas are read back as they were, core/csv.py): an AGS
or GeoNames id settles its side exactly (the name rules remain the fallback), and type, status,
start year and themes are applied to the partnerships the file creates. Coordinates may be
empty in such a file (a Kreis has no point of its own)."""

from __future__ import annotations

import csv
import hashlib
import json
import math
import shutil
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from partnerportal.core import csv as safe_csv
from partnerportal.core.text import fold
from partnerportal.geo.gazetteer import (
    Gazetteer,
    country_code,
    default_gazetteer,
    distance_km,
    exonyms,
)
from partnerportal.geo.models import Country
from partnerportal.geo.services import country_ensure

from ..changes import registry_changed
from ..models import (
    SEARCH_NAME_LENGTH,
    ImportRun,
    Municipality,
    Partnership,
    PartnershipStatus,
    PartnershipType,
    ReviewItem,
    Theme,
)
from ..services.partnerships import (
    SOURCE_RULES,
    PartnershipDraft,
    PartnershipSource,
    partnerships_create,
)
from ..validators import validate_start_year
from .errors import ImportFileError, NothingToImport, check_length
from .reading import LineReader, check_size, count_lines

HEADER = ["city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2"]
#: Columns the registry's export adds after HEADER; "id", "url" and "attribution" are read but
#: not used (ids and addresses belong to the database that wrote the file).
EXTRA_COLUMNS: tuple[str, ...] = (
    "id",
    "type",
    "status",
    "start_year",
    "themes",
    "ags1",
    "geonames_id1",
    "ags2",
    "geonames_id2",
    "url",
    "attribution",
)
THEME_SEPARATOR = ";"
#: Rows resolved and written together; memory holds one batch, not the file.
BATCH_SIZE = 2000
#: Ids per IN (...) query: below SQLite's historical limit of 999 parameters.
QUERY_CHUNK = 900
#: Places resolved recently (a list names its large cities again and again); bounded.
RESOLVE_CACHE_SIZE = 50_000
CHANGE_REASON = SOURCE_RULES[PartnershipSource.IMPORT].action

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


Point = tuple[str, str, float | None, float | None]  # name, country as written, lat, lng


@dataclass(slots=True)
class Attributes:
    """What an export row says about its partnership beyond the pair."""

    type: str = PartnershipType.PARTNERSCHAFT
    status: str = PartnershipStatus.ACTIVE
    start_year: int | None = None
    themes: tuple[str, ...] = ()


@dataclass(slots=True)
class Row:
    number: int  # 1-based line in the file (the header is line 1)
    raw: dict[str, str]  # the original eight columns, as review items keep them
    sides: tuple[Point, Point]
    ids: tuple[tuple[str, int | None], tuple[str, int | None]] = (("", None), ("", None))
    attributes: Attributes = field(default_factory=Attributes)


@dataclass(slots=True)
class Failure:
    reason: str
    candidates: list[dict] = field(default_factory=list)


@dataclass
class Result:
    run: ImportRun | None
    rows: int = 0
    partnerships_created: int = 0
    partnerships_existing: int = 0
    municipalities_created: int = 0
    unverified_created: int = 0
    review_items_created: int = 0
    report_rows: int = 0
    german_rows: int = 0
    german_resolved: int = 0

    @property
    def german_rate(self) -> float:
        return self.german_resolved / self.german_rows if self.german_rows else 1.0

    def as_counts(self) -> dict:
        return {
            "rows": self.rows,
            "partnerships_created": self.partnerships_created,
            "partnerships_existing": self.partnerships_existing,
            "municipalities_created": self.municipalities_created,
            "unverified_created": self.unverified_created,
            "review_items_created": self.review_items_created,
            "report_rows": self.report_rows,
            "german_rows": self.german_rows,
            "german_resolved": self.german_resolved,
            "german_rate": round(self.german_rate, 4),
        }


# --- Reading and validating ------------------------------------------------------------------


def _coordinate(value: str, *, line: int, name: str, limit: float) -> float:
    try:
        number = float(value.strip())
    except ValueError:
        raise ImportFileError(
            _("“%(value)s” is not a coordinate.") % {"value": value}, line=line, field=name
        ) from None
    if math.isnan(number) or not -limit <= number <= limit:
        raise ImportFileError(
            _("%(value)s lies outside −%(limit)s…%(limit)s.") % {"value": value, "limit": limit},
            line=line,
            field=name,
        )
    return number


def _header_columns(header: list[str]) -> list[str]:
    """The columns of the file: HEADER, then any of EXTRA_COLUMNS, each once. An unknown column
    is refused rather than ignored: a misspelt "start-year" would silently lose data."""
    columns = [h.strip() for h in header]
    if columns[: len(HEADER)] != HEADER:
        raise ImportFileError(
            _("Expected the header %(expected)s, found %(found)s.")
            % {"expected": ",".join(HEADER), "found": ",".join(header)},
            line=1,
        )
    extra = columns[len(HEADER) :]
    for name in extra:
        if name not in EXTRA_COLUMNS or extra.count(name) > 1:
            raise ImportFileError(
                _("Unknown or repeated column; the known extra columns are %(known)s.")
                % {"known": ",".join(EXTRA_COLUMNS)},
                line=1,
                field=name,
            )
    return columns


def _choice(value: str, choices, *, line: int, name: str, default: str) -> str:
    value = value.strip()
    if not value:
        return default
    if value not in choices.values:
        raise ImportFileError(
            _("“%(value)s” is not one of %(choices)s.")
            % {"value": value, "choices": ", ".join(choices.values)},
            line=line,
            field=name,
        )
    return value


def _whole_number(value: str, *, line: int, name: str, low: int, high: int) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise ImportFileError(
            _("“%(value)s” is not a whole number from %(low)s to %(high)s.")
            % {"value": value, "low": low, "high": high},
            line=line,
            field=name,
        )
    return int(value)


def _start_year(value: str, *, line: int) -> int | None:
    """A year by the model's rule (validators.py), refused with the model's words."""
    value = value.strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit():
        raise ImportFileError(
            _("“%(value)s” is not a year.") % {"value": value}, line=line, field="start_year"
        )
    try:
        validate_start_year(int(value))
    except ValidationError as error:
        raise ImportFileError(error.messages[0], line=line, field="start_year") from None
    return int(value)


def _attributes(values: dict[str, str], *, line: int, themes: set[str]) -> Attributes:
    codes = []
    for code in (c.strip() for c in values.get("themes", "").split(THEME_SEPARATOR)):
        if not code:
            continue
        if code not in themes:
            raise ImportFileError(
                _("Unknown theme “%(code)s”.") % {"code": code}, line=line, field="themes"
            )
        if code not in codes:
            codes.append(code)
    return Attributes(
        type=_choice(
            values.get("type", ""),
            PartnershipType,
            line=line,
            name="type",
            default=PartnershipType.PARTNERSCHAFT,
        ),
        status=_choice(
            values.get("status", ""),
            PartnershipStatus,
            line=line,
            name="status",
            default=PartnershipStatus.ACTIVE,
        ),
        start_year=_start_year(values.get("start_year", ""), line=line),
        themes=tuple(codes),
    )


def _ids(values: dict[str, str], n: str, *, line: int) -> tuple[str, int | None]:
    ags = values.get(f"ags{n}", "").strip()
    if ags and (not ags.isdigit() or len(ags) > 12):
        raise ImportFileError(
            _("“%(value)s” is not an official municipality key (AGS).") % {"value": ags},
            line=line,
            field=f"ags{n}",
        )
    geonames_id = _whole_number(
        values.get(f"geonames_id{n}", ""),
        line=line,
        name=f"geonames_id{n}",
        low=1,
        high=2**31 - 1,
    )
    return ags, geonames_id


def _bad_encoding(raw: bytes, position: int, line: int, offset: int) -> NoReturn:
    raise ImportFileError(
        _("The file is not UTF-8 encoded (byte %(byte)s).") % {"byte": offset}, line=line
    )


#: The stored field each text column must fit (a country column names a country).
_TEXT_LIMITS = {
    "city1": (Municipality, "name"),
    "city2": (Municipality, "name"),
    "country1": (Country, "name_en"),
    "country2": (Country, "name_en"),
}


def read_rows(lines: Iterable[str], *, themes: set[str] | None = None) -> Iterator[Row]:
    """Every row of the file, validated, one at a time; the first fault raises ImportFileError.

    `lines` are the file's lines with their endings (a LineReader, or a text file opened with
    newline=""). `themes` are the theme codes a "themes" column may name (read from the database
    when the file has that column and none are given)."""
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise ImportFileError(str(error), line=1) from None
    if not header:  # no line, or only a byte order mark or an empty line
        raise ImportFileError(_("The file is empty."), line=1)
    columns = _header_columns(header)
    extended = len(columns) > len(HEADER)
    if "themes" in columns and themes is None:
        themes = set(Theme.objects.values_list("code", flat=True))
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ImportFileError(str(error), line=reader.line_num) from None
        line = reader.line_num
        if not values or values == [""]:
            continue
        values = [safe_csv.unescape_cell(value) for value in values]  # the export's escaping
        if len(values) != len(columns):
            missing = columns[len(values)] if len(values) < len(columns) else ""
            raise ImportFileError(
                _("Expected %(expected)s fields, found %(found)s (truncated or broken row).")
                % {"expected": len(columns), "found": len(values)},
                line=line,
                field=missing,
            )
        everything = dict(zip(columns, values, strict=True))
        raw = {h: everything[h] for h in HEADER}
        sides: list[Point] = []
        for n in ("1", "2"):
            for name in (f"city{n}", f"country{n}"):
                model, model_field = _TEXT_LIMITS[name]
                check_length(raw[name].strip(), model, model_field, line=line, column=name)
            city = raw[f"city{n}"].strip()
            if not city:
                raise ImportFileError(_("The place name is empty."), line=line, field=f"city{n}")
            lat: float | None
            lng: float | None
            if extended and not raw[f"lat{n}"].strip() and not raw[f"lng{n}"].strip():
                lat = lng = None  # the export writes no point for a place without one
            else:
                lat = _coordinate(raw[f"lat{n}"], line=line, name=f"lat{n}", limit=90)
                lng = _coordinate(raw[f"lng{n}"], line=line, name=f"lng{n}", limit=180)
            sides.append((city, raw[f"country{n}"].strip(), lat, lng))
        row = Row(number=line, raw=raw, sides=(sides[0], sides[1]))
        if extended:
            row.ids = (_ids(everything, "1", line=line), _ids(everything, "2", line=line))
            row.attributes = _attributes(everything, line=line, themes=themes or set())
        yield row


def review_key(raw: dict[str, str], side: str) -> str:
    """One review item per unresolved place of a pair, however often and in whichever order
    (A–B or B–A) the pair appears: the pair's two places, sorted, and the one that failed.
    Computed from the original eight columns alone, as migration 0005 did for older items."""

    def number(value: str) -> float | str | None:
        value = value.strip()
        try:
            return float(value) if value else None
        except ValueError:
            return value

    places = [
        [raw[f"city{n}"].strip(), raw[f"country{n}"].strip(), number(raw[f"lat{n}"]),
         number(raw[f"lng{n}"])]
        for n in ("1", "2")
    ]  # fmt: skip
    failed = places[int(side) - 1]
    text = json.dumps([sorted(places, key=json.dumps), failed], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


# --- German places ---------------------------------------------------------------------------


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


def _split_name(name: str) -> tuple[str, str | None]:
    """ "Porz (Cologne)" -> ("Porz", "Cologne"); "Friedberg, Hesse" -> ("Friedberg", None)."""
    base, hint = name, None
    if name.endswith(")") and "(" in name:
        base, hint = name[: name.rindex("(")].strip(), name[name.rindex("(") + 1 : -1].strip()
    if "," in base:
        base = base.split(",", 1)[0].strip()
    return base, hint


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
        base, hint = _split_name(name)
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


# --- Foreign places --------------------------------------------------------------------------


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
        """A row of the registry's export: a GeoNames id settles the side (a place already in
        the registry, or the gazetteer's); otherwise the name rules."""
        if geonames_id:
            if geonames_id in self.by_geonames:
                return self.by_geonames[geonames_id]
            place = self.gazetteer.by_id.get(geonames_id)
            if place is not None and place.country == country:
                return self._from_gazetteer(place)
        return self.resolve(name, country, lat, lng)

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
        base, _hint = _split_name(name)
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


# --- The import ------------------------------------------------------------------------------


def _pk(ref: int | Municipality) -> int:
    return ref if isinstance(ref, int) else ref.pk


def _chunks(items: list, size: int = QUERY_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


Resolution = tuple[int | Municipality | None, Failure | None]


class _Import:
    """One run over the file, a batch of rows at a time: resolve, create the new places, then
    the batch's partnerships, status history, themes and review items, and append its failures
    to the report. What outlives a batch is what dedupe needs: the index of places (the
    registry's and those this run created, by name), a bounded cache of resolved places and the
    counters; partnerships and review items already stored are looked up per batch."""

    def __init__(self, *, run: ImportRun, path: Path, actor, theme_ids: dict[str, int],
                 gazetteer_factory: Callable[[], Gazetteer], report) -> None:  # fmt: skip
        self.run = run
        self.actor = actor
        self.theme_ids = theme_ids
        self.report = report
        self.result = Result(run=run)
        self.german = GermanResolver(GermanIndex())
        self.foreign = ForeignResolver(gazetteer_factory)
        self.countries: set[str] = set()
        self.cache: OrderedDict[tuple, Resolution] = OrderedDict()
        self.unsaved: list[tuple] = []  # cache keys that name a place not stored yet

    def resolve(
        self,
        city: str,
        country_raw: str,
        lat: float | None,
        lng: float | None,
        ags: str = "",
        geonames_id: int | None = None,
    ) -> Resolution:
        key = (city, country_raw, lat, lng, ags, geonames_id)
        if key in self.cache:
            self.cache.move_to_end(key)
            return self.cache[key]
        iso2 = country_code(country_raw)
        exact = bool(ags or geonames_id) or lat is None or lng is None
        found: Resolution
        if iso2 is None:
            found = (None, Failure(_("Unknown country “%s”.") % country_raw))
        elif iso2 == "DE":
            if exact:
                muni, failure = self.german.resolve_exactly(city, ags, lat, lng)
            else:
                muni, failure = self.german.resolve(city, lat, lng)
            found = (muni.pk if muni else None, failure)
        elif exact:
            found = (self.foreign.resolve_exactly(city, iso2, geonames_id, lat, lng), None)
        else:
            found = (self.foreign.resolve(city, iso2, lat, lng), None)
        self.cache[key] = found
        if isinstance(found[0], Municipality):
            self.unsaved.append(key)
        if len(self.cache) > RESOLVE_CACHE_SIZE:
            self.cache.popitem(last=False)
        return found

    def batch(self, rows: list[Row]) -> None:
        result = self.result
        result.rows += len(rows)
        resolved: list[tuple[Row, int | Municipality, int | Municipality]] = []
        failures: list[tuple[Row, str, Failure]] = []
        for row in rows:
            refs = []
            is_german = False
            german_ok = True
            for side, (city, country_raw, lat, lng), (ags, geonames_id) in zip(
                ("1", "2"), row.sides, row.ids, strict=True
            ):
                ref, failure = self.resolve(city, country_raw, lat, lng, ags, geonames_id)
                if country_code(country_raw) == "DE":
                    is_german = True
                    german_ok = german_ok and ref is not None
                if failure:
                    failures.append((row, side, failure))
                refs.append(ref)
            if is_german:
                result.german_rows += 1
                result.german_resolved += german_ok
            if refs[0] is not None and refs[1] is not None:
                resolved.append((row, refs[0], refs[1]))
        self._places()
        self._partnerships(resolved, failures)
        failures.sort(key=lambda f: (f[0].number, f[1]))
        self._review_items(failures)
        if self.report is not None:
            write_report_rows(self.report, failures)
        result.report_rows += len(failures)

    def _places(self) -> None:
        """Store the places this batch created; from now on they are known by their id."""
        new = self.foreign.new
        if not new:
            return
        for iso2 in sorted({m.country_id for m in new} - self.countries):
            country_ensure(iso2)
            self.countries.add(iso2)
        bulk_create_with_history(
            new,
            Municipality,
            batch_size=500,
            default_user=self.actor,
            default_change_reason=CHANGE_REASON,
        )
        self.result.municipalities_created += len(new)
        self.result.unverified_created += sum(1 for m in new if not m.verified)
        self.foreign.settle()
        for key in self.unsaved:
            if key in self.cache:
                ref, failure = self.cache[key]
                self.cache[key] = (_pk(ref), failure)
        self.unsaved = []

    def _partnerships(self, resolved, failures) -> None:
        result = self.result
        pairs: dict[tuple[int, int], Row] = {}
        for row, first, second in resolved:
            a, b = sorted((_pk(first), _pk(second)))
            if a == b:
                failures.append(
                    (row, "2", Failure(_("Both sides resolve to the same municipality.")))
                )
                continue
            pairs.setdefault((a, b), row)  # B–A after A–B in the same batch: the first row
        stored: dict[tuple[int, int], int | None] = {}
        for chunk in _chunks(sorted({a for a, _b in pairs})):
            for a, b, run_id in Partnership.objects.filter(municipality_a_id__in=chunk).values_list(
                "municipality_a_id", "municipality_b_id", "import_run_id"
            ):
                if (a, b) in pairs:
                    stored[(a, b)] = run_id
        drafts: list[PartnershipDraft] = []
        for row, first, second in resolved:
            a, b = sorted((_pk(first), _pk(second)))
            if a == b:
                continue
            if (a, b) in stored and stored[(a, b)] != self.run.pk:
                result.partnerships_existing += 1  # in the registry before this run
                continue
            if (a, b) in stored or pairs[(a, b)] is not row:
                continue  # B–A after A–B in the same file
            drafts.append(
                PartnershipDraft(
                    municipality_a_id=a,
                    municipality_b_id=b,
                    type=row.attributes.type,
                    status=row.attributes.status,
                    start_year=row.attributes.start_year,
                    theme_ids=[self.theme_ids[code] for code in row.attributes.themes],
                    import_run=self.run,
                    import_row=row.number,
                )
            )
        partnerships_create(drafts, actor=self.actor, source=PartnershipSource.IMPORT)
        result.partnerships_created += len(drafts)

    def _review_items(self, failures: list[tuple[Row, str, Failure]]) -> None:
        """One item per unresolved place of a pair: the first line makes it, every further
        line (in this file or a later one) adds to its count and leaves it as staff left it."""
        lines: dict[str, int] = {}
        first: dict[str, tuple[Row, str, Failure]] = {}
        for row, side, failure in failures:
            key = review_key(row.raw, side)
            lines[key] = lines.get(key, 0) + 1
            first.setdefault(key, (row, side, failure))
        if not lines:
            return
        known: set[str] = set()
        for chunk in _chunks(sorted(lines)):
            known.update(ReviewItem.objects.filter(key__in=chunk).values_list("key", flat=True))
        by_count: dict[int, list[str]] = {}
        for key in known:
            by_count.setdefault(lines[key], []).append(key)
        for count, keys in by_count.items():
            for chunk in _chunks(keys):
                ReviewItem.objects.filter(key__in=chunk).update(
                    occurrences=F("occurrences") + count
                )
        items = [
            ReviewItem(
                import_run=self.run,
                row_number=row.number,
                raw=row.raw,
                side=side,
                reason=failure.reason[:300],
                candidates=failure.candidates,
                key=key,
                occurrences=lines[key],
            )
            for key, (row, side, failure) in first.items()
            if key not in known
        ]
        ReviewItem.objects.bulk_create(items, batch_size=1000)
        self.result.review_items_created += len(items)


def import_twinnings(
    path: Path | str,
    *,
    actor=None,
    report: Path | str | None = None,
    progress: Callable[[int, int], None] | None = None,
    gazetteer_factory: Callable[[], Gazetteer] = default_gazetteer,
    batch_size: int = BATCH_SIZE,
) -> Result:
    """Import a twin towns file; raises ImportFileError (and writes nothing) on bad input.

    The file is read a batch of rows at a time inside one transaction, so that memory stays
    bounded whatever its size and a fault on any line undoes the whole run. The report is
    written to a temporary file and put in place only when the import succeeded."""
    path = Path(path)
    check_size(path)
    total = max(count_lines(path) - 1, 0) if progress else 0
    theme_ids = dict(Theme.objects.values_list("code", "pk"))
    with (
        path.open("rb") as handle,
        tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as pending,
    ):
        report_writer = safe_csv.writer(pending) if report else None
        with transaction.atomic():
            source = LineReader(handle, on_bad_encoding=_bad_encoding)
            rows = read_rows(source, themes=set(theme_ids))
            first = next(rows, None)
            if first is None:
                raise NothingToImport()
            registry_changed()  # bulk writes send no signals
            run = ImportRun.objects.create(
                kind=ImportRun.Kind.TWINNINGS, file_name=path.name, actor=actor
            )
            work = _Import(
                run=run,
                path=path,
                actor=actor,
                theme_ids=theme_ids,
                gazetteer_factory=gazetteer_factory,
                report=report_writer,
            )
            batch = [first]
            for row in rows:
                batch.append(row)
                if len(batch) >= batch_size:
                    work.batch(batch)
                    batch = []
                    if progress:
                        progress(work.result.rows, max(total, work.result.rows))
            work.batch(batch)
            if progress:
                progress(work.result.rows, work.result.rows)
            result = work.result
            run.file_sha256 = source.hexdigest()
            run.counts = result.as_counts()
            run.finished_at = timezone.now()
            run.save(update_fields=["file_sha256", "counts", "finished_at"])
        if report:
            pending.seek(0)
            write_report(Path(report), pending, result)
    return result


def write_report_rows(writer, failures: list[tuple[Row, str, Failure]]) -> None:
    for row, side, failure in failures:
        candidates = "; ".join(
            f"{c['name']} ({c.get('ags') or c.get('id')}, {c.get('km')} km)"
            for c in failure.candidates
        )
        writer.writerow(
            [row.number, side, failure.reason, candidates, *(row.raw[h] for h in HEADER)]
        )


def write_report(path: Path, rows: IO[str], result: Result) -> None:
    """CSV of every row not imported as a partnership: the original row, where and why (the
    rows as write_report_rows() wrote them, in the order of the file)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(
            f"# German side resolved to an AGS municipality: {result.german_resolved} of "
            f"{result.german_rows} rows with a German side ({result.german_rate:.2%})\n"
        )
        safe_csv.writer(handle).writerow(["row", "side", "reason", "candidates", *HEADER])
        shutil.copyfileobj(rows, handle)
