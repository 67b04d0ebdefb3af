"""PostgreSQL: a partition of the search index for each of the two large record types, the
municipalities and the partnerships (ADR 0008, fifth amendment). With both in one partition,
the planner's statistics could not tell them apart: "Kommune" is in nearly every municipality
and in one partnership, so a search of the partnerships for it read every partnership's row
(10 ms) instead of the word's few. Each type now has its own statistics and GIN index; other
types (programmes, and those capabilities add) stay in the default partition.
SQLite (FTS5) has nothing of this."""

from django.db import migrations

TYPES = ("municipality", "partnership")
SPLIT = [
    "ALTER TABLE core_searchindex DETACH PARTITION core_searchindex_other",
    # Filled first and attached after: attaching builds the indexes in one go, where rows
    # inserted into an indexed partition would wait in the GIN index's pending list, which
    # every search reads whole until a vacuum.
    *(
        f"CREATE TABLE core_searchindex_{name} "
        "(LIKE core_searchindex INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        for name in TYPES
    ),
    *(
        f"INSERT INTO core_searchindex_{name} "  # noqa: S608
        f"SELECT * FROM core_searchindex_other WHERE source = '{name}'"
        for name in TYPES
    ),
    "DELETE FROM core_searchindex_other WHERE source IN ('municipality', 'partnership')",
    *(
        f"ALTER TABLE core_searchindex ATTACH PARTITION core_searchindex_{name} "
        f"FOR VALUES IN ('{name}')"
        for name in TYPES
    ),
    "ALTER TABLE core_searchindex ATTACH PARTITION core_searchindex_other DEFAULT",
    *(f"ANALYZE core_searchindex_{name}" for name in (*TYPES, "other")),
]
JOIN = [
    "ALTER TABLE core_searchindex DETACH PARTITION core_searchindex_other",
    *(f"INSERT INTO core_searchindex_other SELECT * FROM core_searchindex_{name}" for name in TYPES),
    *(f"DROP TABLE core_searchindex_{name}" for name in TYPES),
    "ALTER TABLE core_searchindex ATTACH PARTITION core_searchindex_other DEFAULT",
    "ANALYZE core_searchindex_other",
]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0005_search_newest_function")]

    operations = [migrations.RunPython(_run(SPLIT), _run(JOIN))]
