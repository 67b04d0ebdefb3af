"""Test-only URLconf: the real routes plus a view that breaks, for the 500 page."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.urls import path

from partnerportal.urls import handler400, handler403, handler404, handler500, urlpatterns

SECRET_DETAIL = "database password is hunter2 at 10.0.0.7"


def broken(request):
    raise RuntimeError(SECRET_DETAIL)


def bad(request):
    raise BadRequest(SECRET_DETAIL)


def forbidden(request):
    raise PermissionDenied(SECRET_DETAIL)


urlpatterns = [
    path("kaputt/", broken),
    path("de/ungueltig/", bad),
    path("de/verboten/", forbidden),
    *urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
