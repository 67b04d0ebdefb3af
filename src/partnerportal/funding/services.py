"""Writes of the funding app: the import of a BMF per-diem rate table."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from partnerportal.audit.services import attribute_change
from partnerportal.geo.services import country_ensure

from .actions import FundingAction
from .importers import ParsedTable, Progress, per_diem_file_read, per_diem_path_read
from .models import PerDiemRate, PerDiemTable, PerDiemTableYear
from .permissions import can_import_per_diem_table

BATCH_SIZE = 500


@dataclass
class PerDiemImportOutcome:
    table: PerDiemTable
    rows_per_year: dict[int, int] = field(default_factory=dict)
    countries: int = 0
    cities: int = 0
    #: year -> id of the table that was in force for it before this import
    superseded: dict[int, int] = field(default_factory=dict)


def per_diem_table_import(
    *,
    actor,
    source_name: str,
    path: Path | None = None,
    file: BinaryIO | None = None,
    progress: Progress | None = None,
) -> PerDiemImportOutcome:
    """Check every row of a BMF rate table, then store it as a new table in one transaction.

    For every year the file covers, the new table is in force from now on; the table that was
    in force before stays stored (calculations name their table) but no longer applies to that
    year. A file with any bad row changes nothing (PerDiemFileError names every problem).
    `actor` None: the operator at the command line."""
    if actor is not None and not can_import_per_diem_table(actor):
        raise PermissionDenied
    if (path is None) == (file is None):
        raise ValueError("give either path or file")
    parsed: ParsedTable = (
        per_diem_path_read(path, progress=progress)
        if path is not None
        else per_diem_file_read(file, progress=progress)
    )
    codes = sorted({row.country for row in parsed.rows})
    with transaction.atomic():
        previous = dict(
            PerDiemTableYear.objects.filter(year__in=parsed.years)
            .values("year")
            .annotate(table=Max("table_id"))
            .values_list("year", "table")
        )
        for code in codes:
            country_ensure(code)
        table = PerDiemTable(
            imported_by=actor if actor is not None and actor.is_authenticated else None,
            source_name=source_name[:255],
            source_sha256=parsed.sha256,
            row_count=len(parsed.rows),
            country_count=len(codes),
            city_count=len({(row.country, row.city) for row in parsed.rows if row.city}),
            first_year=parsed.years[0],
            last_year=parsed.years[-1],
        )
        attribute_change(table, actor=actor, action=FundingAction.PER_DIEM_TABLE_IMPORTED)
        table.save()
        PerDiemTableYear.objects.bulk_create(
            PerDiemTableYear(table=table, year=year) for year in parsed.years
        )
        rates = [
            PerDiemRate(
                table=table,
                country_id=row.country,
                city=row.city,
                valid_from=row.valid_from,
                valid_until=row.valid_until,
                full_day=row.full_day,
                partial_day=row.partial_day,
                overnight=row.overnight,
            )
            for row in parsed.rows
        ]
        for start in range(0, len(rates), BATCH_SIZE):
            PerDiemRate.objects.bulk_create(rates[start : start + BATCH_SIZE])
            if progress is not None:
                progress("write", min(start + BATCH_SIZE, len(rates)), len(rates))
    per_year = Counter(row.valid_from.year for row in parsed.rows)
    return PerDiemImportOutcome(
        table=table,
        rows_per_year=dict(sorted(per_year.items())),
        countries=len(codes),
        cities=table.city_count,
        superseded=previous,
    )
