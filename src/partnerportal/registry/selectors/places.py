"""The Länder by URL slug: a Land's pages (atlas/selectors/places.py) carry a slug of its Destatis
name ("baden-wuerttemberg") in their address; the municipality page links to its Land's."""

from __future__ import annotations

from django.http import Http404
from django.utils.text import slugify

from .public import FEDERAL_STATES

_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def state_slug(state: str) -> str:
    """'Baden-Württemberg' -> 'baden-wuerttemberg': umlauts as Germans write them in URLs."""
    return slugify(state.translate(_UMLAUTS))


STATE_SLUGS: dict[str, str] = {state_slug(state): state for state in FEDERAL_STATES}


def state_from_slug(slug: str) -> str:
    try:
        return STATE_SLUGS[slug]
    except KeyError as exc:
        raise Http404 from exc
