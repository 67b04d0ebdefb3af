"""The atlas: a clustered world map of all partnerships, with a list beside it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET


@require_GET
def atlas_map(request: HttpRequest) -> HttpResponse:
    """Public: the atlas shows confirmed partnerships only."""
    return render(request, "atlas/map.html", {})


urlpatterns = [
    path("", atlas_map, name="map"),
]
