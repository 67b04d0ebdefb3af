"""The search index, narrowed for the first page (ADR 0008, 2026-12-01 amendments): on SQLite
a plain table of the analysed title and facet tokens by key (FTS5 then only hands out rowids;
reading any column of its own rows reads the whole long body), on PostgreSQL a GIN index on
the title's terms (title-only matches without rechecking the weighted vector); on both, the
version of the index that keys the cached answers, and the buckets: a number per (type,
language) in the high bits of every key (core.search.fulltext), so that a type in a language
is a key range and leaves the full-text query. The index is built anew from the documents
(rows of 0002 have keys without a bucket)."""

from django.db import migrations

VERSION = [
    # One row: moved on by every write to the index (the code that writes rows, the triggers
    # that delete them), so that cached answers of the search are never those of older rows.
    "CREATE TABLE core_searchversion (id integer PRIMARY KEY, version bigint NOT NULL)",
    "INSERT INTO core_searchversion (id, version) VALUES (1, 1)",
    # Numbered on first use by core.search.fulltext.buckets_assign, never renumbered.
    "CREATE TABLE core_searchbucket (source text NOT NULL, language text NOT NULL, "
    "number integer NOT NULL UNIQUE, PRIMARY KEY (source, language))",
]
# key = bucket * 2**52 + min(date ordinal, 2**20 - 1) * 2**32 + id
# (core.search.fulltext.document_key); no bucket: NULL, which deletes nothing.
SQLITE_KEY = (
    "(SELECT number FROM core_searchbucket WHERE source = old.source "
    "AND language = old.language) * 4503599627370496 "
    "+ MIN(COALESCE(CAST(julianday(old.date) - 1721424.5 AS INTEGER), 0), 1048575) * 4294967296 "
    "+ old.id"
)
SQLITE = [
    *VERSION,
    "CREATE TABLE core_searchkey (key INTEGER PRIMARY KEY, title TEXT NOT NULL, "
    "keys TEXT NOT NULL)",
    "DELETE FROM core_searchindex",  # 0002's keys: built anew by _reindex
    "DROP TRIGGER IF EXISTS core_searchdocument_unindex",
    "CREATE TRIGGER core_searchdocument_unindex AFTER DELETE ON core_searchdocument BEGIN "
    f"DELETE FROM core_searchindex WHERE rowid = {SQLITE_KEY}; "
    f"DELETE FROM core_searchkey WHERE key = {SQLITE_KEY}; "
    "UPDATE core_searchversion SET version = version + 1 WHERE id = 1; END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_searchdocument_unindex",
    "CREATE TRIGGER core_searchdocument_unindex AFTER DELETE ON core_searchdocument BEGIN "
    "DELETE FROM core_searchindex WHERE rowid = "
    "COALESCE(CAST(julianday(old.date) - 1721424.5 AS INTEGER), 0) * 4294967296 + old.id; END",
    "DELETE FROM core_searchindex",  # keys of 0003, which 0002's trigger cannot find
    "DROP TABLE IF EXISTS core_searchkey",
    "DROP TABLE IF EXISTS core_searchbucket",
    "DROP TABLE IF EXISTS core_searchversion",
]
POSTGRESQL_UNINDEX = (
    "CREATE OR REPLACE FUNCTION core_searchdocument_unindex() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN DELETE FROM core_searchindex WHERE source = OLD.source AND key = "
    "{key}; RETURN OLD; END $$"
)
POSTGRESQL = [
    *VERSION,
    "DELETE FROM core_searchindex",  # 0002's keys: built anew by _reindex
    POSTGRESQL_UNINDEX.format(
        key="(SELECT number FROM core_searchbucket WHERE source = OLD.source "
        "AND language = OLD.language)::bigint * 4503599627370496 "
        "+ LEAST(COALESCE(OLD.date - DATE '0001-01-01' + 1, 0), 1048575)::bigint * 4294967296 "
        "+ OLD.id"
    ),
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
    POSTGRESQL_UNINDEX.format(
        key="COALESCE(OLD.date - DATE '0001-01-01' + 1, 0)::bigint * 4294967296 + OLD.id"
    ),
    "DELETE FROM core_searchindex",  # keys of 0003, which 0002's trigger cannot find
    "DROP TABLE IF EXISTS core_searchbucket",
    "DROP TABLE IF EXISTS core_searchversion",
]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


def _reindex(apps, schema_editor):
    """Every document gets its index rows under the keys with buckets (0002 wrote none of its
    own; rows it had were emptied above)."""
    from partnerportal.core.search.services import search_documents_reindex

    documents = apps.get_model("core", "SearchDocument")
    if schema_editor.connection.vendor not in ("sqlite", "postgresql"):
        return
    if documents.objects.exists():
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
