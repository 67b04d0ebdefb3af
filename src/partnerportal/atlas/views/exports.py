"""Downloads of the partnership list (/<lang>/atlas/daten/): the list page's own query string in,
the same partnerships in the same order out, as CSV, XLSX or GeoJSON.

The filters are read by the list's form (PartnershipFilterForm), so a link built from the page's
query string yields exactly the rows the page shows; the writers are in atlas/exports.py."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from partnerportal.core.caching import conditional, etag_for
from partnerportal.core.throttling import AnonymousRate, UserRate
from partnerportal.registry.forms.filters import PartnershipFilterForm
from partnerportal.registry.selectors.public import partnership_list

from ..exports import export_response


def _download(request: HttpRequest, extension: str) -> HttpResponseBase:
    """Public: open data of confirmed partnerships only (partnership_list reads no proposals)."""
    filters = PartnershipFilterForm(request.GET).filters()
    page_url = request.build_absolute_uri(reverse("registry:partnership_list"))
    return export_response(
        extension,
        partnership_list(filters),
        page_url=page_url,
        cache_key=etag_for(request).strip('"'),
    )


class _AnonymousDownloads(AnonymousRate):
    scope = "downloads-anon"


class _UserDownloads(UserRate):
    scope = "downloads-user"


def _rate_limited(view: Callable) -> Callable:
    """The API's limits (API_ANON_RATE per address, API_USER_RATE per account) in a counter of
    their own: a whole-registry file costs the server about a second to build. A 304 does not
    count (`conditional` answers it before this runs)."""

    @wraps(view)
    def limited(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        for throttle in (_AnonymousDownloads(), _UserDownloads()):
            if not throttle.allow_request(request):
                seconds = math.ceil(throttle.wait())
                response = render(
                    request,
                    "429.html",
                    {
                        "message": _(
                            "You have downloaded many files in a short time. Please wait "
                            "%(seconds)s seconds and try again."
                        )
                        % {"seconds": seconds}
                    },
                    status=429,
                )
                response["Retry-After"] = str(seconds)
                return response
        return view(request, *args, **kwargs)

    return limited


# ETag/Last-Modified as in the API: a file fetched again while the registry is unchanged is a
# 304, and an unchanged spreadsheet comes from the cache.


@require_GET
@conditional
@_rate_limited
def partnerships_csv(request: HttpRequest) -> HttpResponseBase:
    return _download(request, "csv")


@require_GET
@conditional
@_rate_limited
def partnerships_xlsx(request: HttpRequest) -> HttpResponseBase:
    return _download(request, "xlsx")


@require_GET
@conditional
@_rate_limited
def partnerships_geojson(request: HttpRequest) -> HttpResponseBase:
    return _download(request, "geojson")


urlpatterns = [
    path("partnerschaften.csv", partnerships_csv, name="partnerships_csv"),
    path("partnerschaften.xlsx", partnerships_xlsx, name="partnerships_xlsx"),
    path("partnerschaften.geojson", partnerships_geojson, name="partnerships_geojson"),
]
