"""Reads of the funding app that cross relations."""

from __future__ import annotations

from django.db.models import Max

from .models import PerDiemTableYear


def per_diem_tables_in_force() -> dict[int, list[int]]:
    """table id -> the years for which it is in force (the newest table covering a year)."""
    in_force: dict[int, list[int]] = {}
    rows = (
        PerDiemTableYear.objects.values("year")
        .annotate(table=Max("table_id"))
        .values_list("year", "table")
        .order_by("year")
    )
    for year, table in rows:
        in_force.setdefault(table, []).append(year)
    return in_force
