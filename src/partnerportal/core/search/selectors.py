"""Running a search: ranked hits of one page, the total and the facet counts.

On the database backends one SQL statement does it all (the full-text match is evaluated once,
in a materialised CTE, and the page, the total and every facet are read from it), on SQLite
(FTS5) and PostgreSQL (tsvector, GIN) alike; see ADR 0008 for why not the stock query
compilers. On other backends (OpenSearch, Elasticsearch) the search goes through Wagtail's
search API with the analysed terms, and only the type facet is counted.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connection
from django.utils.safestring import SafeString
from modelsearch.backends import get_search_backend
from modelsearch.conf import get_app_config
from modelsearch.utils import get_content_type_pk

from . import analysis
from .models import SearchDocument, SearchFacet
from .sources import facet_kinds, search_sources

#: Hits per page on the search page and in the API.
PER_PAGE = 20
#: The last page one can ask for (deep pages cost as much as the whole result set).
MAX_PAGE = 50
_VALUE = re.compile(r"[\w.-]{1,60}")
#: A title match weighs this many body matches.
TITLE_WEIGHT = 10.0


@dataclass(frozen=True)
class SearchHit:
    type: str
    type_label: str
    title: str
    url: str
    snippet: SafeString
    date: datetime.date | None


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResults:
    query: str
    hits: list[SearchHit]
    total: int
    page: Page
    #: kind ("type", "theme", "country") -> values with counts, largest first.
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)


class _Count:
    """Lets a Paginator number pages of a result it does not hold."""

    def __init__(self, total: int):
        self.total = total

    def count(self) -> int:
        return self.total


def _index_table() -> str:
    """The search framework's entry table (wagtailsearch_indexentry under Wagtail)."""
    return get_app_config().get_model("IndexEntry")._meta.db_table


def _match_sqlite(found: list[str], prefix_last: bool) -> tuple[str, list]:
    phrases = [f'"{term}"' for term in found]
    if prefix_last:
        phrases[-1] += "*"
    table = _index_table()
    fts = f"{table}_fts"
    sql = (
        # Only table names and constants are interpolated; every value is a parameter.
        f"SELECT d.id AS id, d.source AS source, d.date AS date, "  # noqa: S608
        f"-bm25({fts}, 0.0, 1.0, {TITLE_WEIGHT}) AS score "
        # CROSS JOIN fixes the order in SQLite: the match drives, each hit looks up its entry
        # and document by primary key (left to itself the planner may scan every entry and
        # probe the full-text table for each).
        f"FROM {fts} CROSS JOIN {table} e ON e.id = {fts}.rowid "
        f"CROSS JOIN core_searchdocument d ON d.id = CAST(e.object_id AS INTEGER) "
        f"WHERE {fts} MATCH %s AND e.content_type_id = %s"
    )
    return sql, ["{title body} : (" + " ".join(phrases) + ")"]


def _match_postgresql(found: list[str], prefix_last: bool) -> tuple[str, list]:
    items = [f"'{term}'" for term in found]
    if prefix_last:
        items[-1] += ":*"
    table = _index_table()
    # One condition per term, each "in the title or in the body": the GIN indexes on both
    # vectors answer it (title || body would need a scan), and together they are an AND over
    # title and body.
    per_term = " AND ".join(
        "(e.title @@ to_tsquery('simple', %s) OR e.body @@ to_tsquery('simple', %s))" for _ in items
    )
    sql = (
        f"SELECT d.id AS id, d.source AS source, d.date AS date, "  # noqa: S608
        f"(ts_rank(e.title, to_tsquery('simple', %s), 1) * {TITLE_WEIGHT} "
        f"+ ts_rank(e.body, to_tsquery('simple', %s), 1)) AS score "
        f"FROM {table} e JOIN core_searchdocument d ON d.id = CAST(e.object_id AS INTEGER) "
        f"WHERE {per_term} AND e.content_type_id = %s"
    )
    whole = " | ".join(items)  # rank by every term found, in title and body
    params: list = [whole, whole]
    for item in items:
        params += [item, item]
    return sql, params


def _search_database(
    found, prefix_last, *, language, type_, filters, offset, limit
) -> tuple[list[int], int, dict[str, dict[str, int]]]:
    if connection.vendor == "postgresql":
        match_sql, params = _match_postgresql(found, prefix_last)
        text = "::text"
        rounding = "ROUND((m.score * 10)::numeric) DESC"
        outer_first = "JOIN"
    else:
        match_sql, params = _match_sqlite(found, prefix_last)
        text = ""
        rounding = "ROUND(m.score, 1) DESC"
        # The hits drive the facet count (the planner would scan every facet otherwise).
        outer_first = "CROSS JOIN"
    params.append(get_content_type_pk(SearchDocument))
    match_sql += " AND d.language IN ('', %s)"
    params.append(language)
    for kind, value in filters.items():
        match_sql += (
            " AND d.id IN (SELECT document_id FROM core_searchfacet WHERE kind = %s AND value = %s)"
        )
        params += [kind, value]
    typed = "WHERE m.source = %s" if type_ else ""
    typed_params = [type_] if type_ else []
    sql = (
        f"WITH m AS MATERIALIZED ({match_sql}), "  # noqa: S608
        f"t AS MATERIALIZED (SELECT * FROM m {typed}) "
        f"SELECT 'r', id{text}, position FROM ("
        f"  SELECT m.id, ROW_NUMBER() OVER (ORDER BY {rounding}, m.date DESC NULLS LAST, "
        f"  m.id DESC) AS position FROM t m ORDER BY position LIMIT %s OFFSET %s) r "
        f"UNION ALL SELECT 'n', '', COUNT(*) FROM t "
        f"UNION ALL SELECT 'type', source, COUNT(*) FROM m GROUP BY source "
        f"UNION ALL SELECT fa.kind, fa.value, COUNT(*) FROM t "
        f"{outer_first} core_searchfacet fa ON fa.document_id = t.id GROUP BY fa.kind, fa.value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *typed_params, limit, offset])
        rows = cursor.fetchall()
    ids: list[tuple[int, int]] = []
    total = 0
    counts: dict[str, dict[str, int]] = {}
    for kind, key, number in rows:
        if kind == "r":
            ids.append((number, int(key)))
        elif kind == "n":
            total = int(number)
        else:
            counts.setdefault(kind, {})[key] = int(number)
    return [pk for _, pk in sorted(ids)], total, counts


def _search_other(
    backend, found, *, language, type_, filters, offset, limit
) -> tuple[list[int], int, dict[str, dict[str, int]]]:
    queryset = SearchDocument.objects.filter(language__in=["", language])
    results = backend.search(" ".join(found), queryset, operator="and")
    counts = {"type": dict(results.facet("source"))}
    if type_:
        results = backend.search(" ".join(found), queryset.filter(source=type_), operator="and")
    total = results.count()
    return [doc.pk for doc in results[offset : offset + limit]], total, counts


def _is_database_backend(backend) -> bool:
    return type(backend).__module__.startswith("modelsearch.backends.database.") and (
        connection.vendor in ("sqlite", "postgresql")
    )


def search_run(
    *,
    query: str,
    language: str,
    type_: str = "",
    theme: str = "",
    country: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """The hits of one page for what someone typed, best first; newer first among equals.

    Unknown types and facet values find nothing rather than everything; page numbers outside
    1..MAX_PAGE are clamped.
    """
    sources = search_sources()
    page = min(max(page, 1), MAX_PAGE)
    found, prefix_last = analysis.query_terms(query)
    filters = {k: v for k, v in (("theme", theme), ("country", country)) if v}
    if (type_ and type_ not in sources) or not all(_VALUE.fullmatch(v) for v in filters.values()):
        found = []  # a filter no document can have finds nothing (and reaches no SQL)
    ids: list[int] = []
    total = 0
    counts: dict[str, dict[str, int]] = {}
    if found:
        backend = get_search_backend()
        arguments = {
            "language": language,
            "type_": type_,
            "filters": filters,
            "offset": (page - 1) * per_page,
            "limit": per_page,
        }
        if _is_database_backend(backend):
            ids, total, counts = _search_database(found, prefix_last, **arguments)
        else:
            ids, total, counts = _search_other(backend, found, **arguments)
    documents = SearchDocument.objects.in_bulk(ids)
    hits = []
    for pk in ids:
        document = documents.get(pk)
        if document is None:
            continue
        source = sources.get(document.source)
        hits.append(
            SearchHit(
                type=document.source,
                type_label=str(source.label) if source else document.source,
                title=document.title,
                # Records serve every language: their address gets the reader's prefix.
                url=f"/{language}{document.url}"
                if not document.language and document.url.startswith("/")
                else document.url,
                snippet=analysis.snippet(document.body or document.title, query),
                date=document.date,
            )
        )
    paginator = Paginator(_Count(total), per_page)
    number = min(page, max(paginator.num_pages, 1))
    facets = {
        "type": [
            FacetValue(value, str(sources[value].label_plural), n, value == type_)
            for value, n in sorted(counts.get("type", {}).items(), key=lambda kv: -kv[1])
            if value in sources
        ]
    }
    selected = {"theme": theme, "country": country}
    for kind, facet_kind in facet_kinds().items():
        values = counts.get(kind, {})
        names = facet_kind.names(values.keys()) if values else {}
        facets[kind] = sorted(
            (
                FacetValue(value, names.get(value, value), n, value == selected.get(kind))
                for value, n in values.items()
            ),
            key=lambda f: (-f.count, f.label),
        )
    return SearchResults(
        query=query,
        hits=hits,
        total=total,
        page=Page(hits, number, paginator),
        facets=facets,
    )


def search_facet_values(kind: str) -> set[str]:
    """Every value a facet has (to tell a bad filter from one that finds nothing)."""
    return set(SearchFacet.objects.filter(kind=kind).values_list("value", flat=True).distinct())
