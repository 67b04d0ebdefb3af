"""The search index, narrowed for the first page (ADR 0008, 2026-12-01 amendment): on SQLite
a plain table of the analysed title and key tokens by key (FTS5 then only hands out rowids;
reading any column of its own rows reads the whole long body), on PostgreSQL a GIN index on
the title's terms (title-only matches without rechecking the weighted vector); on both, the
version of the index that keys the cached answers. Rows of existing
documents are copied from the full-text index, or the index is built when 0002 left it empty."""

from django.db import migrations

VERSION = [
    # One row: moved on by every write to the index (the code that writes rows, the triggers
    # that delete them), so that cached answers of the search are never those of older rows.
    "CREATE TABLE core_searchversion (id integer PRIMARY KEY, version bigint NOT NULL)",
    "INSERT INTO core_searchversion (id, version) VALUES (1, 1)",
]
SQLITE = [
    *VERSION,
    "CREATE TABLE core_searchkey (key INTEGER PRIMARY KEY, title TEXT NOT NULL, "
    "keys TEXT NOT NULL)",
    "INSERT INTO core_searchkey (key, title, keys) SELECT rowid, title, keys FROM core_searchindex",
    "DROP TRIGGER IF EXISTS core_searchdocument_unindex",
    "CREATE TRIGGER core_searchdocument_unindex AFTER DELETE ON core_searchdocument BEGIN "
    "DELETE FROM core_searchindex WHERE rowid = "
    "COALESCE(CAST(julianday(old.date) - 1721424.5 AS INTEGER), 0) * 4294967296 + old.id; "
    "DELETE FROM core_searchkey WHERE key = "
    "COALESCE(CAST(julianday(old.date) - 1721424.5 AS INTEGER), 0) * 4294967296 + old.id; "
    "UPDATE core_searchversion SET version = version + 1 WHERE id = 1; END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_searchdocument_unindex",
    "CREATE TRIGGER core_searchdocument_unindex AFTER DELETE ON core_searchdocument BEGIN "
    "DELETE FROM core_searchindex WHERE rowid = "
    "COALESCE(CAST(julianday(old.date) - 1721424.5 AS INTEGER), 0) * 4294967296 + old.id; END",
    "DROP TABLE IF EXISTS core_searchkey",
    "DROP TABLE IF EXISTS core_searchversion",
]
POSTGRESQL = [
    *VERSION,
    # Once per statement (a row trigger would update the one row once per deleted document).
    "CREATE FUNCTION core_searchversion_bump() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN UPDATE core_searchversion SET version = version + 1 WHERE id = 1; RETURN NULL; END $$",
    "CREATE TRIGGER core_searchdocument_version AFTER DELETE OR TRUNCATE ON core_searchdocument "
    "FOR EACH STATEMENT EXECUTE FUNCTION core_searchversion_bump()",
    "CREATE INDEX core_searchindex_title ON core_searchindex "
    "USING gin (to_tsvector('simple', title))",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS core_searchindex_title",
    "DROP TRIGGER IF EXISTS core_searchdocument_version ON core_searchdocument",
    "DROP FUNCTION IF EXISTS core_searchversion_bump()",
    "DROP TABLE IF EXISTS core_searchversion",
]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


def _reindex(apps, schema_editor):
    """Documents without index rows (written before 0002, whose reindex moved here) get them."""
    from partnerportal.core.search.services import search_documents_reindex

    documents = apps.get_model("core", "SearchDocument")
    if schema_editor.connection.vendor not in ("sqlite", "postgresql"):
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM core_searchindex)")
        indexed = cursor.fetchone()[0]
    if documents.objects.exists() and not indexed:
        search_documents_reindex(documents, apps.get_model("core", "SearchFacet"))


class Migration(migrations.Migration):
    dependencies = [("core", "0002_search_index")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
        migrations.RunPython(_reindex, migrations.RunPython.noop),
    ]
