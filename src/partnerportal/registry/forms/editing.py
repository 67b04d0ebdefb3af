"""Forms of the editing pages. They parse input only; registry.services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerportal.core.forms import VersionField
from partnerportal.core.text import fold
from partnerportal.geo.outlines import coordinates_error

from ..models import (
    Actor,
    ContactPerson,
    Municipality,
    Partnership,
    PartnershipStatus,
    PartnershipType,
    Programme,
    Theme,
)
from .fields import start_year_field


class VersionForm(forms.Form):
    """The one-button forms (confirm, reject, "still correct"): only the version."""

    version = VersionField()


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in one fieldset per group of choices, each with its legend."""

    template_name = "partnerportal/forms/grouped_checkboxes.html"


def theme_choices_grouped() -> list[tuple[str, list[tuple[int, str]]]]:
    """The themes as two groups: the 17 SDGs in their order and numbered ("SDG 3 – Gesundheit
    und Wohlergehen"), then the municipal fields of work by name, so "Gesundheit" (a field) is
    no longer mistaken for SDG 3."""
    sdgs, fields = [], []
    for theme in Theme.objects.order_by("number", "name_de"):
        if theme.kind == Theme.Kind.SDG:
            label = f"SDG {theme.number} – {theme}" if theme.number else str(theme)
            sdgs.append((theme.number or 0, theme.pk, label))
        else:
            fields.append((fold(str(theme)), theme.pk, str(theme)))
    return [
        (
            _("Sustainable Development Goals (SDG)"),
            [(pk, label) for _key, pk, label in sorted(sdgs)],
        ),
        (_("Municipal fields of work"), [(pk, label) for _key, pk, label in sorted(fields)]),
    ]


class PartnershipForm(forms.ModelForm):
    #: The edit page shows one error summary for this form and its actor and contact rows.
    error_summary_outside = True
    version = VersionField()
    start_year = start_year_field(label=_("Start year"))
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=GroupedCheckboxes,
    )
    programmes = forms.ModelMultipleChoiceField(
        label=_("Programmes"),
        queryset=Programme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Partnership
        fields = ["type", "start_year", "description", "themes", "programmes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        # Display only: the queryset above still decides what is valid.
        self.fields["themes"].choices = theme_choices_grouped()


class _SideForm(forms.ModelForm):
    """A row of a partnership's actors or contacts; its side is one of the two municipalities."""

    error_summary_outside = True

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(
            pk__in=[partnership.municipality_a_id, partnership.municipality_b_id]
        )
        self.fields["municipality"].empty_label = None
        # The select always shows a side; with it as the initial value an untouched extra row
        # stays "unchanged" and is skipped instead of failing for its missing name.
        self.fields["municipality"].initial = partnership.municipality_a_id


class ActorForm(_SideForm):
    url = forms.URLField(label=_("Web address"), required=False, assume_scheme="https")

    class Meta:
        model = Actor
        fields = ["municipality", "name", "kind", "url"]


class ContactForm(_SideForm):
    class Meta:
        model = ContactPerson
        fields = ["municipality", "name", "role", "email", "phone", "visibility"]


def _formset(form, prefix_model):
    return forms.inlineformset_factory(
        Partnership, prefix_model, form=form, extra=1, can_delete=True, max_num=50
    )


ActorFormSet = _formset(ActorForm, Actor)
ContactFormSet = _formset(ContactForm, ContactPerson)


def formset_rows(formset) -> list[dict]:
    """The formset's rows as plain dicts for partnership_update (`id`, fields, `delete`)."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        data = dict(form.cleaned_data)
        data.pop("partnership", None)
        instance = data.pop("id", None)
        delete = data.pop("DELETE", False)
        rows.append({**data, "id": getattr(instance, "pk", instance), "delete": delete})
    return rows


class ProposeForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner municipality"),
        queryset=Municipality.objects.all(),
        widget=forms.HiddenInput,
    )
    type = forms.ChoiceField(label=_("Type"), choices=PartnershipType.choices)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (PartnershipStatus.INITIATION, PartnershipStatus.INITIATION.label),
            (PartnershipStatus.ACTIVE, PartnershipStatus.ACTIVE.label),
        ],
        initial=PartnershipStatus.ACTIVE,
    )
    start_year = start_year_field(label=_("Start year"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)


class MunicipalityPickForm(forms.Form):
    """Find the municipality a partnership or review item is about (the public list's search is
    `forms.filters.MunicipalitySearchForm`)."""

    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)


class TransitionForm(forms.Form):
    version = VersionField()
    valid_from = forms.DateField(
        label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class RejectForm(forms.Form):
    version = VersionField()
    reason = forms.CharField(
        label=_("Reason (sent to the editors)"), required=False, max_length=500
    )


class ReviewResolveForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.all(), widget=forms.HiddenInput
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Municipality.objects.all(),
        widget=forms.HiddenInput,
        required=False,
    )


class ReviewCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    country = forms.ModelChoiceField(label=_("Country"), queryset=None)
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Municipality.objects.all(),
        widget=forms.HiddenInput,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from partnerportal.geo.models import Country

        self.fields["country"].queryset = Country.objects.all()

    def clean(self):
        """A new place's coordinates must lie in its country (geo.outlines)."""
        data = super().clean()
        country = data.get("country")
        error = coordinates_error(
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            country_id=country.pk if country else "",
        )
        if error is not None:
            self.add_error("latitude", error)
        return data
