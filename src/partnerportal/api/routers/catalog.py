"""The DCAT-AP.de catalogue of the open data (api/catalog.py) for open-data portals to harvest:
/api/v1/catalog.ttl (Turtle) and /api/v1/catalog.jsonld (JSON-LD), the same graph.
(No `from __future__ import annotations` here: ninja reads the annotations at import.)

Public and conditional like the files it describes: its ETag and Last-Modified follow the
registry's change version (core/caching.py), and dct:modified says the same moment."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router
from ninja.decorators import decorate_view

from partnerportal.core.caching import conditional
from partnerportal.registry.changes import registry_last_modified

from ..documentation import extra, responses

router = Router(tags=["catalogue"])

TURTLE_CONTENT_TYPE = "text/turtle; charset=utf-8"
JSONLD_CONTENT_TYPE = "application/ld+json"

_DESCRIPTION = (
    "The data sets of Partnerportal (partnerships, municipalities, statistics) described after "
    "DCAT-AP.de for open-data portals such as GovData to harvest: each distribution (file or API "
    "answer) with its address, format, media type and licence; publisher, sources, update "
    "frequency, temporal and spatial coverage."
)


def _catalog(request: HttpRequest, fmt: str, content_type: str) -> HttpResponse:
    """Public: describes public data only."""
    # rdflib is loaded by the catalogue's requests only: loading the URLs (migrate, every
    # management command, every app server's start) must not need it.
    from ..catalog import catalog_graph, serialize

    graph = catalog_graph(
        catalog_url=request.build_absolute_uri(reverse("api:catalog_ttl")),
        absolute=request.build_absolute_uri,
        modified=registry_last_modified(getattr(request, "change_version", None)),
    )
    return HttpResponse(serialize(graph, fmt), content_type=content_type)


@router.get(
    "/catalog.ttl",
    response=responses(None),
    openapi_extra=extra(
        ok_content={"text/turtle": {"schema": {"type": "string", "description": "RDF (Turtle)"}}}
    ),
    auth=None,
    summary="Open-data catalogue (DCAT-AP.de, Turtle)",
    description=_DESCRIPTION + " Example: `/api/v1/catalog.ttl`.",
)
@decorate_view(conditional)
def catalog_ttl(request: HttpRequest):
    return _catalog(request, "turtle", TURTLE_CONTENT_TYPE)


@router.get(
    "/catalog.jsonld",
    response=responses(None),
    openapi_extra=extra(
        ok_content={JSONLD_CONTENT_TYPE: {"schema": {"type": "object"}}},
    ),
    auth=None,
    summary="Open-data catalogue (DCAT-AP.de, JSON-LD)",
    description=_DESCRIPTION + " The same graph as catalog.ttl. Example: `/api/v1/catalog.jsonld`.",
)
@decorate_view(conditional)
def catalog_jsonld(request: HttpRequest):
    return _catalog(request, "json-ld", JSONLD_CONTENT_TYPE)
