"""Registry views for the people who keep entries current: the editor's work page for their
municipality, and the suggestions of the municipality picker (core.pickers). Views parse input
and render; the selectors read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from partnerportal.accounts.roles import edited_municipality_ids
from partnerportal.core.pickers import picker_options_html

from .. import permissions
from ..editor_tools import work_page_sections
from ..forms.editing import VersionForm
from ..models import Municipality
from ..selectors.work import municipality_work_page

#: The longest text the picker looks up (a label with its key fits well within it).
PICKER_MAX_LENGTH = 200


@require_GET
@login_required
def my_municipality(request: HttpRequest) -> HttpResponse:
    """The editor's own municipality; with several, the choice of them."""
    ids = edited_municipality_ids(request.user)
    if len(ids) == 1:
        return redirect("registry:municipality_work", pk=next(iter(ids)))
    municipalities = Municipality.objects.filter(pk__in=ids).order_by("search_name")
    return render(
        request, "registry/editing/my_municipalities.html", {"municipalities": municipalities}
    )


@require_GET
@login_required
def municipality_work(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = get_object_or_404(Municipality.objects.select_related("country"), pk=pk)
    if not permissions.can_edit_municipality(request.user, municipality):
        raise PermissionDenied
    page = municipality_work_page(municipality)
    context = {
        "page": page,
        "municipality": municipality,
        "version_form": VersionForm,
        "several": len(edited_municipality_ids(request.user)) > 1,
        "extra_sections": work_page_sections(user=request.user, municipality=municipality),
    }
    return render(request, "registry/editing/my_municipality.html", context)


@require_GET
def municipality_picker(request: HttpRequest) -> HttpResponse:
    """The <option>s for a municipality picker's list, for the text typed so far. htmx sends the
    field's own name (`field`) and value; `q` works too."""
    name = request.GET.get("field", "q")
    text = request.GET.get(name, "") or request.GET.get("q", "")
    html = picker_options_html("municipality", text[:PICKER_MAX_LENGTH])
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    patch_cache_control(response, private=True, max_age=60)
    return response


urlpatterns = [
    path("meine-kommune/", my_municipality, name="my_municipality"),
    path("meine-kommune/<int:pk>/", municipality_work, name="municipality_work"),
    path("kommunen/auswahl/", municipality_picker, name="municipality_picker"),
]
