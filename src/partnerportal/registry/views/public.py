"""Registry views: the public pages. Municipality search (with a partial for search-as-you-type),
the municipality page, the partnership page and the filtered list of partnerships. Views parse
the query string and render; the reads are in selectors/public.py."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from partnerportal.atlas.charts import chart_context

from ..forms.filters import MunicipalitySearchForm, PartnershipFilterForm
from ..selectors import places
from ..selectors import public as selectors

SEARCH_PAGE_SIZE = 20
LIST_PAGE_SIZE = 50


def _query_without(request: HttpRequest, *keys: str) -> str:
    """The current query string minus `keys`, for links that change only those."""
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()


def _detail_url_prefixes() -> dict[str, str]:
    """Long tables link every row; one reverse() per row cost more than the query. The detail
    URLs are <list URL><pk>/ (see urlpatterns below), so the rows append the pk."""
    return {
        "municipalities_url": reverse("registry:municipality_search"),
        "partnerships_url": reverse("registry:partnership_list"),
        "countries_url": reverse("registry:country_detail", args=["XX"])[: -len("XX/")],
    }


@require_GET
def municipality_search(request: HttpRequest) -> HttpResponse:
    form = MunicipalitySearchForm(request.GET or None)
    query, country = "", ""
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"].strip()
        country = form.cleaned_data["country"]
    page = None
    if query:
        # One scan gives the ordered ids of every match: the count and the page come from it.
        ids = list(
            selectors.municipality_search(query, country=country).values_list("pk", flat=True)
        )
        page = Paginator(ids, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = selectors.municipalities_in_order(list(page.object_list))
    context = {
        "form": form,
        "query": query,
        "page": page,
        "page_query": _query_without(request, "page"),
    }
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = (
        "registry/partials/municipality_results.html"
        if partial
        else "registry/municipality_search.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _atlas_hash(municipality) -> str:
    """The full atlas's view of a place: "zoom/lat/lng" (see atlas.js)."""
    if municipality.latitude is None or municipality.longitude is None:
        return ""
    return f"8/{municipality.latitude:.3f}/{municipality.longitude:.3f}"


@require_GET
def municipality_detail(request: HttpRequest, pk: int) -> HttpResponse:
    data = selectors.municipality_page(pk, user=request.user)
    return render(
        request,
        "registry/municipality_detail.html",
        {
            "municipality": data.municipality,
            "partnerships": data.partnerships,
            "editor_names": data.editor_names,
            "editor_count": data.editor_count,
            "focus_hash": _atlas_hash(data.municipality),
            **_detail_url_prefixes(),
            **_municipality_place_context(data.municipality, has_rows=bool(data.partnerships)),
        },
    )


@require_GET
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    data = selectors.partnership_page(pk, user=request.user)
    return render(
        request,
        "registry/partnership_detail.html",
        {
            "partnership": data.partnership,
            "contacts": data.contacts,
            "show_person": data.show_person,
        },
    )


@require_GET
def partnership_list(request: HttpRequest) -> HttpResponse:
    form = PartnershipFilterForm(request.GET)
    filters = form.filters()
    ids = selectors.partnership_list(filters).values_list("pk", flat=True)
    paginator = Paginator(ids, LIST_PAGE_SIZE)
    # Count once, on the filtered rows alone (no joins for sorting or display).
    paginator.count = selectors.partnership_count(filters)
    page = paginator.get_page(request.GET.get("page"))
    rows = selectors.partnership_rows(list(page.object_list))
    sort_links = []
    base = _query_without(request, "page", "sort", "order")
    for key, label in form.fields["sort"].choices:
        active = filters.sort == key
        order = "desc" if active and not filters.descending else "asc"
        query = f"{base}&" if base else ""
        sort_links.append(
            {
                "key": key,
                "label": label,
                "url": f"?{query}sort={key}&order={order}",
                "active": active,
                "descending": active and filters.descending,
            }
        )
    return render(
        request,
        "registry/partnership_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "sort_links": {link["key"]: link for link in sort_links},
            "page_query": _query_without(request, "page"),
            **_detail_url_prefixes(),
        },
    )


# --- Place pages: a Land, a country, and the small charts of a municipality -------------------
# (reads in selectors/places.py; the charts are drawn by atlas/charts.py)


def _municipality_place_context(municipality, *, has_rows: bool) -> dict:
    """The Land's page and, when the municipality has partnerships, two small charts: no query
    at all for a municipality without any."""
    state = municipality.state if municipality.state in places.FEDERAL_STATES else ""
    context = {"state_slug": places.state_slug(state) if state else ""}
    if has_rows:
        series = places.municipality_charts(municipality)
        context["place_charts"] = [
            chart_context(item, id_prefix=f"place-chart-{key}", downloads=False)
            for key, item in series.items()
        ]
    return context


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
            **_detail_url_prefixes(),
        },
    )


@require_GET
def country_detail(request: HttpRequest, iso2: str) -> HttpResponse:
    """Public: a country's partnerships with German municipalities. Unknown country: 404."""
    data = places.country_page(iso2)
    query = urlencode({"country": data.country.pk})
    return render(
        request,
        "registry/country_detail.html",
        {
            "page": data,
            "charts": _place_charts(data.charts, query),
            "focus_query": query,
            **_detail_url_prefixes(),
        },
    )


urlpatterns = [
    path("kommunen/", municipality_search, name="municipality_search"),
    path("kommunen/<int:pk>/", municipality_detail, name="municipality_detail"),
    path("partnerschaften/", partnership_list, name="partnership_list"),
    path("partnerschaften/<int:pk>/", partnership_detail, name="partnership_detail"),
    path("bundeslaender/<slug:slug>/", state_detail, name="state_detail"),
    path("laender/<str:iso2>/", country_detail, name="country_detail"),
]
