"""The stale list's forms: which part of the registry staff look at, and a reminder round for
it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Municipality
from ..services.freshness import PER_MUNICIPALITY_MAX


class StaleScopeForm(forms.Form):
    """A Land, or one German municipality by its name or AGS (a name several share leaves a
    choice)."""

    state = forms.ChoiceField(label=_("Federal state"), required=False)
    municipality = forms.CharField(
        label=_("Municipality (name or AGS)"), required=False, max_length=200
    )

    def __init__(self, *args, states: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("all")), *((s, s) for s in states)]
        self.matches: list[Municipality] = []

    def clean(self):
        data = super().clean()
        query = (data.get("municipality") or "").strip()
        data["municipality_obj"] = None
        if not query:
            return data
        german = Municipality.objects.german()
        if query.isdecimal():
            found = list(german.filter(ags=query)[:2])
        else:
            found = list(german.search(query).order_by("name", "pk")[:10])
            exact = [m for m in found if m.name.casefold() == query.casefold()]
            found = exact if len(exact) == 1 else found
        if len(found) == 1:
            data["municipality_obj"] = found[0]
        elif not found:
            self.add_error("municipality", _("No German municipality of this name or AGS."))
        else:
            self.matches = found
            self.add_error("municipality", _("Several municipalities match: please choose one."))
        return data


class ReminderRoundForm(forms.Form):
    state = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    municipality = forms.ModelChoiceField(
        Municipality.objects.german(), required=False, widget=forms.HiddenInput
    )
    per_municipality = forms.IntegerField(
        label=_("Entries per municipality and run"),
        min_value=1,
        max_value=PER_MUNICIPALITY_MAX,
        initial=20,
        help_text=_(
            "Each daily run asks every municipality's editors about at most this many entries, "
            "oldest first."
        ),
    )
