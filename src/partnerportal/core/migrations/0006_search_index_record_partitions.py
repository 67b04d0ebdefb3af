"""PostgreSQL: a partition of the search index for each of the two large record types, the
municipalities and the partnerships (ADR 0008, fifth amendment). With both in one partition,
the planner's statistics could not tell them apart: "Kommune" is in nearly every municipality
and in one partnership, so a search of the partnerships for it read every partnership's row
(10 ms) instead of the word's few. Each type now has its own statistics and GIN index; other
types (programmes, and those capabilities add) stay in the default partition.

Every partition is written anew, filled before it is attached: attaching builds its indexes in
one go, where rows inserted into an indexed table would wait in the GIN index's pending list
(which every search reads whole until a vacuum), and rows deleted from the old default
partition would leave its indexes bloated. The index is locked while this runs (searches and
deletions of documents wait): ~3 s for 46,000 records.
SQLite (FTS5) has nothing of this."""

from django.db import migrations

TYPES = ("municipality", "partnership")
COLUMNS = "source, key, title, keys, vector"
OLD = "core_searchindex_before_0006"


def _new(name: str) -> str:
    return (
        f"CREATE TABLE core_searchindex_{name} "
        "(LIKE core_searchindex INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
    )


def _copy(name: str, source: str, where: str = "") -> str:
    return f"INSERT INTO core_searchindex_{name} ({COLUMNS}) SELECT {COLUMNS} FROM {source} {where}"


SPLIT = [
    "ALTER TABLE core_searchindex DETACH PARTITION core_searchindex_other",
    f"ALTER TABLE core_searchindex_other RENAME TO {OLD}",
    *(_new(name) for name in (*TYPES, "other")),
    *(_copy(name, OLD, f"WHERE source = '{name}'") for name in TYPES),
    _copy("other", OLD, "WHERE source NOT IN ('municipality', 'partnership')"),
    f"DROP TABLE {OLD}",
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
    f"ALTER TABLE core_searchindex_other RENAME TO {OLD}",
    _new("other"),
    _copy("other", OLD),
    *(_copy("other", f"core_searchindex_{name}") for name in TYPES),
    *(f"DROP TABLE core_searchindex_{name}" for name in TYPES),
    f"DROP TABLE {OLD}",
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
