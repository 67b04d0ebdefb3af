"""The front-end form with which municipal editors submit a practice example. It parses input
only; content.services.practice_example_submit decides and stores.

The GET form of an article list. Its values live in the query string: a filtered list has an
address one can bookmark and share, and the registry's pages link to it (?municipality=, …)."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnerportal.core.search.sources import search_sources
from partnerportal.core.uploads import ValidatedFileField
from partnerportal.geo.models import WorldRegion
from partnerportal.registry.forms.filters import Select
from partnerportal.registry.models import Theme
from partnerportal.registry.selectors.public import FEDERAL_STATES, country_choices

from .selectors import ARTICLE_KINDS, ArticleFilters
from .services import image_policy


class PracticeExampleForm(forms.Form):
    partnership = forms.TypedChoiceField(label=_("Partnership"), coerce=int, choices=())
    title = forms.CharField(label=_("Title"), max_length=200)
    teaser = forms.CharField(
        label=_("Summary"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences: what was done, where, with what result."),
    )
    body = forms.CharField(
        label=_("What was done"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text; an empty line starts a new paragraph."),
    )
    results = forms.CharField(
        label=_("Results"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    lessons = forms.CharField(
        label=_("What others can learn"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    image = ValidatedFileField(
        label=_("Image"),
        required=False,
        policy=image_policy(),
        help_text=_("A photo or graphic as JPEG or PNG, which you may publish."),
    )
    image_alt = forms.CharField(
        label=_("What the image shows"),
        max_length=250,
        required=False,
        help_text=_("For people who cannot see the image. Required with an image."),
    )

    def __init__(self, *args, partnerships, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The size limit is the setting's at the time of the request, not of the import.
        self.fields["image"].policy = image_policy()
        self.partnerships = {p.pk: p for p in partnerships}
        self.fields["partnership"].choices = [
            (p.pk, f"{p.municipality_a.name} – {p.municipality_b.name}") for p in partnerships
        ]

    def clean(self):
        data = super().clean()
        if data.get("image") and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        return data


ANY = [("", _("all"))]
#: Filters that the registry's pages set and the form carries along as hidden fields.
ABOUT_FIELDS = ("municipality", "partnership", "state")


def theme_choices() -> list:
    """Themes grouped as the registry's editing form shows them: the numbered SDGs, then the
    municipal fields."""
    sdgs, fields = [], []
    for theme in Theme.objects.all():
        if theme.kind == Theme.Kind.SDG:
            sdgs.append((theme.code, f"{theme.number}. {theme}" if theme.number else str(theme)))
        else:
            fields.append((theme.code, str(theme)))
    groups = []
    if sdgs:
        groups.append((_("Sustainable Development Goals"), sdgs))
    if fields:
        groups.append((_("Municipal fields"), fields))
    return groups


class ArticleFilterForm(forms.Form):
    #: Every filter is optional; saying so on each label is noise.
    optional_fields_unmarked = True
    kind = forms.ChoiceField(label=_("Type"), required=False, widget=Select)
    year = forms.TypedChoiceField(
        label=_("Year"), required=False, coerce=int, empty_value=None, widget=Select
    )
    theme = forms.ChoiceField(label=_("Theme or SDG"), required=False, widget=forms.Select)
    region = forms.ChoiceField(
        label=_("World region"),
        required=False,
        choices=ANY + list(WorldRegion.choices),
        widget=Select,
    )
    country = forms.ChoiceField(label=_("Country"), required=False, widget=Select)
    municipality = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )
    partnership = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )
    state = forms.ChoiceField(
        required=False, choices=[(s, s) for s in FEDERAL_STATES], widget=forms.HiddenInput
    )

    def __init__(self, *args, years: list[int], kinds: list[str], **kwargs) -> None:
        """`years` that have articles (newest first) and the `kinds` the list holds: a list of
        practice examples alone has no type filter."""
        super().__init__(*args, **kwargs)
        labels = {kind: model._meta.verbose_name for kind, model in ARTICLE_KINDS.items()}
        self.fields["kind"].choices = ANY + [(kind, labels[kind]) for kind in kinds]
        if len(kinds) < 2:
            del self.fields["kind"]
        self.fields["year"].choices = ANY + [(year, str(year)) for year in years]
        self.fields["theme"].choices = ANY + theme_choices()
        self.fields["country"].choices = ANY + country_choices()

    def filters(self) -> ArticleFilters:
        """The valid part of the query string; a wrong value is left out, so a mangled link
        still shows a list rather than an error."""
        if not self.is_bound:
            return ArticleFilters()
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        kind = data.get("kind") or ""
        return ArticleFilters(
            year=data.get("year") or None,
            theme=data.get("theme") or "",
            region=data.get("region") or "",
            country=data.get("country") or "",
            kinds=(kind,) if kind else (),
            municipality=data.get("municipality") or None,
            partnership=data.get("partnership") or None,
            state=data.get("state") or "",
        )

    def active_filter_count(self) -> int:
        """How many of the visible filters the query string sets, for the folded form's summary."""
        filters = self.filters()
        return sum(
            1
            for value in (
                filters.kinds,
                filters.year,
                filters.theme,
                filters.region,
                filters.country,
            )
            if value
        )

    @property
    def visible(self) -> list:
        return [field for field in self if not field.is_hidden]


class SearchForm(forms.Form):
    """The site search: what to find, and the facets chosen (links set them, not fields)."""

    optional_fields_unmarked = True
    q = forms.CharField(
        label=_("Search term"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    type = forms.CharField(required=False, widget=forms.HiddenInput)
    theme = forms.CharField(max_length=60, required=False, widget=forms.HiddenInput)
    country = forms.CharField(max_length=60, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # As one types, the results follow (htmx); without JavaScript the button sends the form.
        self.fields["q"].widget.attrs.update(
            {
                "hx-get": reverse("content:search"),
                "hx-target": "#search-results",
                "hx-include": "closest form",
                "hx-push-url": "true",
                "hx-trigger": "input changed delay:300ms, search",
            }
        )

    def clean_type(self) -> str:
        value = self.cleaned_data["type"]
        if value and value not in search_sources():
            raise forms.ValidationError(_("There is no such type of result."))
        return value
