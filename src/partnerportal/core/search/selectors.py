"""Running a search: ranked hits of one page, the total and the facet counts.

On the database backends the search reads our own full-text index (`fulltext`: FTS5 on
SQLite, a tsvector table on PostgreSQL), whose keys put the newest match first: per type it
takes the newest matches up to every page one can open, and ranks, counts and facets those in
Python; see ADR 0008 for why not the stock query compilers.
On other backends (OpenSearch, Elasticsearch) the search goes through Wagtail's search API with
the analysed terms, and only the type facet is counted.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.utils.safestring import SafeString
from modelsearch.backends import get_search_backend

from . import analysis, fulltext
from . import cache as answers
from .models import SearchDocument, SearchFacet
from .sources import facet_kinds, search_sources

#: Hits per page on the search page and in the API.
PER_PAGE = 20
#: The last page one can ask for (deep pages cost as much as the whole result set).
MAX_PAGE = 15
_VALUE = re.compile(r"[\w.-]{1,60}")
#: Matches looked at per type: every page one can open (see `_search_database`).
CANDIDATES = PER_PAGE * MAX_PAGE


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
    #: False when there are more than `total` results (see `_search_database`).
    total_exact: bool = True


class _Count:
    """Lets a Paginator number pages of a result it does not hold."""

    def __init__(self, total: int):
        self.total = total

    def count(self) -> int:
        return self.total


def _facet_counts(rows, counts: dict[str, dict[str, int]]) -> None:
    tokens = Counter(text for row in rows for text in row.keys.split())
    for text, number in tokens.items():  # each distinct token decoded once
        kind, value = fulltext.token_parse(text)
        kind_counts = counts.setdefault(kind, {})
        kind_counts[value] = kind_counts.get(value, 0) + number


def _search_database(
    found, prefix_last, *, language, type_, filters, offset, limit
) -> tuple[list[int], int, dict[str, dict[str, int]], bool]:
    """Our own index (`fulltext`): per type the newest CANDIDATES matches, ranked in Python.

    Counts, facets and ranking are exact while a type has at most CANDIDATES matches (every
    page one can open); beyond, the total is "more than CANDIDATES" and the facets count the
    newest CANDIDATES, and the ranking sees those plus the newest CANDIDATES matches with a
    word in the title (so that title matches still come first)."""
    # The buckets are read once for both walks.
    query, buckets = fulltext.search_start(found, prefix_last, search_sources(), language)
    # Type and language are key ranges (`fulltext`), only the facet filters are tokens.
    groups = [[fulltext.token(kind, value)] for kind, value in filters.items()]
    pools = fulltext.matches(query, buckets, key_groups=groups, limit=CANDIDATES + 1)
    counts: dict[str, dict[str, int]] = {
        "type": {source: min(len(rows), CANDIDATES) for source, rows in pools.items() if rows}
    }
    chosen = [type_] if type_ else list(pools)
    candidates: dict[int, fulltext.Match] = {}
    total = 0
    crowded = []
    for source in chosen:
        rows = pools.get(source, [])
        if len(rows) > CANDIDATES:
            crowded.append(source)
            rows = rows[:CANDIDATES]
        total += len(rows)
        _facet_counts(rows, counts)
        for row in rows:
            candidates[row.key] = row
    if crowded:
        # More than the candidates: the newest older matches with a word in the title join
        # them (every match newer than a type's oldest candidate is a candidate already).
        titled = fulltext.matches(
            query,
            {source: buckets[source] for source in crowded},
            key_groups=groups,
            limit=CANDIDATES,
            title_only=True,
            older_than={
                source: fulltext.key_newness(pools[source][CANDIDATES - 1].key)
                for source in crowded
            },
        )
        for rows in titled.values():
            for row in rows:
                candidates.setdefault(row.key, row)
    scored = sorted(
        candidates.values(),
        key=lambda row: (-fulltext.title_score(row.title, query), -fulltext.key_newness(row.key)),
    )
    ids = [fulltext.key_document(row.key) for row in scored[offset : offset + limit]]
    return ids, total, counts, bool(crowded)


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
    return (
        type(backend).__module__.startswith("modelsearch.backends.database.")
        and fulltext.is_supported()
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
    1..MAX_PAGE are clamped. The answer comes from the shared cache while no document changed
    (`cache`): the search page and the API ask the same things many times.
    """
    arguments = {
        "query": query,
        "language": language,
        "type_": type_,
        "theme": theme,
        "country": country,
        "page": page,
        "per_page": per_page,
    }
    key = answers.answer_key(**arguments)
    results = answers.get(key)
    if results is None:
        results = search_compute(**arguments)
        if results.total:  # made-up words find nothing: they would only fill the cache
            answers.put(key, results)
    return results


def search_compute(
    *,
    query: str,
    language: str,
    type_: str = "",
    theme: str = "",
    country: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """`search_run` without the cache (what a search costs the first time)."""
    sources = search_sources()
    page = min(max(page, 1), MAX_PAGE)
    found, prefix_last = analysis.query_terms(query)
    filters = {k: v for k, v in (("theme", theme), ("country", country)) if v}
    if (type_ and type_ not in sources) or not all(_VALUE.fullmatch(v) for v in filters.values()):
        found = []  # a filter no document can have finds nothing (and reaches no SQL)
    ids: list[int] = []
    total = 0
    counts: dict[str, dict[str, int]] = {}
    capped = False
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
            ids, total, counts, capped = _search_database(found, prefix_last, **arguments)
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
    kinds = facet_kinds()
    names = answers.names(
        {kind: (list(counts[kind]), kinds[kind].names) for kind in kinds if counts.get(kind)}
    )
    for kind in kinds:
        values = counts.get(kind, {})
        named = names.get(kind, {})
        facets[kind] = sorted(
            (
                FacetValue(value, named.get(value, value), n, value == selected.get(kind))
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
        total_exact=not capped,
    )


def search_facet_values(kind: str) -> set[str]:
    """Every value a facet has (to tell a bad filter from one that finds nothing)."""
    return set(SearchFacet.objects.filter(kind=kind).values_list("value", flat=True).distinct())
