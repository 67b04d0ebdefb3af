"""Reading a twin towns file: the header, then each row validated into a Row (its two places,
and in the registry's export format their ids and the partnership's attributes), one at a time;
the first fault raises ImportFileError with its line and column."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from partnerportal.core import csv as safe_csv
from partnerportal.geo.models import Country

from ...models import Municipality, PartnershipStatus, PartnershipType, Theme
from ...validators import validate_start_year
from ..errors import ImportFileError, check_length
from ..values import coordinate

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


def bad_encoding(raw: bytes, position: int, line: int, offset: int) -> NoReturn:
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
                lat = coordinate(
                    raw[f"lat{n}"], line=line, field=f"lat{n}", low=-90, high=90, required=True
                )
                lng = coordinate(
                    raw[f"lng{n}"], line=line, field=f"lng{n}", low=-180, high=180, required=True
                )
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
