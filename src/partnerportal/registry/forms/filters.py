"""GET forms of the public registry pages. Their values live in the query string, so every
filtered, sorted page has a stable URL one can bookmark and share."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnerportal.core.templatetags.partnerportal import number
from partnerportal.geo.models import WorldRegion

from ..models import PartnershipStatus, PartnershipType
from ..selectors.public import (
    FEDERAL_STATES,
    SORTS,
    PartnershipFilters,
    country_choices,
    start_year_unknown_count,
    theme_choices,
)
from .fields import start_year_field

ANY = [("", _("all"))]


class Select(forms.Select):
    """The project's KERN select markup (templates/django/forms/widgets/select.html), written in
    Python: the country filter has ~250 options, and rendering each through a template costs
    more than the rest of the list page. Named Select so that `widget_type` stays "select"."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        attrs = self.build_attrs(self.attrs, attrs)
        css = "kern-form-input__select"
        if attrs.get("class"):
            css += f" {attrs['class']}"
        parts = [f'<select name="{escape(name)}" class="{escape(css)}"']
        for key, val in attrs.items():
            if key == "class" or val is False or val is None:
                continue
            parts.append(f" {escape(key)}" if val is True else f' {escape(key)}="{escape(val)}"')
        parts.append(">")
        selected = {str(v) for v in self.format_value(value)}
        for key, label in self.choices:
            mark = " selected" if str(key) in selected else ""
            parts.append(f'\n  <option value="{escape(key)}"{mark}>{escape(label)}</option>')
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # every value above is escaped


def _countries_or_any() -> list[tuple[str, str]]:
    return ANY + country_choices()


def _once(load):
    """A choices callable that reads its rows at most once (Django calls it on every use)."""
    loaded: list = []

    def choices():
        if not loaded:
            loaded.append(load())
        return loaded[0]

    return choices


class MunicipalitySearchForm(forms.Form):
    #: Every filter is optional; saying so on each label is noise.
    optional_fields_unmarked = True
    q = forms.CharField(
        label=_("Name of the municipality"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    country = forms.ChoiceField(label=_("Country"), required=False, widget=Select)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A callable: the countries are read only when the field is rendered or validated, so the
        # search-as-you-type partial costs no query for them.
        self.fields["country"].choices = _once(_countries_or_any)
        # Search as one types (htmx): the results region is replaced by the partial.
        live = {
            "hx-get": reverse("registry:municipality_search"),
            "hx-target": "#municipality-results",
            "hx-include": "closest form",
            "hx-push-url": "true",
            "aria-controls": "municipality-results",
        }
        self.fields["q"].widget.attrs.update(
            live, **{"hx-trigger": "input changed delay:250ms, search"}
        )
        self.fields["country"].widget.attrs.update(live, **{"hx-trigger": "change"})


class PartnershipFilterForm(forms.Form):
    #: Every filter is optional; saying so on each label is noise.
    optional_fields_unmarked = True
    q = forms.CharField(
        label=_("Name of a municipality"),
        help_text=_("German or partner side; Koln finds Köln."),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    state = forms.ChoiceField(
        label=_("Federal state"),
        widget=Select,
        required=False,
        choices=ANY + [(s, s) for s in FEDERAL_STATES],
    )
    country = forms.ChoiceField(label=_("Country"), required=False, widget=Select)
    region = forms.ChoiceField(
        label=_("World region"),
        widget=Select,
        required=False,
        choices=ANY + list(WorldRegion.choices),
    )
    type = forms.ChoiceField(
        label=_("Type"), widget=Select, required=False, choices=ANY + list(PartnershipType.choices)
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False, widget=Select)
    status = forms.ChoiceField(
        label=_("Status"),
        widget=Select,
        required=False,
        choices=ANY + list(PartnershipStatus.choices),
    )
    year_from = start_year_field(label=_("Start year from"))
    year_to = start_year_field(label=_("Start year to"))
    all_pairs = forms.BooleanField(
        label=_("Include partnerships without a German side"), required=False
    )
    inner_german = forms.BooleanField(
        label=_("Include inner-German partnerships"),
        help_text=_("Partnerships between two German municipalities; left out otherwise."),
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        widget=Select,
        required=False,
        choices=[
            ("german", _("German municipality")),
            ("partner", _("Partner")),
            ("country", _("Country")),
            ("start", _("Start year")),
            ("confirmed", _("Confirmed by the municipality")),
        ],
    )
    order = forms.ChoiceField(
        label=_("Order"),
        widget=Select,
        required=False,
        choices=[("asc", _("ascending")), ("desc", _("descending"))],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = ANY + country_choices()
        self.fields["theme"].choices = ANY + theme_choices()

    def start_year_help_add(self) -> None:
        """Say under the year filter how many partnerships a period cannot place. Called by the
        views that show the form; reading the filters (exports, chart downloads, clusters) must
        not pay for the count."""
        count = start_year_unknown_count(self.filters())
        if count:
            self["year_from"].help_text = gettext(
                "Without a known start year: %(count)s – not included in a period."
            ) % {"count": number(count)}

    def active_filter_count(self) -> int:
        """How many filters the query string sets (sorting is not a filter), for the summary of
        the folded filter form."""
        return sum(
            1
            for name in self.fields
            if name not in ("sort", "order") and self.data.get(name) not in (None, "")
        )

    def filters(self) -> PartnershipFilters:
        """The valid part of the query string as filters; invalid values are left out, so a
        mangled link still shows a list rather than an error."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if self.is_bound and not self.is_valid():
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        sort = data.get("sort") or "german"
        return PartnershipFilters(
            q=(data.get("q") or "").strip(),
            state=data.get("state") or "",
            country=data.get("country") or "",
            region=data.get("region") or "",
            type=data.get("type") or "",
            theme=data.get("theme") or "",
            status=data.get("status") or "",
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            include_non_german=bool(data.get("all_pairs")),
            include_inner_german=bool(data.get("inner_german")),
            sort=sort if sort in SORTS else "german",
            descending=data.get("order") == "desc",
        )


class MunicipalityPartnershipsForm(forms.Form):
    """The text filter and sorting of the partnerships on a municipality page."""

    optional_fields_unmarked = True
    q = forms.CharField(
        label=_("Filter by partner or country"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        widget=Select,
        required=False,
        choices=[
            ("partner", _("Partner")),
            ("country", _("Country")),
            ("type", _("Type")),
            ("status", _("Status")),
            ("start", _("Start year")),
            ("confirmed", _("Confirmed by the municipality")),
        ],
    )
    order = forms.ChoiceField(
        label=_("Order"),
        widget=Select,
        required=False,
        choices=[("asc", _("ascending")), ("desc", _("descending"))],
    )

    def values(self) -> tuple[str, str, bool]:
        """(text, sort key, descending) from the valid part of the query string."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if self.is_bound and not self.is_valid():
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return (
            (data.get("q") or "").strip(),
            data.get("sort") or "partner",
            data.get("order") == "desc",
        )
