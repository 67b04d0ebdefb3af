"""Database helpers that do not belong to one app."""

from __future__ import annotations

from django.db import connection, models


def table_statistics_refresh(*tables: type[models.Model]) -> None:
    """Let PostgreSQL count the rows of these tables again, after a bulk import.

    The planner works from row counts taken before the import until autovacuum analyses the
    tables (later, and never while the importing transaction is open): a join over 21,000 pairs
    planned as a few rows ran for minutes. ANALYZE may run inside a transaction and counts its
    own uncommitted rows. Nothing to do on SQLite."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
