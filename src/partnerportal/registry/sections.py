"""Sections that higher apps add to the registry's public pages, and layers they add to the
atlas's map, without the registry or the atlas importing them (ADR 0006).

Content registers, in its `AppConfig.ready()`, a provider of "News and practice examples" for the
pages of a municipality, a partnership, a country, a Land and a theme; the registry's views and
the atlas's place pages call `page_sections()` and print what comes back. Content also registers
the practice examples as a map layer; the atlas's map page lists `map_layers()` and its script
loads each layer's GeoJSON. Without content, the pages have no such sections and the map one
layer: nothing is counted or drawn differently."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.safestring import SafeString

#: The pages that offer sections: the subject is a Municipality, a Partnership, a geo.Country,
#: the name of a Land (str) or a Theme.
SectionPage = Literal["municipality", "partnership", "country", "state", "theme"]

#: provider(request, page=..., subject=...) -> the section's HTML, or None when it has nothing
#: to show (the page then shows no heading either).
SectionProvider = Callable[..., SafeString | None]

_SECTION_PROVIDERS: list[SectionProvider] = []


def section_provider_register(provider: SectionProvider) -> None:
    """Called from a higher app's ready(); registering the same function twice is harmless."""
    if provider not in _SECTION_PROVIDERS:
        _SECTION_PROVIDERS.append(provider)


def page_sections(request: HttpRequest, *, page: SectionPage, subject) -> list[SafeString]:
    """The sections other apps add to one page, in the order they registered, the empty left
    out. Each provider keeps its own queries bounded (a fixed number per page)."""
    sections = []
    for provider in _SECTION_PROVIDERS:
        html = provider(request, page=page, subject=subject)
        if html:
            sections.append(html)
    return sections


@dataclass(frozen=True)
class MapLayer:
    """A layer of points a higher app offers the atlas's map, as GeoJSON at `url_name` (reversed
    in the reader's language). Each feature's properties: `title`, `url`, `place` (its label in the
    list and popup) and optionally `date` and `kind` (shown as they are)."""

    key: str
    label: str | Promise
    url_name: str
    empty_label: str | Promise
    list_url_name: str = ""


_MAP_LAYERS: dict[str, MapLayer] = {}


def map_layer_register(layer: MapLayer) -> None:
    _MAP_LAYERS[layer.key] = layer


def map_layers() -> list[MapLayer]:
    return list(_MAP_LAYERS.values())


#: theme -> the address of its page, if an app offers one (content's listing filtered by theme).
_THEME_URLS: list[Callable[..., str | None]] = []


def theme_url_register(resolver: Callable[..., str | None]) -> None:
    if resolver not in _THEME_URLS:
        _THEME_URLS[:] = [resolver]


def theme_urls(request: HttpRequest) -> Callable[[str], str | None] | None:
    """A function code -> address of the theme's page, or None without such pages. Called once
    per page: the resolver may read what it needs once (the list's address) and answer each
    theme without a query."""
    return _THEME_URLS[0](request) if _THEME_URLS else None
