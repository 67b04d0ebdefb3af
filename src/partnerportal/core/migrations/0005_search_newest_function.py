"""PostgreSQL: the searches that must read the GIN indexes, as one function (ADR 0008, fifth
amendment). They are planned with bitmap scans only: before, each of them took a transaction
(or savepoint) of its own, a statement that turned the walks off inside it, and its commit:
three more round trips. A function's own settings (`SET` in its definition) hold while it runs
and are put back when it returns or fails. Each range is planned as it is run (`EXECUTE`),
with its values, as a statement sent on its own would be.
SQLite (FTS5) has nothing of this."""

from django.db import migrations

NEWEST = """
CREATE OR REPLACE FUNCTION core_search_newest(
    indexes integer[], sources text[], lows bigint[], highs bigint[], limits integer[],
    matching tsquery, titled tsquery
) RETURNS TABLE (range_index integer, key bigint, title text, keys text)
LANGUAGE plpgsql STABLE
SET enable_indexscan = off
SET enable_seqscan = off
AS $$
DECLARE
    statement text := 'SELECT $1, i.key, i.title, i.keys FROM core_searchindex AS i '
        'WHERE i.source = $2 AND i.key BETWEEN $3 AND $4';
BEGIN
    IF matching IS NOT NULL THEN
        statement := statement || ' AND i.vector @@ $6';
    END IF;
    IF titled IS NOT NULL THEN
        statement := statement || ' AND to_tsvector(''simple'', i.title) @@ $7';
    END IF;
    statement := statement || ' ORDER BY i.key DESC LIMIT $5';
    FOR n IN 1 .. coalesce(array_length(indexes, 1), 0) LOOP
        RETURN QUERY EXECUTE statement
            USING indexes[n], sources[n], lows[n], highs[n], limits[n], matching, titled;
    END LOOP;
END
$$
"""
NEWEST_DROP = (
    "DROP FUNCTION IF EXISTS core_search_newest(integer[], text[], bigint[], bigint[], "
    "integer[], tsquery, tsquery)"
)


def _run(statement: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0004_search_walk")]

    operations = [migrations.RunPython(_run(NEWEST), _run(NEWEST_DROP))]
