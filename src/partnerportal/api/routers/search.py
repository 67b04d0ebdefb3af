"""The site search as open API: GET /api/v1/search?q=&type= (core.search; ADR 0008).
(No `from __future__ import annotations` here: ninja reads the annotations at import.)

Public and rate-limited like every read; it finds only what everyone may see (live public
pages, published records). Not conditional: pages change the index, not the registry version."""

import datetime
from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext, override
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from partnerportal.core.search.selectors import MAX_PAGE, search_run
from partnerportal.core.search.sources import search_sources

from ..documentation import extra, responses

router = Router(tags=["search"])

Language = Literal[tuple(code for code, _name in settings.LANGUAGES)]  # type: ignore[valid-type]


class SearchFilters(Schema):
    q: str = Field(..., min_length=1, max_length=200, description="What to search for.")
    type: str = Field(
        "", description="Only results of this type: page, municipality, partnership, programme."
    )
    theme: str = Field("", max_length=60, description="Only results with this theme (its code).")
    country: str = Field(
        "", max_length=60, description="Only results of this country (ISO 3166 alpha-2)."
    )
    lang: Language = Field(
        settings.LANGUAGE_CODE, description="Language of the pages searched and of the labels."
    )
    page: int = Field(1, ge=1, le=MAX_PAGE)


class SearchHitOut(Schema):
    type: str = Field(..., examples=["partnership"])
    type_label: str
    title: str
    url: str = Field(..., description="Absolute address of the result's page.")
    snippet: str = Field(
        ...,
        description="A passage of the text, HTML-escaped, the matched words in <mark>.",
    )
    date: datetime.date | None = None


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class SearchOut(Schema):
    count: int = Field(
        ...,
        description="Number of results; with `count_exact` false, there are more than this.",
    )
    count_exact: bool = Field(
        True,
        description="False when a frequent word finds more results than the 300 counted "
        "(every type's newest 300 are ranked, counted and faceted: see the facets' counts).",
    )
    page: int
    pages: int
    results: list[SearchHitOut]
    facets: dict[str, list[FacetValueOut]] = Field(
        ..., description="Counts by type, theme and country of the results."
    )


@router.get(
    "/search",
    response=responses(SearchOut, conditional=False),
    openapi_extra=extra(conditional=False),
    auth=None,
    summary="Search pages and records",
    description=(
        "One search over the editorial pages and the registry (municipalities, partnerships, "
        "programmes), ranked best first (title above text, newer above older). German words "
        "are matched by their stem and umlauts may be written plainly or as ae/oe/ue: "
        "`q=Partnerschaften` finds Partnerschaft, `q=Muenchen` finds München; the last word "
        "also matches as the beginning of a word. Twenty results per page. "
        "Example: `/api/v1/search?q=klimawandel&type=page`."
    ),
)
def search(request: HttpRequest, filters: Query[SearchFilters]):
    """Public: finds only what everyone may see."""
    if filters.type and filters.type not in search_sources():
        # In the shape of ninja's own 422 (and the OpenAPI document's): one entry per parameter.
        raise ValidationError(
            [
                {
                    "loc": ["query", "type"],
                    "type": "value_error",
                    "msg": gettext("Unknown type: choose one of %(types)s.")
                    % {"types": ", ".join(sorted(search_sources()))},
                }
            ]
        )
    with override(filters.lang):
        results = search_run(
            query=filters.q,
            language=filters.lang,
            type_=filters.type,
            theme=filters.theme,
            country=filters.country,
            page=filters.page,
        )
        return {
            "count": results.total,
            "count_exact": results.total_exact,
            "page": results.page.number,
            "pages": results.page.paginator.num_pages,
            "results": [
                {
                    "type": hit.type,
                    "type_label": hit.type_label,
                    "title": hit.title,
                    "url": request.build_absolute_uri(hit.url),
                    "snippet": str(hit.snippet),
                    "date": hit.date,
                }
                for hit in results.hits
            ],
            "facets": {
                kind: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
                for kind, values in results.facets.items()
            },
        }
