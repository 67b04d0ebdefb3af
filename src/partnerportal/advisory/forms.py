"""Forms of the advisory app: they parse; the services in cases.py and workflows.py decide."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from partnerportal.accounts.roles import MANAGING_ROLES
from partnerportal.core.forms import VersionField
from partnerportal.core.pickers import PickerInput, picker_get, picker_resolve
from partnerportal.core.uploads import UploadPolicy, ValidatedFileField
from partnerportal.events.models import Event as CalendarEvent
from partnerportal.funding.models import FundingInstrument
from partnerportal.registry.forms.editing import GroupedCheckboxes, theme_choices_grouped
from partnerportal.registry.models import Municipality, Partnership, Programme, Theme

from .models import Case, CaseNote, Measure, MeasureStatus, ResponsibleSide
from .selectors import CaseFilters

# --- Advisory cases and action plans (issue 14, cases part) -----------------------------------


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContactForm(forms.Form):
    """The public contact request. `website` is a honeypot: hidden from people (and from
    screen readers), filled in only by robots."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    phone = forms.CharField(label=_("Telephone (optional)"), max_length=50, required=False)
    municipality = forms.CharField(
        label=_("Your municipality"),
        max_length=200,
        help_text=_("Choose it from the list as you type; if it is not there, write its name."),
        widget=PickerInput("municipality"),
    )
    partner_municipality = forms.CharField(
        label=_("Partner municipality (if there is a partnership)"),
        max_length=200,
        required=False,
        widget=PickerInput("municipality"),
    )
    programme = forms.ModelChoiceField(
        label=_("Programme (if you know it)"),
        queryset=Programme.objects.all(),
        required=False,
        empty_label=_("not known / none"),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Theme.objects.all(),
        required=False,
        widget=GroupedCheckboxes,
    )
    need = forms.CharField(
        label=_("What do you need?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A few sentences are enough: your idea, your partner, your question."),
    )
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    consent = forms.BooleanField(
        label=_(
            "I agree that the agency stores my details to answer this request (see the privacy "
            "notice)."
        )
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = theme_choices_grouped()
        self.resolved_municipality: Municipality | None = None
        self.resolved_partnership: Partnership | None = None

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def clean(self):
        data = super().clean()
        text = data.get("municipality") or ""
        municipality, _candidates = picker_resolve("municipality", text) if text else (None, [])
        self.resolved_municipality = municipality
        partner_text = data.get("partner_municipality") or ""
        if municipality is not None and partner_text:
            partner, _candidates = picker_resolve("municipality", partner_text)
            if partner is not None and partner.pk != municipality.pk:
                first, second = Partnership.ordered_pair(municipality, partner)
                self.resolved_partnership = Partnership.objects.filter(
                    municipality_a=first, municipality_b=second
                ).first()
        return data


def contact_initial(user) -> dict:
    """The form prefilled for a logged-in person (a municipal editor: with their municipality)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    initial = {
        "name": getattr(user, "name", "") or "",
        "email": user.email,
        "language": getattr(user, "language", "") or "de",
    }
    from partnerportal.accounts.roles import edited_municipality_ids

    ids = sorted(edited_municipality_ids(user))
    if ids:
        municipality = Municipality.objects.filter(pk=ids[0]).first()
        if municipality is not None:
            initial["municipality"] = picker_get("municipality").label(municipality)
    return initial


class CaseFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("all")), *Case._meta.get_field("state").choices],
        required=False,
    )
    advisor = forms.TypedChoiceField(label=_("Advisor"), coerce=int, required=False)
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.all(),
        required=False,
        empty_label=_("all"),
    )
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2, required=False)
    overdue = forms.BooleanField(label=_("only overdue"), required=False)
    q = forms.CharField(label=_("Search"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff = get_user_model().objects.filter(groups__name__in=MANAGING_ROLES).distinct()
        self.fields["advisor"].choices = [("", _("all")), (0, _("nobody yet"))] + [
            (u.pk, u.name or u.email) for u in staff.order_by("name")
        ]

    def filters(self) -> CaseFilters:
        if not self.is_valid():
            return CaseFilters()
        d = self.cleaned_data
        return CaseFilters(
            state=d.get("state") or "",
            advisor=d.get("advisor") if d.get("advisor") not in ("", None) else None,
            programme=d["programme"].pk if d.get("programme") else None,
            country=(d.get("country") or "").upper(),
            overdue=bool(d.get("overdue")),
            query=d.get("q") or "",
        )


class CaseForm(forms.ModelForm):
    """Staff's edit of a case's details and links."""

    version = VersionField()
    municipality_pick = forms.CharField(
        label=_("Municipality in the registry"),
        required=False,
        max_length=200,
        widget=PickerInput("municipality"),
        help_text=_("Resolve what the requester wrote to a registry entry."),
    )

    class Meta:
        model = Case
        fields = [
            "municipality_text",
            "partnership",
            "programme",
            "topics",
            "events",
            "funding_instruments",
            "due_on",
            "public_summary",
            "requester_phone",
        ]
        widgets = {
            "due_on": _date_input(),
            "topics": GroupedCheckboxes,
            "public_summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case: Case = self.instance
        self.fields["version"].initial = case.version
        self.fields["topics"].choices = theme_choices_grouped()
        if case.municipality_id:
            self.fields["municipality_pick"].initial = picker_get("municipality").label(
                case.municipality
            )
            self.fields["partnership"].queryset = Partnership.objects.involving(
                case.municipality
            ).select_related("municipality_a", "municipality_b")
        else:
            self.fields["partnership"].queryset = Partnership.objects.none()
        self.fields["events"].queryset = CalendarEvent.objects.all()
        self.fields["funding_instruments"].queryset = FundingInstrument.objects.all()

    def clean_municipality_pick(self):
        text = self.cleaned_data.get("municipality_pick") or ""
        if not text:
            return None
        found, _candidates = picker_resolve("municipality", text)
        if found is None:
            raise forms.ValidationError(
                _("No single registry entry matches “%(text)s”."), params={"text": text}
            )
        return found

    def changes(self) -> dict:
        d = dict(self.cleaned_data)
        d.pop("version", None)
        municipality = d["municipality"] = d.pop("municipality_pick", None)
        partnership = d.get("partnership")
        if partnership is not None and (
            municipality is None
            or municipality.pk not in (partnership.municipality_a_id, partnership.municipality_b_id)
        ):
            d["partnership"] = None
        return d


class AssignForm(forms.Form):
    version = VersionField()
    advisor = forms.ModelChoiceField(
        label=_("Advisor"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("nobody yet"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = (
            get_user_model()
            .objects.filter(groups__name__in=MANAGING_ROLES, is_active=True)
            .distinct()
            .order_by("name")
        )


class TransitionForm(forms.Form):
    version = VersionField()
    action = forms.CharField(max_length=30)


class NoteForm(forms.ModelForm):
    class Meta:
        model = CaseNote
        fields = ["kind", "date", "participants", "text"]
        widgets = {"date": _date_input(), "text": forms.Textarea(attrs={"rows": 4})}


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = ValidatedFileField(label=_("File"), policy=UploadPolicy())


class PlanForm(forms.Form):
    version = VersionField()
    goal = forms.CharField(
        label=_("Overall goal"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MeasureForm(forms.ModelForm):
    version = VersionField(required=False)

    class Meta:
        model = Measure
        fields = [
            "goal",
            "activities",
            "responsible",
            "starts_on",
            "ends_on",
            "status",
            "estimated_cost",
            "themes",
            "event",
            "funding_instrument",
        ]
        widgets = {
            "starts_on": _date_input(),
            "ends_on": _date_input(),
            "activities": forms.Textarea(attrs={"rows": 3}),
            "themes": GroupedCheckboxes,
        }
        #: "1.500,00" in German, "1,500.00" in English
        localized_fields = ["estimated_cost"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estimated_cost"].widget.attrs["inputmode"] = "decimal"
        # Municipal editors work on plans too: only published public events and open
        # instruments are offered (and accepted), plus what the measure already names.
        current = self.instance if self.instance.pk else None
        events = CalendarEvent.objects.public()
        instruments = FundingInstrument.objects.filter(is_active=True)
        if current is not None and current.event_id:
            events = events | CalendarEvent.objects.filter(pk=current.event_id)
        if current is not None and current.funding_instrument_id:
            instruments = instruments | FundingInstrument.objects.filter(
                pk=current.funding_instrument_id
            )
        self.fields["event"].queryset = events.distinct()
        self.fields["funding_instrument"].queryset = instruments.distinct()
        self.fields["themes"].choices = theme_choices_grouped()
        self.fields["responsible"].choices = ResponsibleSide.choices
        self.fields["status"].choices = MeasureStatus.choices
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def values(self) -> tuple[dict, list]:
        d = dict(self.cleaned_data)
        d.pop("version", None)
        themes = list(d.pop("themes", []) or [])
        return d, themes


class PlanCommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    measure = forms.ModelChoiceField(
        label=_("On the measure"),
        queryset=Measure.objects.none(),
        required=False,
        empty_label=_("the whole plan"),
    )

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.fields["measure"].queryset = plan.measures.all()
