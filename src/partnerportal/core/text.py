"""Text folding for name search: "Koln", "KÖLN" and "Köln" meet, as do "Strasse" and
"Straße", "Munster" and "Münster"."""

import unicodedata

_SPECIAL = str.maketrans(
    {"ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "ı": "i"}
)


def fold(text: str) -> str:
    """Lower case, ß as ss, accents and umlauts dropped, punctuation as spaces, spaces squeezed."""
    text = (text or "").casefold().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = "".join(ch if ch.isalnum() else " " for ch in stripped)
    return " ".join(cleaned.split())
