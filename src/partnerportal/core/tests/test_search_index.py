"""The search's own full-text index (core.search.fulltext, ADR 0008) on the engine the suite
runs on: run this module on SQLite and on PostgreSQL (DATABASE_URL=postgres://…)."""

from datetime import date

import pytest
from django.db import connection

from partnerportal.content.models import StandardPage
from partnerportal.core.search import analysis, fulltext, selectors
from partnerportal.core.search.models import SearchDocument
from partnerportal.core.search.selectors import search_run

pytestmark = pytest.mark.django_db


def _page(home, title, body="Text"):
    page = home.add_child(instance=StandardPage(title=title, body=f"<p>{body}</p>"))
    page.save_revision().publish()
    return page


def _index_rows() -> int:
    """The index's rows; on PostgreSQL its walk table must hold the same keys."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {fulltext.TABLE}")  # noqa: S608
        rows = cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            index, walk = fulltext.TABLE, fulltext.WALK_TABLE
            cursor.execute(
                f"(SELECT key FROM {index} EXCEPT SELECT key FROM {walk}) "  # noqa: S608
                f"UNION ALL (SELECT key FROM {walk} EXCEPT SELECT key FROM {index})"
            )
            assert cursor.fetchall() == []
    return rows


def _titles(query, **kwargs):
    return [hit.title for hit in search_run(query=query, language="de", **kwargs).hits]


def test_keys_order_newer_first_and_give_back_the_document():
    older = fulltext.document_key(7, date(2020, 1, 1))
    newer = fulltext.document_key(3, date(2024, 5, 1))
    undated = fulltext.document_key(9, None)
    assert newer > older > undated
    assert fulltext.key_document(newer) == 3 and fulltext.key_date(newer) == date(2024, 5, 1)
    assert fulltext.key_date(undated) is None
    assert fulltext.token_parse(fulltext.token("country", "DE")) == ("country", "DE")
    assert fulltext.token("l", "") == "l_"


def test_buckets_put_type_and_language_in_the_high_bits_of_a_positive_64_bit_key():
    last = fulltext.document_key(2**32 - 1, date(9999, 12, 31), fulltext.BUCKET_MAX)
    assert 0 < last < 2**63  # later dates than the key holds count as its last day
    key = fulltext.document_key(3, date(2024, 5, 1), 5)
    low, high = fulltext.bucket_range(5)
    assert low <= key <= high < fulltext.bucket_range(6)[0]
    assert fulltext.key_document(key) == 3 and fulltext.key_date(key) == date(2024, 5, 1)
    assert fulltext.key_newness(key) == fulltext.document_key(3, date(2024, 5, 1))


def test_bucket_numbers_are_kept_in_the_database():
    first = fulltext.buckets_assign([("page", "de"), ("municipality", "")])
    assert len(set(first.values())) == 2
    again = fulltext.buckets_assign([("page", "en"), ("page", "de")])
    assert again[("page", "de")] == first[("page", "de")]
    assert again[("page", "en")] not in first.values()
    assert fulltext.buckets_for(["page", "municipality", "programme"], "de") == {
        "page": [first[("page", "de")]],
        "municipality": [first[("municipality", "")]],
    }


def test_a_search_reads_its_language_and_the_records_of_every_language(
    site, django_capture_on_commit_callbacks
):
    from partnerportal.core.search.services import _documents_create
    from partnerportal.core.search.sources import DocumentData, search_sources

    sources = search_sources()
    with django_capture_on_commit_callbacks(execute=True):
        _documents_create(
            sources["page"],
            [
                DocumentData("1", "Wasserversorgung deutsch", "/a/", language="de"),
                DocumentData("1", "Wasserversorgung english", "/b/", language="en"),
            ],
        )
        _documents_create(
            sources["municipality"], [DocumentData("2", "Wasserversorgung Moshi", "/c/")]
        )
    assert set(_titles("Wasserversorgung")) == {
        "Wasserversorgung deutsch",
        "Wasserversorgung Moshi",
    }
    found = search_run(query="Wasserversorgung", language="en", type_="page")
    assert [hit.title for hit in found.hits] == ["Wasserversorgung english"]
    SearchDocument.objects.filter(language="en").delete()
    assert _index_rows() == 2
    assert selectors.search_compute(query="Wasserversorgung", language="en").total == 1


def test_deleting_documents_deletes_their_index_rows(site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _page(site, "Wasserversorgung in Moshi")
    assert _titles("Wasserversorgung") == ["Wasserversorgung in Moshi"]
    assert _index_rows() == SearchDocument.objects.count() > 0
    SearchDocument.objects.all().delete()  # any path, not only the services: a trigger
    assert _index_rows() == 0
    assert _titles("Wasserversorgung") == []


def test_more_matches_than_candidates_counts_the_newest_and_keeps_title_matches_first(
    site, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        _page(site, "Wasserversorgung in Moshi")  # the oldest, but the word is in its title
        for n in range(4):
            _page(site, f"Bericht {n}", "Es geht um die Wasserversorgung.")
    exact = search_run(query="Wasserversorgung", language="de")
    assert exact.total == 5 and exact.total_exact
    monkeypatch.setattr(selectors, "CANDIDATES", 2)
    capped = selectors.search_compute(query="Wasserversorgung", language="de")  # not cached
    assert capped.total == 2 and not capped.total_exact
    assert {f.value: f.count for f in capped.facets["type"]} == {"page": 2}
    # The newest two, and the oldest that has the word in its title, first.
    assert [hit.title for hit in capped.hits] == [
        "Wasserversorgung in Moshi",
        "Bericht 3",
        "Bericht 2",
    ]


def test_a_prefix_beginning_many_words_is_left_to_the_engine(
    site, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        _page(site, "Klimawandel")
        _page(site, "Klimapartnerschaft")
    assert set(_titles("Klima")) == {"Klimawandel", "Klimapartnerschaft"}
    monkeypatch.setattr(fulltext, "PREFIX_MAX_WORDS", 1)
    found = selectors.search_compute(query="Klima", language="de").hits  # not cached
    assert {hit.title for hit in found} == {"Klimawandel", "Klimapartnerschaft"}
    assert _titles("Klimaz") == []


def test_reindex_writes_the_rows_of_every_document_again(site, django_capture_on_commit_callbacks):
    from partnerportal.core.search.services import search_documents_reindex

    with django_capture_on_commit_callbacks(execute=True):
        _page(site, "Schulpartnerschaft Alpha")
    fulltext.index_clear()  # every table of the index (on PostgreSQL the walk table too)
    assert _titles("Schulpartnerschaft") == []
    assert search_documents_reindex() == SearchDocument.objects.count()
    assert _titles("Schulpartnerschaft") == ["Schulpartnerschaft Alpha"]


def test_search_page_and_api_say_when_there_are_more_results(
    client, site, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            _page(site, f"Städtepartnerschaft {n}")
    monkeypatch.setattr(selectors, "CANDIDATES", 2)
    page = client.get("/de/suche/", {"q": "Städtepartnerschaft"}).content.decode()
    assert "Mehr als 2 Treffer" in page
    body = client.get("/api/v1/search", {"q": "Städtepartnerschaft"}).json()
    assert body["count"] == 2 and body["count_exact"] is False


def test_a_repeated_search_is_served_from_the_cache_until_the_index_changes(
    site, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        page = _page(site, "Wasserversorgung in Moshi")
    assert _titles("Wasserversorgung") == ["Wasserversorgung in Moshi"]
    with django_assert_num_queries(1):  # the index version; the answer from the cache
        assert _titles("Wasserversorgung") == ["Wasserversorgung in Moshi"]
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert _titles("Wasserversorgung") == []
    with django_capture_on_commit_callbacks(execute=True):
        _page(site, "Wasserversorgung in Lima")
    assert _titles("Wasserversorgung") == ["Wasserversorgung in Lima"]
    with connection.cursor() as cursor:  # any path that deletes rows moves the version on
        cursor.execute("DELETE FROM core_searchdocument")
    assert _titles("Wasserversorgung") == []


def test_a_search_that_finds_nothing_is_not_kept(site, django_assert_max_num_queries):
    from django.test.utils import CaptureQueriesContext

    assert _titles("Xylophonwerkstatt") == []
    with CaptureQueriesContext(connection) as again:
        assert _titles("Xylophonwerkstatt") == []
    assert len(again.captured_queries) > 1  # computed again, not taken from the cache


def test_publishing_a_page_indexes_it_once(site, django_capture_on_commit_callbacks):
    from django.test.utils import CaptureQueriesContext

    with (
        CaptureQueriesContext(connection) as captured,
        django_capture_on_commit_callbacks(execute=True),
    ):
        _page(site, "Klimapartnerschaft Beta")
    writes = [
        q["sql"] for q in captured.captured_queries if f"INSERT INTO {fulltext.TABLE}" in q["sql"]
    ]
    assert len(writes) == 1
    assert SearchDocument.objects.filter(title="Klimapartnerschaft Beta").count() == 1


def test_a_document_id_beyond_the_key_is_refused():
    with pytest.raises(ValueError):
        fulltext.document_key(2**32, date(2024, 5, 1), 1)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one writer at a time on SQLite")
@pytest.mark.django_db(transaction=True)
def test_two_writers_numbering_new_buckets_do_not_deadlock():
    """A writer holding the version row (a rebuild in its later batches) numbers a new bucket
    while another, indexing a new (type, language), waits for that row: the second waits
    before numbering anything, so both finish (before, they waited for each other)."""
    import threading
    import time

    from django.db import connections, transaction

    outcome = {}

    def second_writer():
        try:
            with transaction.atomic():
                document = SearchDocument.objects.create(
                    source="page", object_key="deadlock-test", language="fr", title="Titre"
                )
                fulltext.documents_index([document], {})
            outcome["second"] = "done"
        except Exception as error:  # the deadlock, if it comes, is raised here or below
            outcome["second"] = repr(error)
        finally:
            connections.close_all()

    with transaction.atomic():
        with connection.cursor() as cursor:  # the first writer holds the version row
            cursor.execute(f"UPDATE {fulltext.VERSION_TABLE} SET version = version + 1")  # noqa: S608
        thread = threading.Thread(target=second_writer)
        thread.start()
        time.sleep(1)  # the second writer is now waiting (for the row, or after numbering)
        fulltext.buckets_assign([("municipality", "xx")])
    thread.join(timeout=30)
    assert outcome == {"second": "done"}
    numbers = fulltext.buckets_assign([("page", "fr"), ("municipality", "xx")])  # both kept
    assert len(set(numbers.values())) == 2
    # A flush truncates the documents without the delete trigger: remove the row ourselves.
    rows = _index_rows()
    SearchDocument.objects.filter(object_key="deadlock-test").delete()
    assert _index_rows() == rows - 1


def test_the_newest_matches_are_found_however_dense_the_word_is(
    site, django_capture_on_commit_callbacks, monkeypatch
):
    """On PostgreSQL a search walks a bucket's newest rows, then reads a window of older rows
    (as the planner likes for a dense word, through the GIN index for a sparse one), then the rest
    (`fulltext._postgresql_rows`): with a walk of three rows, every way through gives the
    newest matches, newest first, as a plain query does; on SQLite the same calls hold."""
    from datetime import timedelta

    from django.test.utils import CaptureQueriesContext

    from partnerportal.core.search.services import _documents_create
    from partnerportal.core.search.sources import DocumentData, search_sources

    in_body = {
        "haeufig": lambda n: n % 5 != 0,  # in most documents
        "mittel": lambda n: n % 3 == 0,  # in a third, spread over the years
        "selten": lambda n: n in (3, 31),  # in two old ones
        "neu": lambda n: n >= 36,  # only in the newest
    }

    def title(n: int) -> str:
        return f"Bericht {n}" + (" Mittel" if n % 8 == 0 else "")

    documents = [
        DocumentData(
            str(n),
            title(n),
            f"/b/{n}/",
            body=" ".join(word for word, has in in_body.items() if has(n)) or "leer",
            language="de",
            date=date(2020, 1, 1) + timedelta(days=10 * n),
        )
        for n in range(40)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        _documents_create(search_sources()["page"], documents)
    buckets = fulltext.buckets_for(["page"], "de")
    monkeypatch.setattr(fulltext, "WALK_ROWS", 3)

    def newest(text: str, limit: int, **kwargs) -> list[str]:
        query = fulltext.Query.prepare(analysis.query_terms(text)[0], prefix_last=False)
        with CaptureQueriesContext(connection) as statements:
            found = fulltext.matches(query, buckets, key_groups=[], limit=limit, **kwargs)
        sql = [q["sql"] for q in statements.captured_queries]
        ways.append(
            (
                sum(f"FROM {fulltext.WALK_TABLE}" in q for q in sql),  # walks that read rows
                sum("core_search_newest(" in q for q in sql),  # reads with bitmap scans only
            )
        )
        return [
            SearchDocument.objects.get(pk=fulltext.key_document(m.key)).title for m in found["page"]
        ]

    def expected(word: str, limit: int, titled=False, before=40) -> list[str]:
        def has(n: int) -> bool:
            in_title = word == "mittel" and n % 8 == 0
            return in_title if titled else in_body[word](n) or in_title

        return [title(n) for n in reversed(range(before)) if has(n)][:limit]

    ways: list[tuple[int, int]] = []
    assert newest("haeufig", 3) == expected("haeufig", 3)  # in the walk
    assert newest("haeufig", 5) == expected("haeufig", 5)  # the walk, then a walked window
    assert newest("mittel", 6) == expected("mittel", 6)  # the walk, then a window by GIN
    assert newest("mittel", 50) == expected("mittel", 50)  # ... the rows below it, the rest
    assert newest("selten", 5) == expected("selten", 5)  # the walk found none: the rest
    assert newest("neu", 10) == expected("neu", 10)  # none older than the walked window
    assert newest("mittel", 3, title_only=True) == expected("mittel", 3, titled=True)
    twentieth = SearchDocument.objects.get(title="Bericht 20")
    newness = fulltext.key_newness(fulltext.document_key(twentieth.pk, twentieth.date))
    assert newest("mittel", 10, older_than={"page": newness}) == expected("mittel", 10, before=20)
    if connection.vendor == "postgresql":
        # ("mittel", 50): the walk, a window by GIN, the rows just below it walked (at the
        # density the window found) down to the oldest.
        assert ways[:6] == [(1, 0), (2, 0), (1, 1), (2, 1), (1, 1), (2, 1)]
        with connection.cursor() as cursor:  # the planner's settings are back
            cursor.execute(
                "SELECT current_setting('enable_indexscan'), current_setting('enable_seqscan'), "
                "current_setting('enable_bitmapscan')"
            )
            assert cursor.fetchone() == ("on", "on", "on")


def test_rows_walked_below_a_window_are_counted_as_rows_not_days(
    site, monkeypatch, django_capture_on_commit_callbacks
):
    """Many rows on one day (a bulk import) below a window: the walk below it stops after the
    rows it planned for, and the GIN index finds the rest further down."""
    from datetime import timedelta

    from django.test.utils import CaptureQueriesContext

    from partnerportal.core.search.services import _documents_create
    from partnerportal.core.search.sources import DocumentData, search_sources

    newest = [(date(2022, 1, 1) + timedelta(days=n), n % 3 == 0) for n in range(30)]
    # Just below the window the walk of 3 rows plans (2021-11-26 to 2022-01-27).
    cluster = [(date(2021, 11, 20), False)] * 200
    oldest = [(date(2015, 1, 1) + timedelta(days=n), True) for n in range(5)]
    documents = [
        DocumentData(
            str(n),
            f"Bericht {n}",
            f"/b/{n}/",
            body="ziel" if has else "leer",
            language="de",
            date=day,
        )
        for n, (day, has) in enumerate(oldest + cluster + newest)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        _documents_create(search_sources()["page"], documents)
    monkeypatch.setattr(fulltext, "WALK_ROWS", 3)
    query = fulltext.Query.prepare(["ziel"], prefix_last=False)
    buckets = fulltext.buckets_for(["page"], "de")

    near_walks = []
    if connection.vendor == "postgresql":
        walked_rows = fulltext._PostgresqlSelect.walked_rows

        def recorded(select, cursor, ranges):
            read, rows = walked_rows(select, cursor, ranges)
            near_walks.append(sorted(count for count, _oldest in read.values()))
            return read, rows

        monkeypatch.setattr(fulltext._PostgresqlSelect, "walked_rows", recorded)
    with CaptureQueriesContext(connection) as statements:
        found = fulltext.matches(query, buckets, key_groups=[], limit=15)["page"]
    days = [fulltext.key_date(match.key) for match in found]
    assert days == sorted((day for day, has in oldest + newest if has), reverse=True)
    if connection.vendor == "postgresql":
        sql = [q["sql"] for q in statements.captured_queries]
        # The walk of 3 rows, a window by GIN, some rows of the cluster walked (twice the rows
        # the window's density asks for, ~70), the rest by GIN: not all 200 of that day.
        assert sum(f"FROM {fulltext.WALK_TABLE}" in q for q in sql) == 2
        assert sum("core_search_newest(" in q for q in sql) == 2
        assert len(near_walks) == 1 and near_walks[0][0] < len(cluster)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes are PostgreSQL's")
def test_a_bulk_write_leaves_no_pending_entries_in_the_gin_indexes(
    site, django_capture_on_commit_callbacks
):
    from partnerportal.core.search.services import _documents_create
    from partnerportal.core.search.sources import DocumentData, search_sources

    with django_capture_on_commit_callbacks(execute=True):
        _documents_create(
            search_sources()["page"],
            [
                DocumentData(str(n), f"Bericht {n}", f"/b/{n}/", "Wasser", language="de")
                for n in range(50)
            ],
        )
    fulltext.statistics_refresh()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
            "JOIN pg_inherits h ON h.inhrelid = i.indrelid "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "WHERE h.inhparent = %s::regclass AND a.amname = 'gin'",
            [fulltext.TABLE],
        )
        cleaned = [row[0] for row in cursor.fetchall()]
    # Pages, municipalities, partnerships and the rest (migration core 0006), two GIN each.
    assert len(cleaned) == 8 and set(cleaned) == {0}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")
def test_each_large_record_type_has_its_own_partition_and_the_migration_keeps_every_row(
    site, django_capture_on_commit_callbacks
):
    """Migration core 0006, backwards and forwards again on rows of every kind: none is lost,
    each lands in its type's partition, the new partitions' GIN indexes have nothing pending
    (built when attached), and the search finds the rows throughout."""
    from importlib import import_module

    from partnerportal.core.search.services import _documents_create
    from partnerportal.core.search.sources import DocumentData, search_sources

    migration = import_module("partnerportal.core.migrations.0006_search_index_record_partitions")
    sources = search_sources()
    with django_capture_on_commit_callbacks(execute=True):
        for source in ("page", "municipality", "partnership", "programme"):
            _documents_create(
                sources[source],
                [
                    DocumentData(f"{source}{n}", f"Tiefbrunnen {source} {n}", f"/{source}/{n}/")
                    for n in range(3)
                ],
            )

    def partitions() -> dict[str, str]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT source, tableoid::regclass::text FROM {fulltext.TABLE}"  # noqa: S608
            )
            return dict(cursor.fetchall())

    def found() -> int:
        return selectors.search_compute(query="Tiefbrunnen", language="de").total

    rows = _index_rows()
    expected = {
        "page": "core_searchindex_page",
        "municipality": "core_searchindex_municipality",
        "partnership": "core_searchindex_partnership",
        "programme": "core_searchindex_other",
    }
    assert partitions() == expected
    assert found() == 12
    with connection.schema_editor() as editor:
        migration._run(migration.JOIN)(None, editor)
    assert partitions() == {
        **expected,
        "municipality": "core_searchindex_other",
        "partnership": "core_searchindex_other",
    }
    assert _index_rows() == rows and found() == 12
    with connection.schema_editor() as editor:
        migration._run(migration.SPLIT)(None, editor)
    assert partitions() == expected
    assert _index_rows() == rows and found() == 12
    pending_pages = (
        "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
        "JOIN pg_inherits h ON h.inhrelid = i.indrelid "
        "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
        "WHERE h.inhparent = %s::regclass AND a.amname = 'gin' "
        "AND i.indrelid <> 'core_searchindex_page'::regclass"
    )
    with connection.cursor() as cursor:
        cursor.execute(pending_pages, [fulltext.TABLE])
        assert [row[0] for row in cursor.fetchall()] == [0] * 6
