"""Our own full-text index of the search documents on the database engines (ADR 0008).

One table, `core_searchindex`, made by migration core 0002 for the engine at hand: on SQLite
an FTS5 table (analysed title, analysed body, keys), on PostgreSQL a table with a tsvector
(title weighted A, body D, keys B) under a GIN index. Every row is keyed by

    key = date ordinal * 2**32 + document id      (no date: ordinal 0)

so that the key order is the order "newer first, then the newer document" that ranking uses
for equal scores. Both engines can then hand out the newest matches first and stop after a
page's worth (FTS5 walks its doclists by rowid, PostgreSQL walks the primary key backwards and
checks each row's vector), instead of scoring, sorting and counting every match of a frequent
word. The keys are tokens for what a search filters and counts by (type, language, theme,
country), so that filtering needs no join: `s_` + hex of the type, `l_` + hex of the language
("l_" alone: every language), `<kind>_` + hex of a facet value.

Deleting a document deletes its row through a trigger (made by the same migration), so that
`QuerySet.delete()` anywhere keeps the index right.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection

from . import analysis

TABLE = "core_searchindex"
#: SQLite: the analysed title and the key tokens of every row, by key, in a narrow table (see
#: `matches`).
KEYS_TABLE = "core_searchkey"
VERSION_TABLE = "core_searchversion"
KEY_DAYS = 1 << 32


def document_key(pk: int, day: datetime.date | None) -> int:
    """The index key of a document: its date (newest first) before its id."""
    return (day.toordinal() if day else 0) * KEY_DAYS + pk


def key_document(key: int) -> int:
    return key % KEY_DAYS


def key_date(key: int) -> datetime.date | None:
    ordinal = key // KEY_DAYS
    return datetime.date.fromordinal(ordinal) if ordinal else None


def token(kind: str, value: str) -> str:
    """A key token: no analysed term contains "_", and hex keeps every value one token."""
    return f"{kind}_{value.encode().hex()}"


def token_parse(text: str) -> tuple[str, str]:
    kind, _, value = text.partition("_")
    return kind, bytes.fromhex(value).decode()


def is_supported() -> bool:
    return connection.vendor in ("sqlite", "postgresql")


def documents_index(documents: Iterable, keys: dict[int, list[str]]) -> None:
    """Write the index rows of new documents, with their key tokens by document id."""
    rows = [
        (
            d.source,
            document_key(d.pk, d.date),
            analysed(d, "title"),
            analysed(d, "body"),
            " ".join(keys.get(d.pk, [])),
        )
        for d in documents
    ]
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, title, body, keys) VALUES (%s, %s, %s, %s)",  # noqa: S608
                [row[1:] for row in rows],
            )
            cursor.executemany(
                f"INSERT INTO {KEYS_TABLE} (key, title, keys) VALUES (%s, %s, %s)",  # noqa: S608
                [(key, title, keys) for _source, key, title, _body, keys in rows],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {TABLE} (source, key, title, keys, vector) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, "
                "setweight(to_tsvector('simple', %s), 'A') "
                "|| setweight(to_tsvector('simple', %s), 'D') "
                "|| setweight(array_to_tsvector(string_to_array(%s, ' ')), 'B'))",
                [
                    (source, key, title, keys, title, body, keys)
                    for source, key, title, body, keys in rows
                ],
            )
        _vocabulary_add(cursor, rows)
        _version_bump(cursor)


def index_clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {KEYS_TABLE}")  # noqa: S608
        _version_bump(cursor)


def _version_bump(cursor) -> None:
    cursor.execute(f"UPDATE {VERSION_TABLE} SET version = version + 1 WHERE id = 1")  # noqa: S608


def index_version() -> int | None:
    """The index's version (see migration core 0003): it moves on with every write, in the
    same transaction, so that an answer is cached under the version of the rows it read."""
    if not is_supported():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {VERSION_TABLE} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def analysed(document, field_name: str) -> str:
    """A document's field as analysed terms, analysed once for our index and Wagtail's."""
    cache = document.__dict__.setdefault("_analysed", {})
    if field_name not in cache:
        cache[field_name] = analysis.analyse(getattr(document, field_name) or "")
    return cache[field_name]


def _vocabulary_add(cursor, rows) -> None:
    """Every indexed term, so that a prefix becomes the words it begins: FTS5 merges the whole
    doclist of a prefix query before it returns the first row (an OR of the words is walked
    lazily), and PostgreSQL cannot estimate how many rows a prefix finds (it then reads every
    match through the GIN index where walking the newest would stop after a page's worth).
    Terms are never removed: a stale one matches nothing."""
    terms: set[str] = set()
    for _source, _key, title, body, _keys in rows:
        terms.update(title.split())
        terms.update(body.split())
    terms.discard("")
    ignore = "OR IGNORE" if connection.vendor == "sqlite" else ""
    conflict = "" if connection.vendor == "sqlite" else "ON CONFLICT DO NOTHING"
    cursor.executemany(
        f"INSERT {ignore} INTO core_searchterm (term) VALUES (%s) {conflict}",  # noqa: S608
        [(t[:255],) for t in sorted(terms)],
    )


#: A prefix that begins more indexed words than this is left to the engine's own prefix query.
PREFIX_MAX_WORDS = 50


@dataclass(frozen=True)
class Match:
    key: int
    #: The analysed title (for the ranking) and the key tokens (for the facets).
    title: str
    keys: str


@dataclass
class Query:
    """What someone typed, as the engines match it: every term, the last one maybe a prefix."""

    terms: list[str]
    prefix_last: bool
    #: The indexed words the prefix begins (None: use the engine's prefix query).
    completions: list[str] | None = field(default=None)

    @classmethod
    def prepare(cls, terms: list[str], prefix_last: bool) -> Query:
        query = cls(list(terms), prefix_last)
        if prefix_last:
            prefix = terms[-1]
            after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT term FROM core_searchterm WHERE term >= %s AND term < %s LIMIT %s",
                    [prefix, after, PREFIX_MAX_WORDS + 1],
                )
                words = [row[0] for row in cursor.fetchall()]
            if len(words) <= PREFIX_MAX_WORDS:
                query.completions = words
        return query

    def finds_nothing(self) -> bool:
        return not self.terms or self.completions == []


def title_score(title: str, query: Query) -> float:
    """How well the analysed title matches: BM25's term frequency and length parts, title only,
    rounded to one decimal (near-equal scores are equal, and the newer document goes first).

    The body does not count: a match in the title ranks above a match in the text only; among
    matches in the text only, the newer ranks first. The same function on both engines, so
    that they rank alike."""
    if not any(term in title for term in query.terms):
        return 0.0  # most candidates of a frequent word: found in the text only
    words = title.split()
    length_part = 1.2 * (1 - 0.75 + 0.75 * len(words) / 6)
    score = 0.0
    last = len(query.terms) - 1
    for i, term in enumerate(query.terms):
        if i == last and query.prefix_last:
            frequency = sum(1 for w in words if w.startswith(term))
        else:
            frequency = words.count(term)
        if frequency:
            score += frequency * 2.2 / (frequency + length_part)
    return round(score, 1)


def _sqlite_expression(query: Query, key_groups: list[list[str]], title_only: bool) -> str:
    phrases = [f'"{term}"' for term in query.terms]
    if query.prefix_last:
        if query.completions:
            phrases[-1] = "(" + " OR ".join(f'"{word}"' for word in query.completions) + ")"
        else:
            phrases[-1] += "*"
    columns = "{title}" if title_only else "{title body}"
    expression = f"{{title body}} : ({' AND '.join(phrases)})"
    if title_only:
        expression += f" AND {columns} : ({' OR '.join(phrases)})"
    for group in key_groups:
        expression += " AND {keys} : (" + " OR ".join(f'"{t}"' for t in group) + ")"
    return expression


def _postgresql_queries(query: Query, key_groups: list[list[str]], title_only: bool) -> list:
    """The tsqueries of the terms and keys, and of the title (some term in it, or "")."""
    items = [f"'{term}'" for term in query.terms]
    if query.prefix_last:
        if query.completions:
            items[-1] = "(" + " | ".join(f"'{word}'" for word in query.completions) + ")"
        else:
            items[-1] += ":*"
    terms = " & ".join(items)
    keys = " & ".join("(" + " | ".join(f"'{t}'" for t in group) + ")" for group in key_groups)
    # Some term in the title: matched against the title's own terms (a GIN index of its own),
    # not with weights in the vector, which the engine would recheck by reading every vector.
    titled = " | ".join(items) if title_only else ""
    return [terms, keys or "''", titled]


def matches(
    query: Query, searches: dict[str, list[list[str]]], *, limit: int, title_only: bool = False
) -> dict[str, list[Match]]:
    """For each type (and its key groups, which name the type too), the newest `limit`
    documents that match every term and one token of every key group (and, with
    `title_only`, some term in the title), newest first. One statement for all of them."""
    found: dict[str, list[Match]] = {name: [] for name in searches}
    if query.finds_nothing() or not searches:
        return found
    parts, params = [], []
    for number, (source, groups) in enumerate(searches.items()):
        if connection.vendor == "sqlite":
            # Only the rowids from FTS5 (its content rows hold the long body, read in whole
            # for any other column), the title and keys from the narrow table.
            parts.append(
                f"SELECT {number}, k.key, k.title, k.keys FROM (SELECT rowid FROM {TABLE} "  # noqa: S608
                f"WHERE {TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s) AS f "
                f"JOIN {KEYS_TABLE} AS k ON k.key = f.rowid"
            )
            params += [_sqlite_expression(query, groups, title_only), limit]
        else:
            terms, keys, titled = _postgresql_queries(query, groups, title_only)
            title_condition = "AND to_tsvector('simple', title) @@ to_tsquery('simple', %s) "
            parts.append(
                f"(SELECT {number}, key, title, keys FROM {TABLE} "  # noqa: S608
                "WHERE source = %s AND vector @@ (to_tsquery('simple', %s) && %s::tsquery) "
                f"{title_condition if titled else ''}ORDER BY key DESC LIMIT %s)"
            )
            params += [source, terms, keys, *([titled] if titled else []), limit]
    names = list(searches)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for number, key, title, keys in cursor.fetchall():
            found[names[number]].append(Match(key, title, keys))
    for rows in found.values():
        rows.sort(key=lambda row: -row.key)  # a join need not keep the order
    return found


def statistics_refresh() -> None:
    """PostgreSQL plans from statistics: after a bulk write, count the index's words again."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")
