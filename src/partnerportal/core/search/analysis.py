"""German text analysis: the same terms at index and at query time, on every engine.

SQLite's FTS5 (unicode61) does not stem, PostgreSQL's `german` configuration stems but does not
fold "ue" to "u", and neither does what the other does. So the text is analysed here, in
Python, before any engine sees it: case folded, umlauts and accents dropped, "ae"/"oe"/"ue"
read as the umlauts they spell (Muenchen, Munchen and München meet), then the Snowball German
stemmer (Partnerschaften -> partnerschaft, Klimawandels -> klimawandel). The engines index and
match these terms as they are (FTS5 unicode61, PostgreSQL `simple`).
"""

import html
import re
import unicodedata
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe

_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "ss",
        "ä": "a",
        "ö": "o",
        "ü": "u",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "đ": "d",
        "ł": "l",
        "ı": "i",
    }
)
_WORD = re.compile(r"\w+")
#: A text split into the gaps between words and the words (`snippet`).
_PIECES = re.compile(r"(\w+)")


@lru_cache(maxsize=1)
def _stemmer():
    """PyStemmer, loaded when text is first analysed: loading the URLs or migrating needs none."""
    import Stemmer

    return Stemmer.Stemmer("german")


#: "ae", "oe" and "ue" as the umlauts they stand for; "ue" after "q" is a u and an e (Quelle).
_DIGRAPH = re.compile(r"ae|oe|(?<!q)ue")
_DIGRAPH_MAP = {"ae": "a", "oe": "o", "ue": "u"}
#: The shortest last term that is matched as a prefix ("Par" would match half the index).
PREFIX_MIN_LENGTH = 3
#: The most terms a query is cut to (each term is one more index look-up).
QUERY_MAX_TERMS = 8


def fold(text: str) -> str:
    """Lower case without diacritics, umlaut digraphs read as umlauts; words kept apart."""
    text = (text or "").casefold().translate(_SPECIAL)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _DIGRAPH.sub(lambda m: _DIGRAPH_MAP[m.group()], text)


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


def terms(text: str) -> list[str]:
    """The indexed terms of a text, in order (underscores split words, as in the engines)."""
    return [_stem(word) for word in _WORD.findall(fold(text).replace("_", " "))]


def analyse(text: str) -> str:
    """The text as the engines index it: its terms joined by spaces."""
    return " ".join(terms(text))


def query_terms(query: str) -> tuple[list[str], bool]:
    """The distinct terms of what someone typed, and whether the last one is a prefix.

    The last term is matched as a prefix when it is long enough, so that results appear as one
    types ("Partnersch" finds Partnerschaft); its stem is used, which is a prefix of the stems
    of the words it begins.
    """
    found: list[str] = []
    for term in terms(query[:500]):
        if term not in found:
            found.append(term)
    found = found[:QUERY_MAX_TERMS]
    return found, bool(found) and len(found[-1]) >= PREFIX_MIN_LENGTH


@lru_cache(maxsize=200_000)
def _word_term(word: str) -> str:
    term = terms(word)
    return term[0] if term else ""


#: Where a mark opens and closes in a passage before it is escaped (`snippet`).
_OPEN, _CLOSE = "\x01", "\x02"


def snippet(text: str, query: str, *, words: int = 30) -> SafeString:
    """A passage of the original text around the first match, matches in <mark>, HTML-escaped.

    Matching is done on analysed terms, so "Partnerschaften" is marked for the query
    "Partnerschaft"; the words shown are the original ones. (A page of hits makes 20 of these,
    and the first match may lie hundreds of words in: the text is split in one go, its words'
    terms come from a cache, and only the passage shown is put together and escaped, at once.)
    """
    found, prefix_last = query_terms(query)
    wanted = set(found)
    prefix = found[-1] if prefix_last else None
    # The marks' stand-ins below are not words; the text's own become spaces.
    pieces = _PIECES.split((text or "").replace(_OPEN, " ").replace(_CLOSE, " "))
    count = len(pieces) // 2  # pieces: gap, word, gap, word, ..., gap
    if not count:
        return mark_safe("")
    originals = pieces[1::2]

    def matches(word: str) -> bool:
        term = _word_term(word)
        return bool(term) and (term in wanted or (prefix is not None and term.startswith(prefix)))

    # Words are analysed up to the first match only (a long text may match early).
    hit = next((i for i, word in enumerate(originals) if matches(word)), 0)
    first = max(0, hit - words // 3)
    last = min(count, first + words)
    # The passage escaped in one go, the marks put in after (escaping leaves \x01, \x02 alone).
    parts: list[str] = ["… " if first > 0 else pieces[0]]
    for i in range(first, last):
        word = originals[i]
        parts.append(f"{_OPEN}{word}{_CLOSE}" if matches(word) else word)
        if i < last - 1:
            parts.append(pieces[2 * i + 2])
    parts.append(" …" if last < count else pieces[2 * count])
    shown = html.escape("".join(parts)).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")
    return mark_safe(shown.strip())  # escaped above
