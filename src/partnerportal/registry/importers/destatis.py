"""Import of the Destatis Gemeindeverzeichnis (GV-ISys) in its raw CSV form.

The file is read and checked completely before anything is written, so that a bad line leaves
the stored data untouched; it is then read a second time and written in one transaction, a
batch of municipalities at a time, with bulk statements (the full file has ~16,000 lines), and
their history records are created in bulk too, because bulk statements bypass
django-simple-history's signals. Neither reading keeps the Gemeinden: memory stays bounded
whatever the file's size (reading.py), and a file over IMPORT_MAX_BYTES is refused unread.
Every name is checked against the length of the field it is stored in.

Record types: 10 Land, 20 Regierungsbezirk (statistische Region), 30 Region (Baden-Württemberg,
not used), 40 Kreis, 50 Gemeindeverband, 60 Gemeinde. A kreisfreie Stadt appears as a 40 and a
60 record; it becomes one municipality under the 60 record's AGS. Gemeindefreie Gebiete (60 with
Textkennzeichen 65/66: forests, lakes, coastal waters) are not municipalities and are skipped.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from partnerportal.audit.services import attribute_change
from partnerportal.core.concurrency import VERSION_FIELD
from partnerportal.core.db import table_statistics_refresh
from partnerportal.geo.services import country_ensure
from partnerportal.registry.search import search_registry_rebuild

from ..actions import RegistryAction
from ..changes import registry_changed
from ..models import DERIVED_FIELDS, ImportRun, Municipality
from ..services.coordinates import municipalities_coordinates_check
from .errors import ImportFileError, NothingToImport, check_length
from .outcome import ImportOutcome, number
from .reading import LineReader, check_size, count_lines
from .values import coordinate, name_and_suffix

HEADER = [
    "satzart",
    "textkennzeichen",
    "land",
    "rb",
    "kreis",
    "vb",
    "gemeinde",
    "gemeindename",
    "flaeche",
    "bevoelkerung",
    "maennlich",
    "weiblich",
    "jekm2",
    "postleitzahl",
    "laengengrad",
    "breitengrad",
    "schluessel",
    "bezeichnung",
    "verstaedterungschluessel",
    "verstaedterungbezeichnung",
]
COLUMN = {name: index for index, name in enumerate(HEADER)}

CHANGE_REASON = RegistryAction.IMPORT_DESTATIS
BATCH_SIZE = 1000
#: AGS per IN (...) query: below SQLite's historical limit of 999 parameters.
QUERY_CHUNK = 900

Kind = Municipality.Kind

#: Textkennzeichen of record type 40: kreisfreie Städte (41, 42) are imported from their 60
#: record; Kreise, Landkreise and the Regionalverband Saarbrücken become municipalities.
KREISFREI_40 = {"41", "42"}
KREIS_40 = {"43", "44", "45"}
#: Textkennzeichen of record type 60.
GEMEINDE_KINDS = {
    "60": Kind.GEMEINDE,  # Markt
    "61": Kind.KREISFREIE_STADT,
    "62": Kind.KREISFREIE_STADT,  # Stadtkreis (Baden-Württemberg)
    "63": Kind.STADT,
    "64": Kind.GEMEINDE,  # kreisangehörige Gemeinde
    "67": Kind.STADT,  # große Kreisstadt
}
UNINCORPORATED = {"65", "66"}  # gemeindefreies Gebiet
#: Textkennzeichen 50 is a verbandsfreie Gemeinde: its "association" is the Gemeinde itself.
SELF_ASSOCIATION = "50"

# Germany lies within these bounds (with a margin); anything else is a broken coordinate.
LATITUDE_RANGE = (47.0, 55.5)
LONGITUDE_RANGE = (5.5, 15.5)


@dataclass(slots=True)
class Entry:
    """One municipality as the file describes it."""

    ags: str
    line: int
    values: dict[str, Any]
    parent_ags: str = ""


@dataclass(slots=True)
class ParsedFile:
    """What the first reading keeps: the Kreise (with their Gemeinden's sums), and of the
    Gemeinden only their number and which AGS the file lists."""

    sha256: str
    lines: int
    kreise: list[Entry]
    gemeinden: int
    skipped: int
    listed: _AgsSet


@dataclass
class MunicipalitiesOutcome(ImportOutcome):
    rows: int = 0
    kreise: int = 0
    gemeinden: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    #: Municipalities from an earlier Destatis import that the file no longer lists; they are
    #: kept (partnerships may point to them) and counted so that someone can look.
    missing: int = 0
    #: Municipalities whose coordinates lie outside Germany's outline (listed for review).
    coordinates_flagged: int = 0
    #: AGS -> (name, [(field, old, new), ...]) for every updated municipality.
    changes: dict[str, tuple[str, list[tuple[str, Any, Any]]]] = field(default_factory=dict)

    def counts(self) -> dict:
        return {
            "rows": self.rows,
            "kreise": self.kreise,
            "gemeinden": self.gemeinden,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "missing": self.missing,
            "coordinates_flagged": self.coordinates_flagged,
        }

    def headline(self) -> str:
        return _(
            "Municipalities: %(created)s created, %(updated)s updated, %(unchanged)s "
            "unchanged; %(skipped)s unincorporated areas skipped"
        ) % {
            "created": number(self.created),
            "updated": number(self.updated),
            "unchanged": number(self.unchanged),
            "skipped": number(self.skipped),
        }

    def details(self) -> list[str]:
        if not self.missing:
            return []
        return [
            _("%(count)s municipalities of earlier imports are not in this file; they were kept.")
            % {"count": number(self.missing)}
        ]

    def source(self) -> str:
        return _(
            "Federal Statistical Office (Destatis), "
            "Data licence Germany – attribution – version 2.0"
        )


#: progress(phase, done, total) with phase "read" (lines) or "write" (municipalities).
Progress = Callable[[str, int, int], None]


# --- Reading ---------------------------------------------------------------------------------


def _bad_encoding(raw: bytes, position: int, line: int, offset: int) -> NoReturn:
    # The column is the number of separators before the bad byte (quotes are rare here).
    column = raw[:position].count(b",")
    name = HEADER[column] if line > 1 and column < len(HEADER) else ""
    raise ImportFileError(
        _("the file is not UTF-8 encoded (byte 0x%(byte)02x).") % {"byte": raw[position]},
        line=line,
        field=name,
    )


def _key(row: list[str], name: str, length: int, line: int) -> str:
    value = row[COLUMN[name]].strip()
    if len(value) != length or not value.isascii() or not value.isdigit():
        raise ImportFileError(
            _("expected a key of %(length)s digits, found “%(value)s”.")
            % {"length": length, "value": value},
            line=line,
            field=name,
        )
    return value


def _integer(row: list[str], name: str, line: int) -> int:
    value = row[COLUMN[name]].replace(" ", "").replace("\u00a0", "")
    if not value.isascii() or not value.isdigit():
        raise ImportFileError(
            _("expected a whole number, found “%(value)s”.") % {"value": row[COLUMN[name]]},
            line=line,
            field=name,
        )
    return int(value)


def _area(row: list[str], name: str, line: int) -> Decimal | None:
    value = row[COLUMN[name]].strip()
    if not value:
        return None
    try:
        number = Decimal(value.replace(" ", ""))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0:
        raise ImportFileError(
            _("expected an area in km², found “%(value)s”.") % {"value": value},
            line=line,
            field=name,
        )
    return number.quantize(Decimal("0.01"))


def _coordinate(row: list[str], name: str, line: int, bounds: tuple[float, float]) -> float | None:
    return coordinate(
        row[COLUMN[name]], line=line, field=name, low=bounds[0], high=bounds[1], decimal_comma=True
    )


def _postal_code(row: list[str], line: int) -> str:
    value = row[COLUMN["postleitzahl"]].strip()
    if value and (len(value) != 5 or not value.isdigit()):
        raise ImportFileError(
            _("expected a postal code of 5 digits, found “%(value)s”.") % {"value": value},
            line=line,
            field="postleitzahl",
        )
    return value


def _textkennzeichen(row: list[str], allowed: set[str], line: int) -> str:
    value = row[COLUMN["textkennzeichen"]].strip()
    if value not in allowed:
        raise ImportFileError(
            _("unknown Textkennzeichen “%(value)s” for record type %(record)s.")
            % {"value": value, "record": row[0]},
            line=line,
            field="textkennzeichen",
        )
    return value


def _name(row: list[str], line: int) -> str:
    value = row[COLUMN["gemeindename"]].strip()
    if not value:
        raise ImportFileError(_("the name is empty."), line=line, field="gemeindename")
    return value


def _stored(value: str, field_name: str, line: int) -> str:
    """The name, if it fits the Municipality field it goes into."""
    return check_length(value, Municipality, field_name, line=line, column="gemeindename")


def _official(row: list[str], line: int) -> tuple[str, str]:
    """Name and suffix of a Kreis or Gemeinde, each checked against its field."""
    name, suffix = name_and_suffix(_name(row, line))
    return _stored(name, "name", line), _stored(suffix, "name_suffix", line)


@dataclass
class _Parser:
    """One pass over the file: the Gemeinden (record type 60) one at a time, validated, with
    the names of their Land, Regierungsbezirk, Kreis and Verband, which come before them and
    are all that is kept (a few thousand names)."""

    path: Path
    progress: Progress | None = None
    total: int = 0
    states: dict[str, str] = field(default_factory=dict)
    districts: dict[str, str] = field(default_factory=dict)  # land+rb -> Regierungsbezirk
    #: 5-digit key -> (official name, name, suffix, textkennzeichen, line)
    kreise: dict[str, tuple[str, str, str, str, int]] = field(default_factory=dict)
    associations: dict[str, str] = field(default_factory=dict)  # 9-digit key -> name
    lines: int = 0
    skipped: int = 0
    sha256: str = ""

    def entries(self) -> Iterator[Entry]:
        with self.path.open("rb") as handle:
            source = LineReader(handle, on_bad_encoding=_bad_encoding)
            reader = csv.reader(source)
            try:
                yield from self._entries(reader)
            except csv.Error as error:
                raise ImportFileError(str(error), line=reader.line_num) from None
            self.sha256 = source.hexdigest()

    def _entries(self, reader) -> Iterator[Entry]:
        header = next(reader, None)
        if not header:  # no line, or only a byte order mark or an empty line
            raise ImportFileError(_("the file is empty."), line=1)
        if [column.strip() for column in header] != HEADER:
            wrong = next(
                (
                    expected
                    for expected, found in zip(HEADER, header + [""] * len(HEADER), strict=False)
                    if expected != found.strip()
                ),
                "",
            )
            raise ImportFileError(
                _("this is not the Destatis Gemeindeverzeichnis header; expected “%(expected)s”.")
                % {"expected": ",".join(HEADER)},
                line=1,
                field=wrong,
            )
        for row in reader:
            line = reader.line_num
            self.lines += 1
            if self.progress and self.lines % 2000 == 0:
                self.progress("read", self.lines, max(self.total, self.lines))
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            entry = self._record(row, line)
            if entry is not None:
                yield entry

    def _record(self, row: list[str], line: int) -> Entry | None:
        if len(row) < len(HEADER):
            raise ImportFileError(
                _("the line ends after %(found)s of %(expected)s fields.")
                % {"found": len(row), "expected": len(HEADER)},
                line=line,
                field=HEADER[len(row)],
            )
        if len(row) > len(HEADER):
            raise ImportFileError(
                _("the line has %(found)s fields instead of %(expected)s.")
                % {"found": len(row), "expected": len(HEADER)},
                line=line,
            )
        record = row[0].strip()
        if record == "10":
            key = _key(row, "land", 2, line)
            self.states[key] = _stored(_name(row, line), "state", line)
        elif record == "20":
            key = _key(row, "land", 2, line) + _key(row, "rb", 1, line)
            self.districts[key] = _stored(_name(row, line), "administrative_district", line)
        elif record == "30":
            _key(row, "land", 2, line)
            _key(row, "rb", 1, line)
        elif record == "40":
            key = (
                _key(row, "land", 2, line) + _key(row, "rb", 1, line) + _key(row, "kreis", 2, line)
            )
            kind = _textkennzeichen(row, KREISFREI_40 | KREIS_40, line)
            name, suffix = _official(row, line)
            official = _name(row, line)
            if kind in KREIS_40:  # its Gemeinden name it as their district
                _stored(official, "district", line)
            self.kreise[key] = (official, name, suffix, kind, line)
        elif record == "50":
            key = (
                _key(row, "land", 2, line)
                + _key(row, "rb", 1, line)
                + _key(row, "kreis", 2, line)
                + _key(row, "vb", 4, line)
            )
            kind = _textkennzeichen(row, {str(n) for n in range(50, 60)}, line)
            self.associations[key] = (
                "" if kind == SELF_ASSOCIATION else _stored(_name(row, line), "association", line)
            )
        elif record == "60":
            return self._gemeinde(row, line)
        else:
            raise ImportFileError(
                _("unknown record type “%(value)s” (expected 10 to 60).") % {"value": record},
                line=line,
                field="satzart",
            )
        return None

    def _gemeinde(self, row: list[str], line: int) -> Entry | None:
        land = _key(row, "land", 2, line)
        rb = _key(row, "rb", 1, line)
        kreis = _key(row, "kreis", 2, line)
        vb = _key(row, "vb", 4, line)
        ags = land + rb + kreis + _key(row, "gemeinde", 3, line)
        kind_code = _textkennzeichen(row, set(GEMEINDE_KINDS) | UNINCORPORATED, line)
        name, suffix = _official(row, line)
        if kind_code in UNINCORPORATED:
            self.skipped += 1
            return None
        kreis_key = land + rb + kreis
        kreis_record = self.kreise.get(kreis_key)
        in_kreis = kreis_record is not None and kreis_record[3] in KREIS_40
        return Entry(
            ags=ags,
            line=line,
            parent_ags=kreis_key + "000" if in_kreis else "",
            values={
                "name": name,
                "name_suffix": suffix,
                "kind": GEMEINDE_KINDS[kind_code],
                "state": self.states.get(land, ""),
                "administrative_district": self.districts.get(land + rb, ""),
                "district": kreis_record[0] if in_kreis else "",
                "association": self.associations.get(kreis_key + vb, ""),
                "population": _integer(row, "bevoelkerung", line),
                "area_km2": _area(row, "flaeche", line),
                "postal_code": _postal_code(row, line),
                "longitude": _coordinate(row, "laengengrad", line, LONGITUDE_RANGE),
                "latitude": _coordinate(row, "breitengrad", line, LATITUDE_RANGE),
            },
        )


class _AgsSet:
    """Which 8-digit AGS the file names: a bit each, 12.5 MB for all 100 million of them
    (a set of strings would grow with the file)."""

    def __init__(self) -> None:
        self._bits = bytearray(10**8 // 8)

    def add(self, ags: str) -> bool:
        """Mark it; False if it was marked already."""
        number = int(ags)
        byte, bit = number >> 3, 1 << (number & 7)
        if self._bits[byte] & bit:
            return False
        self._bits[byte] |= bit
        return True

    def __contains__(self, ags: str) -> bool:
        if len(ags) != 8 or not ags.isdigit():
            return False
        number = int(ags)
        return bool(self._bits[number >> 3] & (1 << (number & 7)))


def _first_line(path: Path, ags: str) -> int:
    """The line where a Gemeinde's AGS first appears (read again only to word an error)."""
    return next(entry.line for entry in _Parser(path).entries() if entry.ags == ags)


@dataclass(slots=True)
class _Centre:
    """A Kreis's position: the centre of its Gemeinden weighted by their population (where the
    people of the Kreis live, which is where its partnerships are made), from running sums."""

    weight: float = 0.0
    latitude: float = 0.0
    longitude: float = 0.0

    def add(self, latitude: float | None, longitude: float | None, population: int | None) -> None:
        if latitude is None or longitude is None:
            return
        weight = float(max(population or 0, 1))  # an empty Gemeinde still counts a little
        self.weight += weight
        self.latitude += latitude * weight
        self.longitude += longitude * weight

    def point(self) -> tuple[float | None, float | None]:
        if not self.weight:
            return None, None
        return (
            round(self.latitude / self.weight, COORDINATE_DIGITS),
            round(self.longitude / self.weight, COORDINATE_DIGITS),
        )


#: Kreis centres are rounded like the file's coordinates (six places, about 0.1 m), so that a
#: second import of the same file finds them unchanged.
COORDINATE_DIGITS = 6


def kreis_centres_derive(*, actor, overwrite: bool = False) -> int:
    """Kreise without coordinates (imported before the import derived them) get the centre of
    their Gemeinden, computed the same way from the registry. Returns how many were given one."""
    kreise = Municipality.objects.filter(kind=Kind.KREIS, country_id="DE")
    if not overwrite:
        kreise = kreise.filter(latitude__isnull=True)
    wanted = {pk: _Centre() for pk in kreise.values_list("pk", flat=True)}
    if not wanted:
        return 0
    rows = Municipality.objects.filter(parent_id__in=list(wanted)).values_list(
        "parent_id", "latitude", "longitude", "population"
    )
    for parent, latitude, longitude, population in rows.iterator(chunk_size=5000):
        wanted[parent].add(latitude, longitude, population)
    done = 0
    with transaction.atomic():
        for kreis in Municipality.objects.filter(pk__in=list(wanted)):
            latitude, longitude = wanted[kreis.pk].point()
            if latitude is None:
                continue
            kreis.latitude, kreis.longitude = latitude, longitude
            attribute_change(kreis, actor=actor, action=RegistryAction.KREIS_CENTRE)
            kreis.save(update_fields=["latitude", "longitude"])
            done += 1
        if done:
            registry_changed()
    return done


def parse_file(path: Path, *, progress: Progress | None = None) -> ParsedFile:
    """Read and check the whole file, keeping the Kreise and what the Gemeinden add up to but
    not the Gemeinden themselves; raise ImportFileError at the first bad line."""
    path = Path(path)
    total = max(count_lines(path) - 1, 0) if progress else 0
    parser = _Parser(path, progress=progress, total=total)
    listed = _AgsSet()
    population: dict[str, int] = {}
    area: dict[str, Decimal] = {}
    centres: dict[str, _Centre] = {}
    gemeinden = 0
    for entry in parser.entries():
        if not listed.add(entry.ags):
            raise ImportFileError(
                _("the AGS %(ags)s already appeared on line %(line)s.")
                % {"ags": entry.ags, "line": _first_line(path, entry.ags)},
                line=entry.line,
                field="gemeinde",
            )
        gemeinden += 1
        if entry.parent_ags:
            key = entry.parent_ags
            population[key] = population.get(key, 0) + (entry.values["population"] or 0)
            area[key] = area.get(key, Decimal(0)) + (entry.values["area_km2"] or Decimal(0))
            centres.setdefault(key, _Centre()).add(
                entry.values["latitude"], entry.values["longitude"], entry.values["population"]
            )
    kreise = []
    for key, (_official_name, name, suffix, kind, line) in parser.kreise.items():
        if kind not in KREIS_40:
            continue
        ags = key + "000"
        latitude, longitude = centres.get(ags, _Centre()).point()
        if ags in listed:
            raise ImportFileError(
                _("the AGS %(ags)s of this Kreis is also a Gemeinde's (line %(line)s).")
                % {"ags": ags, "line": _first_line(path, ags)},
                line=line,
                field="kreis",
            )
        kreise.append(
            Entry(
                ags=ags,
                line=line,
                values={
                    "name": name,
                    "name_suffix": suffix,
                    "kind": Kind.KREIS,
                    "state": parser.states.get(key[:2], ""),
                    "administrative_district": parser.districts.get(key[:3], ""),
                    "district": "",
                    "association": "",
                    "population": population.get(ags),
                    "area_km2": area.get(ags),
                    "postal_code": "",
                    "longitude": longitude,
                    "latitude": latitude,
                },
            )
        )
    if not gemeinden and not kreise:
        raise NothingToImport()
    return ParsedFile(
        sha256=parser.sha256,
        lines=parser.lines,
        kreise=kreise,
        gemeinden=gemeinden,
        skipped=parser.skipped,
        listed=listed,
    )


# --- Writing ---------------------------------------------------------------------------------


def municipalities_import(
    *, actor, path: Path, progress: Progress | None = None, batch_size: int = BATCH_SIZE
) -> MunicipalitiesOutcome:
    """Create or update every Kreis and Gemeinde of the file, matched by AGS.

    Raises ImportFileError before writing anything when the file is malformed. The file is
    read twice: once to check it all and add up the Kreise, then, in one transaction, to write
    the Kreise and the Gemeinden a batch at a time; memory holds a batch, not the file."""
    path = Path(path)
    check_size(path)
    parsed = parse_file(path, progress=progress)
    total = len(parsed.kreise) + parsed.gemeinden
    started = timezone.now()
    history_user = actor if (actor is not None and actor.is_authenticated) else None
    with transaction.atomic():
        registry_changed()  # bulk writes send no signals
        country = country_ensure("DE")
        run = ImportRun.objects.create(
            kind=ImportRun.Kind.MUNICIPALITIES,
            file_name=path.name,
            file_sha256=parsed.sha256,
            started_at=started,
            actor=history_user,
        )
        outcome = MunicipalitiesOutcome(
            run=run,
            rows=parsed.lines,
            kreise=len(parsed.kreise),
            gemeinden=parsed.gemeinden,
            skipped=parsed.skipped,
        )
        done = 0

        def tick(count: int) -> None:
            nonlocal done
            done += count
            if progress:
                progress("write", done, total)

        write = partial(
            _write,
            country_id=country.pk,
            outcome=outcome,
            history_user=history_user,
            batch_size=batch_size,
            tick=tick,
        )
        # Kreise first, so that their ids exist when the Gemeinden point to them.
        write(parsed.kreise, parents={})
        parents = dict(
            Municipality.objects.filter(ags__in=[k.ags for k in parsed.kreise]).values_list(
                "ags", "pk"
            )
        )
        parser = _Parser(path)
        batch: list[Entry] = []
        for entry in parser.entries():
            batch.append(entry)
            if len(batch) >= batch_size:
                write(batch, parents=parents)
                batch = []
        write(batch, parents=parents)
        if parser.sha256 != parsed.sha256:
            raise ImportFileError(_("the file changed while it was being imported."))

        # The official coordinates are kept; one outside Germany's outline is listed for review.
        checked = municipalities_coordinates_check(
            actor=history_user,
            municipalities=Municipality.objects.filter(
                source=Municipality.Source.DESTATIS, latitude__isnull=False
            ),
            run=run,
        )
        outcome.coordinates_flagged = len(checked.flagged_official)
        kreise = {entry.ags for entry in parsed.kreise}
        outcome.missing = sum(
            1
            for ags in Municipality.objects.filter(
                source=Municipality.Source.DESTATIS, ags__isnull=False
            )
            .values_list("ags", flat=True)
            .iterator(chunk_size=5000)
            if ags not in parsed.listed and ags not in kreise
        )
        run.counts = outcome.counts()
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "finished_at"])
    table_statistics_refresh(Municipality)
    search_registry_rebuild()  # bulk writes send no signals: the search index follows here
    return outcome


def _write(
    entries: list[Entry],
    *,
    parents: dict[str, int],
    country_id: str,
    outcome: MunicipalitiesOutcome,
    history_user,
    batch_size: int,
    tick: Callable[[int], None],
) -> None:
    """One batch: the municipalities with these AGS are read, then created or updated."""
    if not entries:
        return
    now = timezone.now()
    existing: dict[str, Municipality] = {}
    for start in range(0, len(entries), QUERY_CHUNK):
        chunk = [entry.ags for entry in entries[start : start + QUERY_CHUNK]]
        existing.update((m.ags, m) for m in Municipality.objects.filter(ags__in=chunk))
    to_create: list[Municipality] = []
    to_update: list[Municipality] = []
    changed_fields: set[str] = set()
    for entry in entries:
        values = dict(entry.values)
        values.update(
            country_id=country_id,
            source=Municipality.Source.DESTATIS,
            verified=True,
            parent_id=parents.get(entry.parent_ags) if entry.parent_ags else None,
        )
        municipality = existing.get(entry.ags)
        if municipality is None:
            municipality = Municipality(ags=entry.ags, created_at=now, updated_at=now, **values)
            municipality.refresh_derived_fields()
            to_create.append(municipality)
            continue
        changes = [
            (name, getattr(municipality, name), value)
            for name, value in values.items()
            if getattr(municipality, name) != value
        ]
        if not changes:
            outcome.unchanged += 1
            continue
        for name, _old, new in changes:
            setattr(municipality, name, new)
            changed_fields.add(name)
        municipality.refresh_derived_fields()
        municipality.updated_at = now
        # bulk_update skips save(): move the version on here, so that a back-office form read
        # before the import is refused instead of writing the old values back (ADR 0005)
        municipality.version += 1
        to_update.append(municipality)
        outcome.changes[entry.ags] = (municipality.name, changes)
    tick(len(entries) - len(to_create) - len(to_update))  # the unchanged ones
    for start in range(0, len(to_create), batch_size):
        created = bulk_create_with_history(
            to_create[start : start + batch_size],
            Municipality,
            batch_size=batch_size,
            default_user=history_user,
            default_change_reason=CHANGE_REASON,
            default_date=now,
        )
        for municipality in created:
            existing[municipality.ags] = municipality
        outcome.created += len(created)
        tick(len(created))
    fields = sorted(changed_fields | {*DERIVED_FIELDS, "updated_at", VERSION_FIELD})
    for start in range(0, len(to_update), batch_size):
        chunk = to_update[start : start + batch_size]
        bulk_update_with_history(
            chunk,
            Municipality,
            fields,
            batch_size=batch_size,
            default_user=history_user,
            default_change_reason=CHANGE_REASON,
            default_date=now,
        )
        outcome.updated += len(chunk)
        tick(len(chunk))
