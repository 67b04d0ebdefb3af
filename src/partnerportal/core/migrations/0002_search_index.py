"""The search's own full-text index (core.search.fulltext, ADR 0008): an FTS5 table on SQLite,
a partitioned tsvector table with GIN indexes on PostgreSQL, each emptied by triggers when documents are
deleted; and the vocabulary that turns a prefix into the words it begins."""

from django.db import migrations, models

SQLITE = [
    "CREATE VIRTUAL TABLE core_searchindex USING fts5("
    "title, body, keys, tokenize = \"unicode61 tokenchars '_'\")",
    # key = date ordinal * 2**32 + id (core.search.fulltext.document_key).
    "CREATE TRIGGER core_searchdocument_unindex AFTER DELETE ON core_searchdocument BEGIN "
    "DELETE FROM core_searchindex WHERE rowid = "
    "COALESCE(CAST(julianday(old.date) - 1721424.5 AS INTEGER), 0) * 4294967296 + old.id; END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_searchdocument_unindex",
    "DROP TABLE IF EXISTS core_searchindex",
]
POSTGRESQL = [
    # One partition for the pages, one for the records: each has its own statistics, so that
    # the planner knows that a word in every article is in no municipality (it would walk every
    # page to find none), and the records' few rows are never walked behind the pages.
    "CREATE TABLE core_searchindex (source text NOT NULL, key bigint NOT NULL, "
    "title text NOT NULL, keys text NOT NULL, vector tsvector NOT NULL, "
    "PRIMARY KEY (source, key)) PARTITION BY LIST (source)",
    "CREATE TABLE core_searchindex_page PARTITION OF core_searchindex FOR VALUES IN ('page')",
    "CREATE TABLE core_searchindex_other PARTITION OF core_searchindex DEFAULT",
    "CREATE INDEX core_searchindex_vector ON core_searchindex USING gin (vector)",
    "CREATE FUNCTION core_searchdocument_unindex() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN DELETE FROM core_searchindex WHERE source = OLD.source AND key = "
    "COALESCE(OLD.date - DATE '0001-01-01' + 1, 0)::bigint * 4294967296 + OLD.id; "
    "RETURN OLD; END $$",
    "CREATE TRIGGER core_searchdocument_unindex AFTER DELETE ON core_searchdocument "
    "FOR EACH ROW EXECUTE FUNCTION core_searchdocument_unindex()",
    # Django's flush (tests) truncates the documents: the index follows.
    "CREATE FUNCTION core_searchdocument_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN TRUNCATE core_searchindex; RETURN NULL; END $$",
    "CREATE TRIGGER core_searchdocument_truncate AFTER TRUNCATE ON core_searchdocument "
    "FOR EACH STATEMENT EXECUTE FUNCTION core_searchdocument_truncate()",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS core_searchdocument_truncate ON core_searchdocument",
    "DROP TRIGGER IF EXISTS core_searchdocument_unindex ON core_searchdocument",
    "DROP FUNCTION IF EXISTS core_searchdocument_truncate()",
    "DROP FUNCTION IF EXISTS core_searchdocument_unindex()",
    "DROP TABLE IF EXISTS core_searchindex",
]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


def _reindex(apps, schema_editor):
    """Documents written before this migration get their index rows: done by 0003, which
    makes the rest of the index (the code that writes the rows writes that too)."""


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[("term", models.CharField(max_length=255, primary_key=True, serialize=False))],
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
        migrations.RunPython(_reindex, migrations.RunPython.noop),
    ]
