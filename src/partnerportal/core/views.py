"""Error pages in the user's language that reveal nothing internal, and a health check."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language, get_language_bidi
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Throttled (too many logins, sign-ups or resets): say when to try again, nothing more."""
    return render(request, "429.html", status=429)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without context processors: whatever broke (the database, say) must not break
    the error page too."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(
        template.render({"LANGUAGE_CODE": get_language(), "LANGUAGE_BIDI": get_language_bidi()})
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A forged or expired form: say so plainly, never the technical reason."""
    return render(request, "403_csrf.html", status=403)


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
