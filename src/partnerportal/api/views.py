"""The API's page for people: what it offers, how to filter, page, cache and stay within the rate
limit, which licences apply, with examples to copy."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja.throttling import SimpleRateThrottle


def rate_text(rate: str) -> str:
    """ "120/m" as "120 requests per minute", in the reader's language."""
    count, seconds = SimpleRateThrottle(rate).parse_rate(rate)
    periods = {1: _("per second"), 60: _("per minute"), 3600: _("per hour"), 86400: _("per day")}
    per = periods.get(seconds) or _("per %(seconds)s seconds") % {"seconds": seconds}
    return _("%(count)s requests %(per)s") % {"count": count, "per": per}


def overview(request: HttpRequest) -> HttpResponse:
    """Public, like the API's open data itself."""
    base = request.build_absolute_uri("/api/v1/")
    return render(
        request,
        "api/overview.html",
        {
            "api_base": base,
            "anonymous_rate": rate_text(settings.API_ANON_RATE),
            "user_rate": rate_text(settings.API_USER_RATE),
            "list_url": request.build_absolute_uri(reverse("registry:partnership_list")),
            "catalog_ttl": request.build_absolute_uri(reverse("api:catalog_ttl")),
            "catalog_jsonld": request.build_absolute_uri(reverse("api:catalog_jsonld")),
        },
    )
