"""The catalogue of search sources: what each app above core makes searchable.

Core cannot import the registry or content (ADR 0006); they register a `SearchSource` in their
`AppConfig.ready`, and the coming apps (events, funding …) do the same. A source names its
type, the model whose rows it turns into documents, and how: `documents(objects)` gives the
documents of the given rows that may be found (none for an unpublished page), `objects()` all
rows to index.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise


@dataclass(frozen=True)
class DocumentData:
    """A document as a source gives it; `key` identifies its row within the source."""

    key: str
    title: str
    url: str
    body: str = ""
    language: str = ""
    date: datetime.date | None = None
    themes: Iterable[str] = ()
    countries: Iterable[str] = ()


@dataclass(frozen=True)
class SearchSource:
    type: str
    label: str | Promise
    label_plural: str | Promise
    model: type[models.Model]
    objects: Callable[[], models.QuerySet]
    documents: Callable[[Iterable[models.Model]], Iterable[DocumentData]]
    #: The key of a row (for deleting its documents): its primary key by default.
    key: Callable[[models.Model], str] = field(default=lambda obj: str(obj.pk))
    #: Rows per batch when the whole source is indexed.
    batch_size: int = 2000


@dataclass(frozen=True)
class FacetKind:
    """A facet besides the type (theme, country): its heading and how to name its values."""

    kind: str
    label: str | Promise
    names: Callable[[Iterable[str]], dict[str, str]]


_sources: dict[str, SearchSource] = {}
_facet_kinds: dict[str, FacetKind] = {}


def search_source_register(source: SearchSource) -> None:
    _sources[source.type] = source


def search_sources() -> dict[str, SearchSource]:
    return dict(_sources)


def search_source(type_: str) -> SearchSource | None:
    return _sources.get(type_)


def sources_for_model(model: type[models.Model]) -> list[SearchSource]:
    return [s for s in _sources.values() if issubclass(model, s.model)]


def facet_kind_register(facet_kind: FacetKind) -> None:
    _facet_kinds[facet_kind.kind] = facet_kind


def facet_kinds() -> dict[str, FacetKind]:
    return dict(_facet_kinds)
