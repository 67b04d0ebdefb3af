"""The atlas's GET forms: the registry list's filters without its sorting, and the map view."""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from partnerportal.registry.forms.filters import PartnershipFilterForm
from partnerportal.registry.selectors.public import PartnershipFilters

from .selectors.clusters import MAX_ZOOM, MIN_ZOOM, MapView


class AtlasFilterForm(PartnershipFilterForm):
    """The same filters as the registry list (Bundesland, Land, Weltregion, Typ, Thema, Status,
    Startjahr), so a filtered list and its map share one query string."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["sort"]
        del self.fields["order"]


def atlas_filters(data) -> PartnershipFilters:
    return AtlasFilterForm(data).filters()


def filters_query(data: QueryDict) -> str:
    """The query string of the filters alone (no page or sorting), for links that carry the
    same selection to the list, the map, the statistics and the downloads. The atlas's focus
    (?place=) is a view, not a filter: it is left out too."""
    params = data.copy()
    for key in ("page", "sort", "order", "place"):
        params.pop(key, None)
    return params.urlencode()


def active_filter_count(form: AtlasFilterForm) -> int:
    """How many filters the query string sets, for the summary of the collapsed filter form."""
    data = form.data
    return sum(1 for name in form.fields if data.get(name) not in (None, ""))


class MapViewForm(forms.Form):
    """The zoom level and visible area the map asks clusters for."""

    z = forms.IntegerField(min_value=MIN_ZOOM, max_value=MAX_ZOOM)
    w = forms.FloatField(min_value=-540, max_value=540)
    s = forms.FloatField(min_value=-90, max_value=90)
    e = forms.FloatField(min_value=-540, max_value=540)
    n = forms.FloatField(min_value=-90, max_value=90)

    def view(self) -> MapView | None:
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return MapView(data["z"], data["w"], data["s"], data["e"], data["n"])
