"""The API's page for people: what it offers, where its OpenAPI document is, an example call."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def overview(request: HttpRequest) -> HttpResponse:
    """Public, like the API's open data itself."""
    base = request.build_absolute_uri("/api/v1/")
    return render(request, "api/overview.html", {"api_base": base})
