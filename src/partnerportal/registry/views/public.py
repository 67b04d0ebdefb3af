"""Registry views: the public pages. Municipality search (with a partial for search-as-you-type),
the municipality page, the partnership page and the filtered list of partnerships. Views parse
the query string and render; the reads are in selectors/public.py."""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from ..forms.filters import (
    MunicipalityPartnershipsForm,
    MunicipalitySearchForm,
    PartnershipFilterForm,
)
from ..sections import page_sections, theme_urls
from ..selectors import public as selectors
from ..selectors.places import state_slug
from ..selectors.provenance import partnership_provenance
from ..selectors.public import FEDERAL_STATES

SEARCH_PAGE_SIZE = 20
LIST_PAGE_SIZE = 50
#: Partnerships per page on a municipality page (Berlin has over a hundred).
MUNICIPALITY_PAGE_SIZE = 25


def _query_without(request: HttpRequest, *keys: str) -> str:
    """The current query string minus `keys`, for links that change only those."""
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()


def _sort_links(
    request: HttpRequest, choices, *, current: str, descending: bool, anchor: str = ""
) -> dict[str, dict]:
    """One link per sortable column: to sort by it, or to turn its order round if it is the
    current one. The filters stay, the page goes back to the first."""
    base = _query_without(request, "page", "sort", "order")
    links = {}
    for key, label in choices:
        active = current == key
        order = "desc" if active and not descending else "asc"
        query = f"{base}&" if base else ""
        links[key] = {
            "key": key,
            "label": label,
            "url": f"?{query}sort={key}&order={order}{anchor}",
            "active": active,
            "descending": active and descending,
        }
    return links


def detail_url_prefixes() -> dict[str, str]:
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
    form = MunicipalityPartnershipsForm(request.GET)
    q, sort, descending = form.values()
    rows = selectors.municipality_partnership_rows(
        data.partnerships, q=q, sort=sort, descending=descending
    )
    page = Paginator(rows, MUNICIPALITY_PAGE_SIZE).get_page(request.GET.get("page"))
    anchor = "#partnerships-heading"
    return render(
        request,
        "registry/municipality_detail.html",
        {
            "municipality": data.municipality,
            "partnerships": page.object_list,
            "inner_german": data.inner_german,
            "partnership_total": len(data.partnerships),
            "page": page,
            "page_query": _query_without(request, "page"),
            "anchor": anchor,
            "form": form,
            "filtered": bool(q),
            "sort_links": _sort_links(
                request,
                form.fields["sort"].choices,
                current=sort if sort in selectors.MUNICIPALITY_SORTS else "partner",
                descending=descending,
                anchor=anchor,
            ),
            "editor_names": data.editor_names,
            "editor_count": data.editor_count,
            "focus_hash": _atlas_hash(data.municipality),
            "sections": page_sections(request, page="municipality", subject=data.municipality),
            **detail_url_prefixes(),
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
            "provenance": partnership_provenance(data.partnership, user=request.user),
            "themes": _theme_links(request, data.partnership),
            "sections": (
                page_sections(request, page="partnership", subject=data.partnership)
                if data.partnership.is_confirmed
                else []
            ),
        },
    )


def _theme_links(request: HttpRequest, partnership) -> list[dict]:
    """The partnership's themes, each linked to its page where an app offers theme pages
    (content's articles on the theme)."""
    url = theme_urls(request)
    return [
        {"name": str(theme), "url": url(theme.code) if url else None}
        for theme in partnership.themes.all()
    ]


@require_GET
def partnership_list(request: HttpRequest) -> HttpResponse:
    form = PartnershipFilterForm(request.GET)
    form.start_year_help_add()
    filters = form.filters()
    ids = selectors.partnership_list(filters).values_list("pk", flat=True)
    paginator = Paginator(ids, LIST_PAGE_SIZE)
    # Count once, on the filtered rows alone (no joins for sorting or display).
    paginator.count = selectors.partnership_count(filters)
    page = paginator.get_page(request.GET.get("page"))
    rows = selectors.partnership_rows(list(page.object_list))
    sort_links = _sort_links(
        request,
        form.fields["sort"].choices,
        current=filters.sort,
        descending=filters.descending,
    )
    return render(
        request,
        "registry/partnership_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "sort_links": sort_links,
            "active_filters": form.active_filter_count(),
            "page_query": _query_without(request, "page"),
            **detail_url_prefixes(),
        },
    )


# --- The municipality page's additions from other apps -----------------------------------------

#: Functions (municipality, *, has_rows) -> dict that add to the municipality page's context:
#: atlas adds the small charts (see municipality_context_register).
_MUNICIPALITY_CONTEXT: list[Callable[..., dict]] = []


def municipality_context_register(provider: Callable[..., dict]) -> None:
    """Let a higher app add to the municipality page (called from its ready()):
    `provider(municipality, has_rows=bool)` returns context; it should not query when
    `has_rows` is false (a municipality without partnerships)."""
    if provider not in _MUNICIPALITY_CONTEXT:
        _MUNICIPALITY_CONTEXT.append(provider)


def _municipality_place_context(municipality, *, has_rows: bool) -> dict:
    """The link to the Land's page, and what the other apps add (the atlas's small charts)."""
    state = municipality.state if municipality.state in FEDERAL_STATES else ""
    context = {"state_slug": state_slug(state) if state else ""}
    for provider in _MUNICIPALITY_CONTEXT:
        context.update(provider(municipality, has_rows=has_rows))
    return context


urlpatterns = [
    path("kommunen/", municipality_search, name="municipality_search"),
    path("kommunen/<int:pk>/", municipality_detail, name="municipality_detail"),
    path("partnerschaften/", partnership_list, name="partnership_list"),
    path("partnerschaften/<int:pk>/", partnership_detail, name="partnership_detail"),
]
