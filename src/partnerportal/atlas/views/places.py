"""Public place pages: a Land and a country with their charts (reads in selectors/places.py,
charts drawn by charts.py), and the small charts on a municipality's page, which atlas adds to
the registry's page (registered in AtlasConfig.ready). The pages keep the registry's addresses
and names (registry:state_detail, registry:country_detail): partnerportal/urls.py mounts
`place_urlpatterns` under /register/ in the registry's namespace."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from partnerportal.registry.sections import page_sections
from partnerportal.registry.views.public import detail_url_prefixes

from ..charts import chart_context
from ..selectors import places


def municipality_place_context(municipality, *, has_rows: bool) -> dict:
    """When the municipality has partnerships, two small charts: no query at all for a
    municipality without any."""
    if not has_rows:
        return {}
    series = places.municipality_charts(municipality)
    return {
        "place_charts": [
            chart_context(item, id_prefix=f"place-chart-{key}", downloads=False)
            for key, item in series.items()
        ]
    }


def _place_charts(charts: dict, query: str) -> list[dict]:
    """Small charts leave out the rows without partnerships (a Senegal page need not list the
    fourteen Länder it has no partner in); the statistics page and the downloads keep them."""
    return [
        chart_context(
            replace(series, rows=[row for row in series.rows if row.value]),
            id_prefix=f"place-chart-{key}",
            query=query,
        )
        for key, series in charts.items()
    ]


@require_GET
def state_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: a Land, its partnerships and most connected municipalities. Unknown Land: 404."""
    data = places.state_page(slug)
    query = urlencode({"state": data.state})
    return render(
        request,
        "registry/state_detail.html",
        {
            "page": data,
            "charts": _place_charts(data.charts, query),
            "focus_query": query,
            "sections": page_sections(request, page="state", subject=data.state),
            **detail_url_prefixes(),
        },
    )


@require_GET
def country_detail(request: HttpRequest, iso2: str) -> HttpResponse:
    """Public: a country's partnerships with German municipalities. Unknown country: 404."""
    data = places.country_page(iso2)
    params = {"country": data.country.pk}
    if data.filters.include_inner_german:  # Germany: its inner-German pairs
        params["inner_german"] = "on"
    query = urlencode(params)
    return render(
        request,
        "registry/country_detail.html",
        {
            "page": data,
            "charts": _place_charts(data.charts, query),
            "focus_query": query,
            "sections": page_sections(request, page="country", subject=data.country),
            **detail_url_prefixes(),
        },
    )


#: Mounted under /register/ in the registry's namespace (partnerportal/urls.py).
place_urlpatterns = [
    path("bundeslaender/<slug:slug>/", state_detail, name="state_detail"),
    path("laender/<str:iso2>/", country_detail, name="country_detail"),
]
