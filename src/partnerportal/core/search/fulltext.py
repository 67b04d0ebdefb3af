"""Our own full-text index of the search documents on the database engines (ADR 0008).

One table, `core_searchindex`, made by migration core 0002 for the engine at hand: on SQLite
an FTS5 table (analysed title, analysed body, keys), on PostgreSQL a table with a tsvector
(title weighted A, body D, keys B) under a GIN index. Every row is keyed by

    key = bucket * 2**52 + date ordinal * 2**32 + document id      (no date: ordinal 0)

where the bucket is a small number for the document's (type, language), assigned once in
`core_searchbucket` (migration core 0003). Within a bucket the key order is the order "newer
first, then the newer document" that ranking uses for equal scores, so both engines can hand
out the newest matches first and stop after a page's worth (FTS5 walks its doclists by rowid,
PostgreSQL walks the primary key backwards and checks each row's vector), instead of scoring,
sorting and counting every match of a frequent word. A type in a language is a key range
(FTS5 honours a rowid range in the same walk, PostgreSQL's primary key is a range scan), so
type and language are not in the MATCH or the tsquery: their tokens were in nearly every row,
and reading their posting lists cost more than the rest of the search. The keys column holds
tokens only for the facets a search filters and counts by (theme, country): `<kind>_` + hex
of the value.

Deleting a document deletes its row through a trigger (made by migration core 0003), so that
`QuerySet.delete()` anywhere keeps the index right.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection

from . import analysis

TABLE = "core_searchindex"
#: SQLite: the analysed title and the key tokens of every row, by key, in a narrow table (see
#: `matches`).
KEYS_TABLE = "core_searchkey"
#: PostgreSQL: the index's rows with their vectors stripped, kept inside the rows, for walks in
#: key order (see `_postgresql_rows`; migration core 0004).
WALK_TABLE = "core_searchwalk"
VERSION_TABLE = "core_searchversion"
BUCKET_TABLE = "core_searchbucket"
KEY_DAYS = 1 << 32
#: A bucket starts at bit 52: date ordinals are kept below 2**20 (dates after 25 November 2871
#: count as that day; the delete triggers clamp alike).
KEY_BUCKETS = 1 << 52
KEY_ORDINAL_MAX = KEY_BUCKETS // KEY_DAYS - 1
#: Buckets 1..BUCKET_MAX keep every key a positive signed 64-bit integer.
BUCKET_MAX = (1 << 63) // KEY_BUCKETS - 1


def document_key(pk: int, day: datetime.date | None, bucket: int = 0) -> int:
    """The index key of a document: its bucket (type and language), then its date (newest
    first), then its id."""
    if not 0 < pk < KEY_DAYS:
        raise ValueError(f"A search document's id must lie below 2**32 to be keyed ({pk}).")
    ordinal = min(day.toordinal(), KEY_ORDINAL_MAX) if day else 0
    return bucket * KEY_BUCKETS + ordinal * KEY_DAYS + pk


def key_document(key: int) -> int:
    return key % KEY_DAYS


def key_date(key: int) -> datetime.date | None:
    ordinal = key % KEY_BUCKETS // KEY_DAYS
    return datetime.date.fromordinal(ordinal) if ordinal else None


def key_newness(key: int) -> int:
    """The key without its bucket: the order "newer first" across buckets."""
    return key % KEY_BUCKETS


def bucket_range(bucket: int) -> tuple[int, int]:
    """The first and last key of a bucket."""
    return bucket * KEY_BUCKETS, (bucket + 1) * KEY_BUCKETS - 1


def buckets_assign(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The bucket numbers of these (type, language) pairs, new pairs numbered on first use.

    The numbers live in the database, not in a process: every process and deploy keys a
    document alike, and the delete triggers look them up. A concurrent writer may take the
    next number first: then the pair's insert is ignored or numbered again."""
    wanted = set(pairs)
    found = _buckets(wanted)
    ignore = "OR IGNORE" if connection.vendor == "sqlite" else ""
    conflict = "" if connection.vendor == "sqlite" else "ON CONFLICT DO NOTHING"
    for _attempt in range(5):
        missing = sorted(wanted - found.keys())
        if not missing:
            return found
        with connection.cursor() as cursor:
            for source, language in missing:
                cursor.execute(
                    f"INSERT {ignore} INTO {BUCKET_TABLE} (source, language, number) "  # noqa: S608
                    f"SELECT %s, %s, COALESCE(MAX(number), 0) + 1 FROM {BUCKET_TABLE} {conflict}",
                    [source, language],
                )
        found = _buckets(wanted)
        if any(number > BUCKET_MAX for number in found.values()):
            raise RuntimeError("More (type, language) buckets than the index key can hold.")
    raise RuntimeError("Could not number the search buckets.")


def _buckets(pairs: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    if not pairs:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT source, language, number FROM {BUCKET_TABLE}")  # noqa: S608
        return {
            (source, language): number
            for source, language, number in cursor.fetchall()
            if (source, language) in pairs
        }


def buckets_for(sources: Iterable[str], language: str) -> dict[str, list[int]]:
    """The buckets a search in this language reads per type: the records' (type, "") and the
    pages' (type, language); types without documents have none."""
    wanted = _buckets_wanted(sources, language)
    return _buckets_by_type(_buckets(wanted), wanted)


def _buckets_wanted(sources: Iterable[str], language: str) -> set[tuple[str, str]]:
    return {(source, lang) for source in sources for lang in ("", language)}


def _buckets_by_type(
    numbers: dict[tuple[str, str], int], wanted: set[tuple[str, str]]
) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for (source, language), number in sorted(numbers.items()):
        if (source, language) in wanted:
            found.setdefault(source, []).append(number)
    return found


def token(kind: str, value: str) -> str:
    """A key token: no analysed term contains "_", and hex keeps every value one token."""
    return f"{kind}_{value.encode().hex()}"


def token_parse(text: str) -> tuple[str, str]:
    kind, _, value = text.partition("_")
    return kind, bytes.fromhex(value).decode()


def is_supported() -> bool:
    return connection.vendor in ("sqlite", "postgresql")


def documents_index(documents: Iterable, keys: dict[int, list[str]]) -> None:
    """Write the index rows of new documents, with their facet tokens by document id.

    On PostgreSQL the index's version row is locked first: every writer ends by moving it on,
    and one that numbered a new bucket or word before waiting for that row could deadlock
    with one that holds the row and waits for the same bucket number or word."""
    documents = list(documents)
    if not documents:
        return
    _version_lock()
    buckets = buckets_assign((d.source, d.language) for d in documents)
    rows = [
        (
            d.source,
            document_key(d.pk, d.date, buckets[d.source, d.language]),
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
            # The walk table's row from the index's, in one statement (the vector analysed once).
            cursor.executemany(
                f"WITH written AS (INSERT INTO {TABLE} (source, key, title, keys, vector) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, "
                "setweight(to_tsvector('simple', %s), 'A') "
                "|| setweight(to_tsvector('simple', %s), 'D') "
                "|| setweight(array_to_tsvector(string_to_array(%s, ' ')), 'B')) "
                "RETURNING source, key, title, keys, vector) "
                f"INSERT INTO {WALK_TABLE} (source, key, title, keys, vector, title_vector) "
                "SELECT source, key, title, keys, strip(vector), "
                "strip(to_tsvector('simple', title)) FROM written",
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
        else:
            cursor.execute(f"DELETE FROM {WALK_TABLE}")  # noqa: S608
        _version_bump(cursor)


def _version_lock() -> None:
    """Take the version row's lock (PostgreSQL) before anything else of an index write, so
    that all writers lock in the same order; SQLite has one writer at a time anyway."""
    if connection.vendor == "postgresql" and not connection.get_autocommit():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT version FROM {VERSION_TABLE} WHERE id = 1 FOR UPDATE")  # noqa: S608


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


class Match(NamedTuple):
    """A candidate row: a tuple, built thousands of times per search of a frequent word."""

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
            with connection.cursor() as cursor:
                cursor.execute(*_words_begun(terms[-1]))
                query.complete([row[0] for row in cursor.fetchall()])
        return query

    def complete(self, words: list[str]) -> None:
        """The indexed words the prefix begins (`_words_begun`), unless there are too many."""
        if len(words) <= PREFIX_MAX_WORDS:
            self.completions = words

    def finds_nothing(self) -> bool:
        return not self.terms or self.completions == []


def _words_begun(prefix: str) -> tuple[str, list]:
    """The statement that reads the indexed words a prefix begins (one more than allowed)."""
    after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return (
        "SELECT term FROM core_searchterm WHERE term >= %s AND term < %s LIMIT %s",
        [prefix, after, PREFIX_MAX_WORDS + 1],
    )


def search_start(
    terms: list[str], prefix_last: bool, sources: Iterable[str], language: str
) -> tuple[Query, dict[str, list[int]]]:
    """`Query.prepare` and `buckets_for` in one statement: a round trip fewer a search."""
    sql, params = f"SELECT 0, source, language, number FROM {BUCKET_TABLE}", []  # noqa: S608
    if prefix_last:
        words_sql, params = _words_begun(terms[-1])
        sql += f" UNION ALL SELECT 1, term, '', 0 FROM ({words_sql}) AS words"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    query = Query(list(terms), prefix_last)
    if prefix_last:
        query.complete([word for kind, word, _language, _number in rows if kind == 1])
    numbers = {(source, lang): number for kind, source, lang, number in rows if kind == 0}
    return query, _buckets_by_type(numbers, _buckets_wanted(sources, language))


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
    """The tsqueries of the terms, of the facet keys ("" for none) and of the title (some term
    in it, or "")."""
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
    return [terms, keys, titled]


def matches(
    query: Query,
    buckets: dict[str, list[int]],
    *,
    key_groups: list[list[str]],
    limit: int,
    title_only: bool = False,
    older_than: dict[str, int] | None = None,
) -> dict[str, list[Match]]:
    """For each type that has buckets (`buckets_for`: the language's and every language's),
    the newest `limit` documents in them that match every term and one token of every key group
    (and, with `title_only`, some term in the title), newest first: per type and bucket a walk
    of its key range (on PostgreSQL, see `_postgresql_rows`). `older_than` (type -> the key's
    newness, `key_newness`) leaves out the documents of that newness and newer."""
    found: dict[str, list[Match]] = {name: [] for name in buckets}
    if query.finds_nothing() or not found:
        return found
    names = list(found)
    older_than = older_than or {}
    ranges = []
    for number, source in enumerate(names):
        for bucket in buckets[source]:
            low, high = bucket_range(bucket)
            if source in older_than:
                high = min(high, low + older_than[source] - 1)
            if low <= high:
                ranges.append((number, source, low, high))
    if not ranges:
        return found
    if connection.vendor == "sqlite":
        rows = _sqlite_rows(query, ranges, key_groups, limit, title_only)
    else:
        rows = _postgresql_rows(query, ranges, key_groups, limit, title_only)
    for number, key, title, keys in rows:
        found[names[number]].append(Match(key, title, keys))
    for source, matched in found.items():
        # A join need not keep the order, and a type's buckets are merged by date.
        matched.sort(key=lambda row: -key_newness(row.key))
        found[source] = matched[:limit]
    return found


def _sqlite_rows(query: Query, ranges, key_groups, limit: int, title_only: bool) -> list:
    """One statement: per bucket FTS5's walk of the key range from the newest rowid. Only the
    rowids come from FTS5 (its content rows hold the long body, read in whole for any other
    column), the title and keys from the narrow table."""
    expression = _sqlite_expression(query, key_groups, title_only)
    parts, params = [], []
    for number, _source, low, high in ranges:
        parts.append(
            f"SELECT {number}, k.key, k.title, k.keys FROM (SELECT rowid FROM {TABLE} "  # noqa: S608
            f"WHERE {TABLE} MATCH %s AND rowid BETWEEN %s AND %s "
            f"ORDER BY rowid DESC LIMIT %s) AS f JOIN {KEYS_TABLE} AS k ON k.key = f.rowid"
        )
        params += [expression, low, high, limit]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return cursor.fetchall()


#: PostgreSQL: how many of a bucket's newest rows a search checks one by one, in key order,
#: to learn how often its words occur there (see `_postgresql_rows`).
WALK_ROWS = 200
#: ... and from which share of matches among them it reads the next rows as the planner likes
#: rather than through the GIN index (whose cost grows with the documents that hold the word).
WALK_DENSITY = 0.4
#: After a window read through the GIN index held too few: the most rows (~1.5 µs each) walked
#: below it before the GIN index reads all older matches.
NEAR_ROWS = 1_000


def _postgresql_rows(query: Query, ranges, key_groups, limit: int, title_only: bool) -> list:
    """Per bucket the newest matches: a short walk of the newest rows, then a window of older
    rows sized by what the walk found, then the rest.

    Walking the primary key backwards and checking each row's vector stops after `limit`
    matches (the walk table's stripped vectors inside the rows, ~1.5 µs a row; the index's own,
    unpacked from TOAST, took ~10 µs): a few ms for a word in most documents, where the GIN index
    hands over every match to be sorted (300 ms for a word in 77,000 pages). For a rare word the
    same walk reads the whole bucket (0.8 s for 684 matches in 100,000 pages), where the GIN
    index finds them in 2 ms. The planner cannot tell the two apart (a word outside its sample,
    or a prefix that is an OR of 14 words, is estimated at thousands of rows), so the choice is
    made here, for all buckets together in each statement:

    1. where each bucket's newest row and its WALK_ROWS-th newest row are (keys only), and
    2. the walk over those rows, which gives the words' density among the newest (one
       statement);
    3. for a bucket where that found fewer than `limit`, the older rows that should hold the
       rest at that density, and a half: where the words are dense, a window of at most a few
       thousand rows that the planner may read as it likes; where they are sparse, through
       the GIN index (together with the primary key's range); none found: all older rows
       through the GIN index;
    4. if a window still held too few: where the density found in it puts the rest within
       NEAR_ROWS rows, those rows (counted as rows) are walked; everything older than what was
       walked through the GIN index.

    The statements that must use the GIN index are planned with bitmap scans only (a function
    with planner settings of its own, see `_PostgresqlSelect.bitmapped`).
    """
    terms, keys, titled = _postgresql_queries(query, key_groups, title_only)
    matching: _Tsquery | None = (
        ("to_tsquery('simple', %s) && %s::tsquery", [terms, keys])
        if keys
        else ("to_tsquery('simple', %s)", [terms])
    )
    in_title: _Tsquery | None = None
    if titled:
        if len(query.terms) == 1:
            # One term: in the title means in the vector too; only the keys are left to check.
            matching = ("%s::tsquery", [keys]) if keys else None
        in_title = ("to_tsquery('simple', %s)", [titled])
    select = _PostgresqlSelect(matching, in_title, [r[0] for r in ranges])

    with connection.cursor() as cursor:
        newest_and_start, found = select.walked_from_newest(
            cursor, [(source, low, high) for _number, source, low, high in ranges], limit
        )
        counts = Counter(index for index, _row in found)
        windows: dict[str, list] = {"walk": [], "bitmap": []}
        keys_per_row: dict[int, float] = {}
        for index, ((_n, source, low, _high), (newest, start)) in enumerate(
            zip(ranges, newest_and_start, strict=True)
        ):
            if start is None or counts[index] >= limit:
                continue  # the walk read the whole bucket, or found enough
            window_low, way = low, "bitmap"
            if counts[index]:
                density = counts[index] / WALK_ROWS
                rows_wanted = (limit - counts[index]) / density * 1.5
                per_row = max((newest - start) / max(WALK_ROWS - 1, 1), 1)  # keys between rows
                keys_per_row[index] = per_row
                window_low = max(low, start - int(rows_wanted * per_row))
                way = "walk" if density >= WALK_DENSITY else "bitmap"
            windows[way].append((index, source, low, window_low, start - 1))

        def window(planned) -> list:
            return [
                (index, source, window_low, upper, limit - counts[index])
                for index, source, _low, window_low, upper in planned
            ]

        def older(planned) -> list:
            return [
                (index, source, low, window_low - 1, limit - counts[index])
                for index, source, low, window_low, _upper in planned
                if counts[index] < limit and window_low > low
            ]

        rest = []
        if windows["walk"]:
            # A window of at most a few thousand rows: whichever way the planner reads it, the
            # window bounds the cost.
            found += select.walked(cursor, window(windows["walk"]))
            counts = Counter(index for index, _row in found)
            rest = older(windows["walk"])
        if not (windows["bitmap"] or rest):
            return [row for _index, row in found]
        before = counts
        found += select.bitmapped(cursor, window(windows["bitmap"]) + rest)
        counts = Counter(index for index, _row in found)
        # A window that held too few: at the density found in it, are the rest near? Then the
        # rows just below it are walked, at most NEAR_ROWS of them (counted as rows: many rows
        # may share a day); where they are not, or the walk held too few, the GIN index reads
        # all older matches to sort them (10 ms for a word in 22,000 pages, for the last 11).
        near, rest = [], []
        for planned in windows["bitmap"]:
            index, source, low, window_low, upper = planned
            if counts[index] >= limit or window_low <= low:
                continue
            found_here = counts[index] - before[index]
            rows_here = (upper - window_low) / keys_per_row[index] + 1
            rows_wanted = (limit - counts[index]) * rows_here / max(found_here, 1) * 2
            if found_here and rows_wanted <= NEAR_ROWS:
                near.append((index, source, low, window_low - 1, int(rows_wanted) + 1))
            else:
                rest += older([planned])
        if near:
            scanned, rows = select.walked_rows(
                cursor,
                [
                    (index, source, low, upper, limit - counts[index], most)
                    for index, source, low, upper, most in near
                ],
            )
            found += rows
            counts = Counter(index for index, _row in found)
            for index, source, low, _upper, most in near:
                read, oldest = scanned[index]
                if counts[index] < limit and read >= most and oldest > low:
                    rest.append((index, source, low, oldest - 1, limit - counts[index]))
        if rest:
            found += select.bitmapped(cursor, rest)
    return [row for _index, row in found]


#: A tsquery as SQL, with its parameters.
_Tsquery = tuple[str, list]


@dataclass
class _PostgresqlSelect:
    """One statement: per (range index, source, low, high, limit) the newest matches of what the
    vector must match (`matching`; None: anything) and the title (`in_title`; None: anything)."""

    matching: _Tsquery | None
    in_title: _Tsquery | None
    #: The type number of each range index.
    numbers: list[int]

    def _walk_condition(self) -> tuple[str, list]:
        conditions, condition_params = [], []
        if self.matching:
            conditions.append(f"vector @@ ({self.matching[0]})")
            condition_params += self.matching[1]
        if self.in_title:
            conditions.append(f"title_vector @@ {self.in_title[0]}")
            condition_params += self.in_title[1]
        return " AND ".join(conditions) or "TRUE", condition_params

    def walked_from_newest(self, cursor, ranges, limit: int) -> tuple[list, list]:
        """The first walk, in one statement with what it starts from: per range (source, low,
        high) its newest key and the key WALK_ROWS rows below it (None: fewer rows there), and
        the matches among the rows between them (up to `limit`)."""
        bounds, bounds_params = [], []
        for index, (source, low, high) in enumerate(ranges):
            bounds.append(
                f"SELECT {index}, (SELECT key FROM {TABLE} WHERE source = %s "  # noqa: S608
                f"AND key BETWEEN %s AND %s ORDER BY key DESC LIMIT 1), (SELECT key FROM {TABLE} "
                "WHERE source = %s AND key BETWEEN %s AND %s ORDER BY key DESC OFFSET %s LIMIT 1)"
            )
            bounds_params += [source, low, high, source, low, high, WALK_ROWS - 1]
        condition, condition_params = self._walk_condition()
        parts, params = [], []
        for index, (source, low, high) in enumerate(ranges):
            parts.append(
                f"(SELECT {index}, key, title, keys FROM {WALK_TABLE} "  # noqa: S608
                f"WHERE source = %s AND key BETWEEN COALESCE((SELECT start FROM bounds "
                f"WHERE i = {index}), %s) AND %s AND {condition} ORDER BY key DESC LIMIT %s)"
            )
            params += [source, low, high, *condition_params, limit]
        cursor.execute(
            f"WITH bounds (i, newest, start) AS MATERIALIZED ({' UNION ALL '.join(bounds)}) "  # noqa: S608
            "SELECT -1 - i, newest, start::text, NULL FROM bounds UNION ALL "
            + " UNION ALL ".join(parts),
            bounds_params + params,
        )
        bounds_by_index, found = self._rows_and_facts(cursor)
        newest_and_start = [
            (newest, None if start is None else int(start))
            for newest, start in (bounds_by_index[index] for index in range(len(ranges)))
        ]
        return newest_and_start, found

    def walked_rows(self, cursor, ranges) -> tuple[dict[int, tuple[int, int]], list]:
        """Per (range index, source, low, high, limit, rows) the newest `rows` rows of the walk
        table in the range, and the newest `limit` matches among them; with how many rows were
        read and the oldest key read (to go on below it)."""
        condition, condition_params = self._walk_condition()
        scans, parts, params = [], [], []
        for index, source, low, high, _limit, rows in ranges:
            scans.append(
                f"read_{index} AS MATERIALIZED (SELECT key, title, keys, vector, title_vector "  # noqa: S608
                f"FROM {WALK_TABLE} WHERE source = %s AND key BETWEEN %s AND %s "
                "ORDER BY key DESC LIMIT %s)"
            )
            params += [source, low, high, rows]
        for index, _source, _low, _high, limit, _rows in ranges:
            # Integers and the condition's SQL only: the values are parameters.
            parts.append(f"SELECT {-1 - index}, MIN(key), COUNT(*)::text, NULL FROM read_{index}")  # noqa: S608
            parts.append(
                f"(SELECT {index}, key, title, keys FROM read_{index} WHERE {condition} "  # noqa: S608
                "ORDER BY key DESC LIMIT %s)"
            )
            params += [*condition_params, limit]
        cursor.execute(f"WITH {', '.join(scans)} " + " UNION ALL ".join(parts), params)
        facts, found = self._rows_and_facts(cursor)
        return {index: (int(count), oldest) for index, (oldest, count) in facts.items()}, found

    def _rows_and_facts(self, cursor) -> tuple[dict[int, tuple], list[tuple[int, tuple]]]:
        """A statement's matches, and the facts about each range it sent along in rows of
        their own, under the range index -1 - i: (a key, a number as text)."""
        facts: dict[int, tuple] = {}
        found = []
        for index, key, title, keys in cursor.fetchall():
            if index < 0:
                facts[-1 - index] = (key, title)
            else:
                found.append((index, (self.numbers[index], key, title, keys)))
        return facts, found

    def walked(self, cursor, ranges) -> list[tuple[int, tuple]]:
        """From the walk table, read in key order (its stripped vectors and title terms)."""
        condition, condition_params = self._walk_condition()
        parts, params = [], []
        for index, source, low, high, limit in ranges:
            parts.append(
                f"(SELECT {index}, key, title, keys FROM {WALK_TABLE} "  # noqa: S608
                f"WHERE source = %s AND key BETWEEN %s AND %s AND {condition} "
                "ORDER BY key DESC LIMIT %s)"
            )
            params += [source, low, high, *condition_params, limit]
        if not parts:
            return []
        cursor.execute(" UNION ALL ".join(parts), params)
        return [(index, (self.numbers[index], *row)) for index, *row in cursor.fetchall()]

    def bitmapped(self, cursor, ranges) -> list[tuple[int, tuple]]:
        """From the index through its GIN indexes, with bitmap scans only: the function of
        migration core 0005 (its own planner settings, no transaction around it)."""
        if not ranges:
            return []
        columns = (list(column) for column in zip(*ranges, strict=True))
        indexes, sources, lows, highs, limits = columns
        matching, matching_params = self.matching or ("NULL", [])
        in_title, in_title_params = self.in_title or ("NULL", [])
        cursor.execute(
            "SELECT range_index, key, title, keys FROM core_search_newest("  # noqa: S608
            "%s::integer[], %s::text[], %s::bigint[], %s::bigint[], %s::integer[], "
            f"({matching})::tsquery, ({in_title})::tsquery)",
            [indexes, sources, lows, highs, limits, *matching_params, *in_title_params],
        )
        return [(index, (self.numbers[index], *row)) for index, *row in cursor.fetchall()]


def statistics_refresh() -> None:
    """After a bulk write on PostgreSQL: count the index's words again (the planner plans from
    statistics) and move the GIN indexes' pending entries into the indexes proper. New
    entries wait in a pending list until autovacuum gets to them, and every search reads that
    list whole: 8,625 waiting documents cost each rare-word search 7–10 ms."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")
            cursor.execute(f"ANALYZE {WALK_TABLE}")
            cursor.execute(
                "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
                "JOIN pg_inherits h ON h.inhrelid = i.indrelid "
                "WHERE h.inhparent = %s::regclass AND a.amname = 'gin'",
                [TABLE],
            )
