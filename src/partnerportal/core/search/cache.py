"""Whole answers of the search in the shared cache, keyed by the version of the index.

A frequent word costs the same work for every reader until a document changes; so an answer is
kept in Django's cache (shared by every process, never process memory) under the index
version (`fulltext.index_version`), a row in the database that every write to the index moves
on in the same transaction (the code that writes rows, the triggers that delete them, whatever
path deletes a document). An answer is thus stored under the version of the rows it was
computed from, and an unpublished page is gone from the next search.
"""

import hashlib
from typing import Any

from django.core.cache import cache
from django.utils.translation import get_language

from . import fulltext

#: How long an answer is kept (the version makes it stale at once when documents change).
ANSWER_SECONDS = 600
#: How long facet value names (themes, countries) are kept; they change with a release.
NAMES_SECONDS = 3600


def answer_key(**arguments: Any) -> str | None:
    """The key of one answer: the index version, the language of the labels and every
    argument; None where the index has no version (other database engines: no caching)."""
    version = fulltext.index_version()
    if version is None:
        return None
    text = repr(sorted(arguments.items()))
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    return f"search:answer:{version}:{get_language() or ''}:{digest}"


def get(key: str | None):
    return cache.get(key) if key else None


def put(key: str | None, value) -> None:
    if key:
        cache.set(key, value, timeout=ANSWER_SECONDS)


def names(wanted: dict[str, tuple]) -> dict[str, dict[str, str]]:
    """The display names of facet values: for each kind, (its values, a lookup of names for
    values) -> value -> name. One cache entry per kind and language holds the names met so far,
    all kinds read in one go (a search shows up to a few hundred values); values not there yet
    are looked up and added. Two processes adding at once may drop each other's additions: the
    next search looks them up again."""
    language = get_language() or ""
    keys = {kind: f"search:names:{kind}:{language}" for kind in wanted}
    found = cache.get_many(list(keys.values()))
    result: dict[str, dict[str, str]] = {}
    changed = {}
    for kind, (values, lookup) in wanted.items():
        known = dict(found.get(keys[kind]) or {})
        missing = [value for value in values if value not in known]
        if missing:
            looked_up = lookup(missing)
            # Unknown values are remembered as themselves (the page shows the value).
            known.update({value: looked_up.get(value, value) for value in missing})
            changed[keys[kind]] = known
        result[kind] = {value: known[value] for value in values}
    if changed:
        cache.set_many(changed, timeout=NAMES_SECONDS)
    return result
