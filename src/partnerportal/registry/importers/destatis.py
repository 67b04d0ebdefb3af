"""Import of the Destatis Gemeindeverzeichnis (GV-ISys) in its raw CSV form.

The file is read and checked completely before anything is written, so that a bad line leaves
the stored data untouched; the writes then happen in one transaction with bulk statements (the
full file has ~16,000 lines), and their history records are created in bulk too, because bulk
statements bypass django-simple-history's signals.

Record types: 10 Land, 20 Regierungsbezirk (statistische Region), 30 Region (Baden-Württemberg,
not used), 40 Kreis, 50 Gemeindeverband, 60 Gemeinde. A kreisfreie Stadt appears as a 40 and a
60 record; it becomes one municipality under the 60 record's AGS. Gemeindefreie Gebiete (60 with
Textkennzeichen 65/66: forests, lakes, coastal waters) are not municipalities and are skipped.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from partnerportal.core.concurrency import VERSION_FIELD
from partnerportal.geo.services import country_ensure

from ..changes import registry_changed
from ..models import DERIVED_FIELDS, ImportRun, Municipality
from .errors import ImportFileError

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

CHANGE_REASON = "import.destatis"
BATCH_SIZE = 1000

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
    sha256: str
    lines: int
    kreise: list[Entry]
    gemeinden: list[Entry]
    skipped: int


@dataclass(slots=True)
class ImportOutcome:
    run: ImportRun
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    #: Municipalities from an earlier Destatis import that the file no longer lists; they are
    #: kept (partnerships may point to them) and counted so that someone can look.
    missing: int = 0
    #: AGS -> (name, [(field, old, new), ...]) for every updated municipality.
    changes: dict[str, tuple[str, list[tuple[str, Any, Any]]]] = field(default_factory=dict)


#: progress(phase, done, total) with phase "read" (lines) or "write" (municipalities).
Progress = Callable[[str, int, int], None]


# --- Reading ---------------------------------------------------------------------------------


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        offset = error.start
        line_start = raw.rfind(b"\n", 0, offset) + 1
        line = raw.count(b"\n", 0, offset) + 1
        # The column is the number of separators before the bad byte (quotes are rare here).
        column = raw[line_start:offset].count(b",")
        name = HEADER[column] if line > 1 and column < len(HEADER) else ""
        raise ImportFileError(
            _("the file is not UTF-8 encoded (byte 0x%(byte)02x).") % {"byte": raw[offset]},
            line=line,
            field=name,
        ) from error


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
    value = row[COLUMN[name]].strip()
    if not value:
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        number = None
    if number is None or not bounds[0] <= number <= bounds[1]:
        raise ImportFileError(
            _("“%(value)s” is not a coordinate in Germany.") % {"value": value},
            line=line,
            field=name,
        )
    return number


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


def _split_name(official: str) -> tuple[str, str]:
    """ "Flensburg, Stadt" -> ("Flensburg", "Stadt"); the suffix may itself hold commas."""
    name, _sep, suffix = official.partition(",")
    return name.strip(), suffix.strip()


def _name(row: list[str], line: int) -> str:
    value = row[COLUMN["gemeindename"]].strip()
    if not value:
        raise ImportFileError(_("the name is empty."), line=line, field="gemeindename")
    return value


def parse_file(path: Path, *, progress: Progress | None = None) -> ParsedFile:
    """Read and check the whole file; raise ImportFileError at the first bad line."""
    raw = Path(path).read_bytes()
    text = _decode(raw)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(_("the file is empty."), line=1) from None
    except csv.Error as error:
        raise ImportFileError(str(error), line=1) from None
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

    states: dict[str, str] = {}
    districts: dict[str, str] = {}  # land+rb -> Regierungsbezirk
    kreise: dict[str, tuple[str, str, int]] = {}  # 5-digit key -> (name, textkennzeichen, line)
    associations: dict[str, str] = {}  # 9-digit key -> name ("" for verbandsfreie Gemeinden)
    gemeinden: list[Entry] = []
    seen: dict[str, int] = {}
    skipped = 0
    total = len(raw.splitlines()) - 1
    count = 0
    try:
        for row in reader:
            line = reader.line_num
            count += 1
            if progress and count % 2000 == 0:
                progress("read", count, total)
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
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
                states[_key(row, "land", 2, line)] = _name(row, line)
            elif record == "20":
                key = _key(row, "land", 2, line) + _key(row, "rb", 1, line)
                districts[key] = _name(row, line)
            elif record == "30":
                _key(row, "land", 2, line)
                _key(row, "rb", 1, line)
            elif record == "40":
                key = (
                    _key(row, "land", 2, line)
                    + _key(row, "rb", 1, line)
                    + _key(row, "kreis", 2, line)
                )
                kind = _textkennzeichen(row, KREISFREI_40 | KREIS_40, line)
                kreise[key] = (_name(row, line), kind, line)
            elif record == "50":
                key = (
                    _key(row, "land", 2, line)
                    + _key(row, "rb", 1, line)
                    + _key(row, "kreis", 2, line)
                    + _key(row, "vb", 4, line)
                )
                kind = _textkennzeichen(row, {str(n) for n in range(50, 60)}, line)
                associations[key] = "" if kind == SELF_ASSOCIATION else _name(row, line)
            elif record == "60":
                land = _key(row, "land", 2, line)
                rb = _key(row, "rb", 1, line)
                kreis = _key(row, "kreis", 2, line)
                vb = _key(row, "vb", 4, line)
                ags = land + rb + kreis + _key(row, "gemeinde", 3, line)
                kind_code = _textkennzeichen(row, set(GEMEINDE_KINDS) | UNINCORPORATED, line)
                official = _name(row, line)
                if kind_code in UNINCORPORATED:
                    skipped += 1
                    continue
                if ags in seen:
                    raise ImportFileError(
                        _("the AGS %(ags)s already appeared on line %(line)s.")
                        % {"ags": ags, "line": seen[ags]},
                        line=line,
                        field="gemeinde",
                    )
                seen[ags] = line
                name, suffix = _split_name(official)
                kind = GEMEINDE_KINDS[kind_code]
                kreis_key = land + rb + kreis
                kreis_record = kreise.get(kreis_key)
                in_kreis = kreis_record is not None and kreis_record[1] in KREIS_40
                gemeinden.append(
                    Entry(
                        ags=ags,
                        line=line,
                        parent_ags=kreis_key + "000" if in_kreis else "",
                        values={
                            "name": name,
                            "name_suffix": suffix,
                            "kind": kind,
                            "state": states.get(land, ""),
                            "administrative_district": districts.get(land + rb, ""),
                            "district": kreis_record[0] if in_kreis else "",
                            "association": associations.get(kreis_key + vb, ""),
                            "population": _integer(row, "bevoelkerung", line),
                            "area_km2": _area(row, "flaeche", line),
                            "postal_code": _postal_code(row, line),
                            "longitude": _coordinate(row, "laengengrad", line, LONGITUDE_RANGE),
                            "latitude": _coordinate(row, "breitengrad", line, LATITUDE_RANGE),
                        },
                    )
                )
            else:
                raise ImportFileError(
                    _("unknown record type “%(value)s” (expected 10 to 60).") % {"value": record},
                    line=line,
                    field="satzart",
                )
    except csv.Error as error:
        raise ImportFileError(str(error), line=reader.line_num) from None

    return ParsedFile(
        sha256=hashlib.sha256(raw).hexdigest(),
        lines=count,
        kreise=_kreis_entries(kreise, states, districts, gemeinden, seen),
        gemeinden=gemeinden,
        skipped=skipped,
    )


def _kreis_entries(kreise, states, districts, gemeinden, seen) -> list[Entry]:
    """Kreise as municipalities of their own; population and area are their Gemeinden's sums."""
    population: dict[str, int] = {}
    area: dict[str, Decimal] = {}
    for entry in gemeinden:
        if entry.parent_ags:
            key = entry.parent_ags
            population[key] = population.get(key, 0) + (entry.values["population"] or 0)
            area[key] = area.get(key, Decimal(0)) + (entry.values["area_km2"] or Decimal(0))
    entries = []
    for key, (official, kind, line) in kreise.items():
        if kind not in KREIS_40:
            continue
        ags = key + "000"
        if ags in seen:
            raise ImportFileError(
                _("the AGS %(ags)s of this Kreis is also a Gemeinde's (line %(line)s).")
                % {"ags": ags, "line": seen[ags]},
                line=line,
                field="kreis",
            )
        name, suffix = _split_name(official)
        entries.append(
            Entry(
                ags=ags,
                line=line,
                values={
                    "name": name,
                    "name_suffix": suffix,
                    "kind": Kind.KREIS,
                    "state": states.get(key[:2], ""),
                    "administrative_district": districts.get(key[:3], ""),
                    "district": "",
                    "association": "",
                    "population": population.get(ags),
                    "area_km2": area.get(ags),
                    "postal_code": "",
                    "longitude": None,
                    "latitude": None,
                },
            )
        )
    return entries


# --- Writing ---------------------------------------------------------------------------------


def municipalities_import(
    *, actor, path: Path, progress: Progress | None = None, batch_size: int = BATCH_SIZE
) -> ImportOutcome:
    """Create or update every Kreis and Gemeinde of the file, matched by AGS.

    Raises ImportFileError before writing anything when the file is malformed."""
    path = Path(path)
    parsed = parse_file(path, progress=progress)
    total = len(parsed.kreise) + len(parsed.gemeinden)
    started = timezone.now()
    history_user = actor if (actor is not None and actor.is_authenticated) else None
    with transaction.atomic():
        registry_changed()  # bulk writes send no signals
        country = country_ensure("DE")
        existing = {m.ags: m for m in Municipality.objects.filter(ags__isnull=False)}
        run = ImportRun.objects.create(
            kind=ImportRun.Kind.MUNICIPALITIES,
            file_name=path.name,
            file_sha256=parsed.sha256,
            started_at=started,
            actor=history_user,
        )
        outcome = ImportOutcome(run=run, skipped=parsed.skipped)
        done = 0

        def tick(count: int) -> None:
            nonlocal done
            done += count
            if progress:
                progress("write", done, total)

        # Kreise first, so that their ids exist when the Gemeinden point to them.
        for entries in (parsed.kreise, parsed.gemeinden):
            parents = {ags: m.pk for ags, m in existing.items()}
            _write(
                entries,
                existing=existing,
                parents=parents,
                country_id=country.pk,
                outcome=outcome,
                history_user=history_user,
                batch_size=batch_size,
                tick=tick,
            )
        listed = {entry.ags for entry in parsed.kreise} | {e.ags for e in parsed.gemeinden}
        outcome.missing = sum(
            1
            for ags, municipality in existing.items()
            if ags not in listed and municipality.source == Municipality.Source.DESTATIS
        )
        run.counts = {
            "rows": parsed.lines,
            "kreise": len(parsed.kreise),
            "gemeinden": len(parsed.gemeinden),
            "created": outcome.created,
            "updated": outcome.updated,
            "unchanged": outcome.unchanged,
            "skipped": outcome.skipped,
            "missing": outcome.missing,
        }
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "finished_at"])
    return outcome


def _write(
    entries: list[Entry],
    *,
    existing: dict[str, Municipality],
    parents: dict[str, int],
    country_id: str,
    outcome: ImportOutcome,
    history_user,
    batch_size: int,
    tick: Callable[[int], None],
) -> None:
    now = timezone.now()
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
