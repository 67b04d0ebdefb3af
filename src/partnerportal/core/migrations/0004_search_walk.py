"""PostgreSQL: a narrow copy of the search index for walking it newest first (ADR 0008, fourth
amendment). The index's vectors, with positions, sit compressed outside the rows: a search for a
frequent word walks the newest rows one by one and spent ~10 µs a row unpacking them. The walk
table holds each row's vector stripped of positions and weights (which no search reads), kept
inside the row: ~1.5 µs a row; and the title's terms, which the index computes from the title
for each row it checks. The index itself stays as it is, small, for its GIN indexes.
SQLite (FTS5) has nothing of this."""

from django.db import migrations

KEY = (
    "(SELECT number FROM core_searchbucket WHERE source = OLD.source "
    "AND language = OLD.language)::bigint * 4503599627370496 "
    "+ LEAST(COALESCE(OLD.date - DATE '0001-01-01' + 1, 0), 1048575)::bigint * 4294967296 "
    "+ OLD.id"
)
UNINDEX = (
    "CREATE OR REPLACE FUNCTION core_searchdocument_unindex() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN {body} RETURN OLD; END $$"
)
TRUNCATE = (
    "CREATE OR REPLACE FUNCTION core_searchdocument_truncate() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN TRUNCATE {tables}; RETURN NULL; END $$"
)
POSTGRESQL = [
    "CREATE TABLE core_searchwalk (source text NOT NULL, key bigint NOT NULL, "
    "title text NOT NULL, keys text NOT NULL, vector tsvector NOT NULL, "
    "title_vector tsvector NOT NULL, PRIMARY KEY (source, key))",
    # Inside the row (compressed there if long), not in the TOAST table: reading it is the walk.
    "ALTER TABLE core_searchwalk ALTER COLUMN vector SET STORAGE MAIN",
    "INSERT INTO core_searchwalk (source, key, title, keys, vector, title_vector) "
    "SELECT source, key, title, keys, strip(vector), strip(to_tsvector('simple', title)) "
    "FROM core_searchindex",
    UNINDEX.format(
        body="WITH gone AS (DELETE FROM core_searchindex WHERE source = OLD.source "
        f"AND key = {KEY} RETURNING source, key) DELETE FROM core_searchwalk AS w USING gone "
        "WHERE w.source = gone.source AND w.key = gone.key;"
    ),
    TRUNCATE.format(tables="core_searchindex, core_searchwalk"),
    "ANALYZE core_searchwalk",
]
POSTGRESQL_REVERSE = [
    UNINDEX.format(
        body=f"DELETE FROM core_searchindex WHERE source = OLD.source AND key = {KEY};"
    ),
    TRUNCATE.format(tables="core_searchindex"),
    "DROP TABLE IF EXISTS core_searchwalk",
]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0003_search_index_keys")]

    operations = [migrations.RunPython(_run(POSTGRESQL), _run(POSTGRESQL_REVERSE))]
