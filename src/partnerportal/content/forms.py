"""Forms of the public content pages."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnerportal.core.search.sources import search_sources


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
