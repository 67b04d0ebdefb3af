"""Registry views: the import review queue, where staff settle rows the importer could not
resolve without guessing. Views parse input and render; registry.services.review decides."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions
from ..forms.editing import MunicipalityPickForm, ReviewCreateForm, ReviewResolveForm
from ..models import Municipality, ReviewItem
from ..selectors.review import review_item_fields, review_map_points
from ..services import review as services
from ..services.coordinates import review_item_coordinates_keep
from ..workflows import available_actions
from .editing import SEARCH_LIMIT, partnership_page_url


def _staff_only(request: HttpRequest) -> None:
    if not permissions.can_review_imports(request.user):
        raise PermissionDenied


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    status = request.GET.get("status", ReviewItem.Status.OPEN)
    if status not in ReviewItem.Status.values:
        status = ReviewItem.Status.OPEN
    items = (
        ReviewItem.objects.filter(status=status)
        .select_related("import_run", "resolved_municipality")
        .order_by("import_run_id", "row_number", "side")
    )
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    rows = [(item, review_item_fields(item)) for item in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "status": status,
        "statuses": ReviewItem.Status.choices,
    }
    return render(request, "registry/review/list.html", context)


def _candidates(item: ReviewItem) -> list[Municipality]:
    """The importer's candidates are municipality ids or dicts with an `id`."""
    ids = []
    for candidate in item.candidates or []:
        value = candidate.get("id") if isinstance(candidate, dict) else candidate
        if isinstance(value, int) or (isinstance(value, str) and value.isdecimal()):
            ids.append(int(value))
    found = Municipality.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    item = get_object_or_404(ReviewItem.objects.select_related("import_run"), pk=pk)
    search = MunicipalityPickForm(request.GET or None)
    results: list[Municipality] = []
    if search.is_valid() and search.cleaned_data["q"]:
        results = list(
            Municipality.objects.search(search.cleaned_data["q"]).select_related("country")[
                :SEARCH_LIMIT
            ]
        )
    sibling = services.review_item_sibling(item)
    partner = services.review_item_known_partner(sibling)
    partner_needed = partner is None and not (sibling and sibling.status == ReviewItem.Status.OPEN)
    if partner_needed and request.GET.get("partner", "").isdecimal():
        # Staff chose the other side from the search first (a link, so GET changes nothing).
        partner = Municipality.objects.filter(pk=request.GET["partner"]).first()
    suggestions = _partner_suggestions(item) if partner_needed else []
    create_form = ReviewCreateForm(prefix="new", initial={"partner": partner})
    if request.method == "POST":
        if "keep-coordinates" in request.POST:
            try:
                review_item_coordinates_keep(item=item, actor=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The coordinates are kept as they are."))
                return redirect("registry:review_list")
        elif "new-name" in request.POST:
            create_form = ReviewCreateForm(request.POST, prefix="new")
            if create_form.is_valid():
                data = create_form.cleaned_data
                try:
                    _municipality, partnership = services.review_item_municipality_create(
                        item=item,
                        actor=request.user,
                        name=data["name"],
                        country=data["country"],
                        latitude=data["latitude"],
                        longitude=data["longitude"],
                        partner=data["partner"],
                    )
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    return _resolved(request, partnership)
        else:
            form = ReviewResolveForm(request.POST)
            if form.is_valid():
                try:
                    partnership = services.review_item_resolve(
                        item=item,
                        actor=request.user,
                        municipality=form.cleaned_data["municipality"],
                        partner=form.cleaned_data["partner"],
                    )
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    return _resolved(request, partnership)
            else:
                messages.error(request, _("Please choose a municipality."))
    candidates = _candidates(item)
    origin, points, distances = review_map_points(item, candidates)
    context = {
        "item": item,
        "field_groups": review_item_fields(item),
        "candidates": [(candidate, distances.get(candidate.pk)) for candidate in candidates],
        "map_points": {"origin": origin, "candidates": points} if origin or points else None,
        "map_tile_url": settings.MAP_TILE_URL,
        "search": search,
        "results": results,
        "partner": partner,
        "partner_needed": partner_needed,
        "suggestions": suggestions,
        "sibling": sibling,
        "create_form": create_form,
        # The buttons: the table's transitions open to this person now (none once settled).
        "actions": {t.action: t for t in available_actions(item, request.user)},
    }
    return render(request, "registry/review/detail.html", context)


def _partner_suggestions(item: ReviewItem) -> list[Municipality]:
    """Municipalities named like the row's other side (twin-city rows: city1/city2), for staff
    to choose from; nothing is chosen for them."""
    raw = item.raw if isinstance(item.raw, dict) else {}
    other = "2" if item.side == "1" else "1"
    name = str(raw.get(f"city{other}", ""))
    if not name:
        return []
    return list(Municipality.objects.search(name).select_related("country")[:SEARCH_LIMIT])


def _resolved(request: HttpRequest, partnership) -> HttpResponse:
    if partnership is None:
        messages.success(request, _("Saved. The other side of this row is still open."))
        return redirect("registry:review_list")
    messages.success(request, _("The partnership has been recorded."))
    return redirect(partnership_page_url(partnership))


@require_POST
@login_required
def review_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    item = get_object_or_404(ReviewItem, pk=pk)
    try:
        services.review_item_dismiss(item=item, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The row has been dismissed."))
    return redirect("registry:review_list")


urlpatterns = [
    path("", review_list, name="review_list"),
    path("<int:pk>/", review_detail, name="review_detail"),
    path("<int:pk>/verwerfen/", review_dismiss, name="review_dismiss"),
]
