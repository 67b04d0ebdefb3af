"""Keeping the search documents current: after an edit (one row), after an import (a source)
and on `partnerportal update_index` (everything)."""

import logging
from collections.abc import Iterable, Sequence

from django.db import models, transaction
from modelsearch.backends import get_search_backends
from modelsearch.conf import get_app_config

from partnerportal.core.db import table_statistics_refresh

from . import fulltext
from .models import SearchDocument, SearchFacet
from .sources import DocumentData, SearchSource, search_sources, sources_for_model

logger = logging.getLogger(__name__)

#: Documents per batch handed to the search backend.
INDEX_BATCH = 1000


def _is_database_backend(backend) -> bool:
    # The database backends keep their entries in tables that follow our rows (a generic
    # relation: deleting a document deletes its entries); the others must be told.
    return type(backend).__module__.startswith("modelsearch.backends.database")


def _documents_delete(queryset: models.QuerySet) -> int:
    others = [b for b in get_search_backends(with_auto_update=True) if not _is_database_backend(b)]
    if others:
        for document in queryset.only("pk"):
            for backend in others:
                backend.delete(document)
    deleted, _ = queryset.delete()
    return deleted


def _documents_create(source: SearchSource, data: Sequence[DocumentData]) -> int:
    documents = SearchDocument.objects.bulk_create(
        [
            SearchDocument(
                source=source.type,
                object_key=item.key,
                language=item.language,
                title=item.title[:500],
                body=item.body,
                url=item.url[:500],
                date=item.date,
            )
            for item in data
        ],
        batch_size=INDEX_BATCH,
    )
    facets = [
        SearchFacet(document=document, kind=kind, value=str(value)[:60])
        for document, item in zip(documents, data, strict=True)
        for kind, values in (("theme", item.themes), ("country", item.countries))
        for value in dict.fromkeys(values)
    ]
    SearchFacet.objects.bulk_create(facets, batch_size=INDEX_BATCH * 5)
    if fulltext.is_supported():
        facet_rows = ((facet.document_id, facet.kind, facet.value) for facet in facets)
        fulltext.documents_index(documents, _facet_tokens(documents, facet_rows))
    for backend in get_search_backends(with_auto_update=True):
        for start in range(0, len(documents), INDEX_BATCH):
            backend.add_bulk(SearchDocument, documents[start : start + INDEX_BATCH])
    return len(documents)


def _facet_tokens(documents, facet_rows) -> dict[int, list[str]]:
    """The index's key tokens of each document from its (document id, kind, value) facets."""
    tokens: dict[int, list[str]] = {d.pk: [] for d in documents}
    for document_id, kind, value in facet_rows:
        tokens[document_id].append(fulltext.token(kind, value))
    return tokens


def search_documents_reindex(
    document_model: type[models.Model] = SearchDocument,
    facet_model: type[models.Model] = SearchFacet,
) -> int:
    """The full-text rows of every document anew (after migration core 0002 made the index;
    models given to run with a migration's historical ones)."""
    if not fulltext.is_supported():
        return 0

    fulltext.index_clear()
    written = 0
    last = 0
    while True:
        batch = list(document_model.objects.filter(pk__gt=last).order_by("pk")[:INDEX_BATCH])
        if not batch:
            return written
        keys = _facet_tokens(
            batch,
            facet_model.objects.filter(document_id__in=[d.pk for d in batch]).values_list(
                "document_id", "kind", "value"
            ),
        )
        fulltext.documents_index(batch, keys)
        written += len(batch)
        last = batch[-1].pk


def search_documents_sync(*, source: SearchSource, objects: Iterable[models.Model]) -> int:
    """Replace the documents of these rows by what the source says of them now.

    A row that may no longer be found (an unpublished page, a withdrawn proposal) loses its
    documents. Returns the number of documents written.
    """
    rows = list(objects)
    if not rows:
        return 0
    keys = [source.key(row) for row in rows]
    with transaction.atomic():
        _documents_delete(SearchDocument.objects.filter(source=source.type, object_key__in=keys))
        return _documents_create(source, list(source.documents(rows)))


def search_documents_remove(*, source: SearchSource, keys: Iterable[str]) -> int:
    with transaction.atomic():
        return _documents_delete(
            SearchDocument.objects.filter(source=source.type, object_key__in=list(keys))
        )


def _statistics_refresh() -> None:
    """After a bulk write: PostgreSQL plans the search's joins from row counts, count them."""
    table_statistics_refresh(SearchDocument, SearchFacet, get_app_config().get_model("IndexEntry"))
    fulltext.statistics_refresh()


def search_rows_sync(*, source: SearchSource, pks: Iterable) -> int:
    """The documents of these rows anew, a batch at a time: after a bulk write (which sends no
    signals) that touched only them, far cheaper than the whole source (a twin towns import
    adds some hundred rows to a registry of tens of thousands). A row the source does not list
    (a draft partnership) gets none. Returns the number of documents written."""
    wanted = sorted(set(pks))
    written = 0
    with transaction.atomic():
        for start in range(0, len(wanted), source.batch_size):
            chunk = wanted[start : start + source.batch_size]
            keys = [source.key(source.model(pk=pk)) for pk in chunk]
            _documents_delete(
                SearchDocument.objects.filter(source=source.type, object_key__in=keys)
            )
            rows = list(source.objects().filter(pk__in=chunk).order_by("pk"))
            written += _documents_create(source, list(source.documents(rows)))
        if len(wanted) > source.batch_size:
            _statistics_refresh()
    return written


def search_source_rebuild(*, source: SearchSource) -> int:
    """Index a whole source anew (after an import, or when the documents may have drifted)."""
    written = 0
    with transaction.atomic():
        _documents_delete(SearchDocument.objects.filter(source=source.type))
        queryset = source.objects().order_by("pk")
        batch: list[models.Model] = []
        for row in queryset.iterator(chunk_size=source.batch_size):
            batch.append(row)
            if len(batch) >= source.batch_size:
                written += _documents_create(source, list(source.documents(batch)))
                batch = []
        if batch:
            written += _documents_create(source, list(source.documents(batch)))
        _statistics_refresh()
    return written


def search_rebuild() -> dict[str, int]:
    """Every source anew, and the documents of types no longer registered removed."""
    sources = search_sources()
    _documents_delete(SearchDocument.objects.exclude(source__in=list(sources)))
    return {type_: search_source_rebuild(source=source) for type_, source in sources.items()}


def search_object_refresh(*, source: SearchSource, pk) -> int:
    """One row anew: its documents if the source still lists it, none if not."""
    rows = list(source.objects().filter(pk=pk))
    if rows:
        return search_documents_sync(source=source, objects=rows)
    search_documents_remove(source=source, keys=[str(pk)])
    return 0


def search_object_changed(obj: models.Model) -> None:
    """After a row was saved: its documents follow once the transaction has committed."""
    for source in sources_for_model(type(obj)):
        transaction.on_commit(
            lambda source=source, pk=obj.pk: search_object_refresh(source=source, pk=pk),
            robust=True,
        )


def search_object_deleted(obj: models.Model) -> None:
    for source in sources_for_model(type(obj)):
        key = source.key(obj)
        transaction.on_commit(
            lambda source=source, key=key: search_documents_remove(source=source, keys=[key]),
            robust=True,
        )
