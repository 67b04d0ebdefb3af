"""Reading and checking the BMF per-diem rate table (the CSV of ../shared/data/per_diem_bmf.csv):

    valid_from,valid_until,country_code,city,full_day_eur,partial_day_eur,overnight_eur

`valid_until` empty: until the next table. `city` empty: the rate of the country. Amounts are
EUR with a dot and at most two decimals.

Every row is checked before anything is written, and every problem is reported with its line
and field (not only the first): a file with one bad row is refused whole. The file is read line
by line (the registry's LineReader: bounded memory, the line of a bad byte named) and refused
unread when it is larger than IMPORT_MAX_BYTES."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, NoReturn

from django.utils.translation import gettext as _

from partnerportal.core.text import fold
from partnerportal.geo.services import country_defaults
from partnerportal.registry.importers.errors import ImportFileError, NothingToImport
from partnerportal.registry.importers.reading import LineReader, check_size, count_lines

from .models import PerDiemRate

HEADER = (
    "valid_from",
    "valid_until",
    "country_code",
    "city",
    "full_day_eur",
    "partial_day_eur",
    "overnight_eur",
)
AMOUNT = re.compile(r"^\d{1,5}(\.\d{1,2})?$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Years a table may cover: the BMF's tables exist since the 1990s; far-off years are typos.
YEAR_RANGE = (1990, 2100)
#: More problems than this are counted, not listed one by one.
MAX_PROBLEMS = 200

#: progress(phase "read" or "write", done, total)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RateRow:
    line: int
    valid_from: dt.date
    valid_until: dt.date | None
    country: str
    city: str
    full_day: Decimal
    partial_day: Decimal
    overnight: Decimal

    def years(self) -> range:
        """The calendar years the row reaches into; an open end reaches to the end of the year
        it starts in (the table covers no further)."""
        return range(self.valid_from.year, (self.valid_until or self.valid_from).year + 1)


@dataclass
class ParsedTable:
    rows: list[RateRow]
    sha256: str
    years: list[int] = field(default_factory=list)


class PerDiemFileError(ImportFileError):
    """A file with bad rows: every problem (ImportFileError, with line and field), in order."""

    def __init__(self, problems: list[ImportFileError], *, more: int = 0) -> None:
        self.problems = problems
        self.more = more
        lines = [str(problem) for problem in problems]
        if more:
            lines.append(_("… and %(count)s more problems.") % {"count": more})
        super().__init__("\n".join(lines))

    def __str__(self) -> str:
        return self.message


def _bad_encoding(raw: bytes, position: int, line: int, offset: int) -> NoReturn:
    raise ImportFileError(
        _("The file is not UTF-8: byte %(byte)s at position %(position)s cannot be read.")
        % {"byte": f"0x{raw[position]:02X}", "position": position + 1},
        line=line,
    )


def _date(value: str, *, line: int, column: str, problems: list) -> dt.date | None:
    try:
        if not DATE.match(value):
            raise ValueError
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        problems.append(
            ImportFileError(
                _("“%(value)s” is not a date of the form YYYY-MM-DD.") % {"value": value},
                line=line,
                field=column,
            )
        )
        return None
    if not YEAR_RANGE[0] <= parsed.year <= YEAR_RANGE[1]:
        problems.append(
            ImportFileError(
                _("The year %(year)s lies outside %(first)s–%(last)s.")
                % {"year": parsed.year, "first": YEAR_RANGE[0], "last": YEAR_RANGE[1]},
                line=line,
                field=column,
            )
        )
        return None
    return parsed


def _amount(value: str, *, line: int, column: str, problems: list) -> Decimal | None:
    if not AMOUNT.match(value):
        problems.append(
            ImportFileError(
                _(
                    "“%(value)s” is not an amount in EUR: digits with a dot and at most two "
                    "decimals, not negative (e.g. 28 or 28.50)."
                )
                % {"value": value},
                line=line,
                field=column,
            )
        )
        return None
    return Decimal(value)


def _row(values: dict[str, str], *, line: int, problems: list) -> RateRow | None:
    before = len(problems)
    valid_from = _date(values["valid_from"], line=line, column="valid_from", problems=problems)
    valid_until = None
    if values["valid_until"]:
        valid_until = _date(
            values["valid_until"], line=line, column="valid_until", problems=problems
        )
        if valid_from and valid_until and valid_until < valid_from:
            problems.append(
                ImportFileError(
                    _("The end of validity lies before its start (%(start)s).")
                    % {"start": valid_from.isoformat()},
                    line=line,
                    field="valid_until",
                )
            )
    code = values["country_code"].upper()
    try:
        if len(code) != 2:
            raise LookupError
        country_defaults(code)
    except LookupError:
        problems.append(
            ImportFileError(
                _("“%(code)s” is not an ISO 3166 country code.") % {"code": values["country_code"]},
                line=line,
                field="country_code",
            )
        )
    city = " ".join(values["city"].split())
    limit = PerDiemRate._meta.get_field("city").max_length
    if len(city) > limit:
        problems.append(
            ImportFileError(
                _("The value has %(length)s characters; at most %(limit)s are allowed.")
                % {"length": len(city), "limit": limit},
                line=line,
                field="city",
            )
        )
    full = _amount(values["full_day_eur"], line=line, column="full_day_eur", problems=problems)
    partial = _amount(
        values["partial_day_eur"], line=line, column="partial_day_eur", problems=problems
    )
    overnight = _amount(
        values["overnight_eur"], line=line, column="overnight_eur", problems=problems
    )
    if full is not None and partial is not None and partial > full:
        problems.append(
            ImportFileError(
                _("The partial rate (%(partial)s) is higher than the 24-hour rate (%(full)s).")
                % {"partial": partial, "full": full},
                line=line,
                field="partial_day_eur",
            )
        )
    if len(problems) > before:
        return None
    return RateRow(
        line=line,
        valid_from=valid_from,
        valid_until=valid_until,
        country=code,
        city=city,
        full_day=full,
        partial_day=partial,
        overnight=overnight,
    )


def _overlaps(a: RateRow, b: RateRow) -> bool:
    a_end = a.valid_until or dt.date.max
    b_end = b.valid_until or dt.date.max
    return a.valid_from <= b_end and b.valid_from <= a_end


def per_diem_file_read(handle: BinaryIO, *, progress: Progress | None = None, total: int = 0):
    """Every row of the file, checked; PerDiemFileError with every problem, NothingToImport for
    a file with only its header."""
    reader = LineReader(handle, on_bad_encoding=_bad_encoding)
    rows = csv.reader(reader)
    problems: list[ImportFileError] = []
    header = next(rows, None)
    if header is None:
        raise ImportFileError(_("The file is empty."))
    header = [name.strip() for name in header]
    missing = [name for name in HEADER if name not in header]
    unknown = [name for name in header if name not in HEADER]
    if missing or unknown or len(header) != len(HEADER):
        message = _("The header must be: %(expected)s.") % {"expected": ",".join(HEADER)}
        if missing:
            message += " " + _("Missing: %(names)s.") % {"names": ", ".join(missing)}
        if unknown:
            message += " " + _("Unknown: %(names)s.") % {"names": ", ".join(unknown)}
        raise ImportFileError(message, line=1)
    parsed: list[RateRow] = []
    seen: dict[tuple[str, str], list[RateRow]] = {}
    more = 0
    for values in rows:
        line = reader.line
        if progress is not None and line % 100 == 0:
            progress("read", line, total)
        if not any(value.strip() for value in values):
            continue  # an empty line (e.g. at the end)
        found: list[ImportFileError] = []
        if len(values) != len(HEADER):
            found.append(
                ImportFileError(
                    _("The row has %(count)s fields; the header has %(expected)s.")
                    % {"count": len(values), "expected": len(HEADER)},
                    line=line,
                )
            )
        else:
            row = _row(
                dict(zip(header, (value.strip() for value in values), strict=True)),
                line=line,
                problems=found,
            )
            if row is not None:
                key = (row.country, fold(row.city))
                for other in seen.get(key, []):
                    if _overlaps(row, other):
                        found.append(
                            ImportFileError(
                                _(
                                    "The rate of %(place)s for this period is already given "
                                    "in line %(line)s."
                                )
                                % {
                                    "place": f"{row.country} {row.city}".strip(),
                                    "line": other.line,
                                },
                                line=line,
                                field="valid_from",
                            )
                        )
                        break
                else:
                    seen.setdefault(key, []).append(row)
                    parsed.append(row)
        for problem in found:
            if len(problems) < MAX_PROBLEMS:
                problems.append(problem)
            else:
                more += 1
    if problems:
        raise PerDiemFileError(problems, more=more)
    if not parsed:
        raise NothingToImport()
    years = sorted({year for row in parsed for year in row.years()})
    return ParsedTable(rows=parsed, sha256=reader.hexdigest(), years=years)


def per_diem_path_read(path: Path, *, progress: Progress | None = None) -> ParsedTable:
    """The checked rows of a file on disk (refused unread when over IMPORT_MAX_BYTES)."""
    check_size(path)
    total = count_lines(path) if progress is not None else 0
    with path.open("rb") as handle:
        return per_diem_file_read(handle, progress=progress, total=total)
