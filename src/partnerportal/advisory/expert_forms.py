"""Forms of the experts' and deployments' pages. They parse; the services decide (THE rule of the
expert fund is asked by `deployment_create`, whose refusal the view puts on the field it names)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from partnerportal.core.forms import VersionField
from partnerportal.core.pickers import PickerField
from partnerportal.core.uploads import ValidatedFileField
from partnerportal.geo.models import Country
from partnerportal.registry.models import Programme, Theme

from .deployment_reports import REPORT_POLICY
from .models import Evaluation, ExpertKind, ExpertProfile, LanguageLevel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def field_themes():
    return Theme.objects.filter(kind=Theme.Kind.FIELD).order_by("name_de")


def municipality_picker(label, required: bool = True, help_text: str = "") -> PickerField:
    return PickerField(
        "municipality",
        label=label,
        required=required,
        help_text=help_text or _("Type the name and choose from the list."),
    )


class LanguagesField(forms.CharField):
    """Languages with their level, one a line: "fr C1", "rw native" (ISO 639-1 code, then A1–C2
    or native). Plain text, so the form works without JavaScript."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value) -> list[tuple[str, str]]:
        text = super().to_python(value) or ""
        entries = []
        levels = {level.lower(): level for level in LanguageLevel.values}
        for number, line in enumerate(text.splitlines(), start=1):
            parts = line.replace(",", " ").split()
            if not parts:
                continue
            if len(parts) != 2 or parts[1].lower() not in levels or len(parts[0]) > 10:
                raise forms.ValidationError(
                    _("Line %(number)s: write a language code and a level, e.g. “fr C1”."),
                    params={"number": number},
                    code="language_line",
                )
            entries.append((parts[0].lower(), levels[parts[1].lower()]))
        return entries

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{code} {level}" for code, level in value)
        return value


class ExpertProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ExpertKind.choices)
    fields = forms.ModelMultipleChoiceField(
        label=_("Fields of expertise"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = LanguagesField(
        label=_("Languages"),
        required=False,
        help_text=_("One a line: language code and level (A1 to C2, or native), e.g. “fr C1”."),
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries of experience"),
        queryset=Country.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    available_from = forms.DateField(label=_("Available from"), required=False, widget=DATE)
    available_until = forms.DateField(label=_("Available until"), required=False, widget=DATE)
    availability_note = forms.CharField(
        label=_("Availability (in words)"), max_length=300, required=False
    )
    cv = forms.CharField(
        label=_("Short CV"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    public_name = forms.BooleanField(label=_("Show my name publicly"), required=False)
    public_fields = forms.BooleanField(
        label=_("Show my fields of expertise publicly"), required=False
    )
    public_languages = forms.BooleanField(label=_("Show my languages publicly"), required=False)
    public_countries = forms.BooleanField(
        label=_("Show my countries of experience publicly"), required=False
    )
    public_availability = forms.BooleanField(
        label=_("Show my availability publicly"), required=False
    )
    public_cv = forms.BooleanField(label=_("Show my short CV publicly"), required=False)
    version = VersionField(required=False)

    def __init__(self, *args, can_choose_public: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fields"].queryset = field_themes()
        if not can_choose_public:
            # What is public is the expert's choice alone.
            for part in ExpertProfile.PUBLIC_PARTS:
                del self.fields[f"public_{part}"]

    @staticmethod
    def initial_from(profile: ExpertProfile) -> dict:
        return {
            "name": profile.name,
            "email": profile.email,
            "kind": profile.kind,
            "fields": list(profile.fields.all()),
            "languages": [(entry.language, entry.level) for entry in profile.languages.all()],
            "countries": list(profile.countries.all()),
            "available_from": profile.available_from,
            "available_until": profile.available_until,
            "availability_note": profile.availability_note,
            "cv": profile.cv,
            "version": profile.version,
            **{f"public_{part}": profile.is_public(part) for part in ExpertProfile.PUBLIC_PARTS},
        }


class ExpertCreateForm(ExpertProfileForm):
    account = forms.EmailField(
        label=_("Account of the expert (optional)"),
        required=False,
        help_text=_("The e-mail address of an account with the role “Expert”."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, can_choose_public=False, **kwargs)


class DeploymentForm(forms.Form):
    partner_municipality = municipality_picker(_("Partner municipality"))
    german_municipality = municipality_picker(
        _("German partner municipality"),
        required=False,
        help_text=_("Leave empty to take the partner municipality's active partnership."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ExpertKind.choices)
    expert = forms.ModelChoiceField(
        label=_("Expert"),
        queryset=ExpertProfile.objects.filter(anonymised_at__isnull=True),
        required=False,
        help_text=_("May stay empty while the post is advertised."),
    )
    host_institution = forms.CharField(label=_("Host institution"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    goals = forms.CharField(
        label=_("Goals"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One goal per line."),
    )
    fields = forms.ModelMultipleChoiceField(
        label=_("Fields"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    programme = forms.ModelChoiceField(
        label=_("Financing programme"), queryset=Programme.objects.all(), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fields"].queryset = field_themes()


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=30)
    version = VersionField(required=False)


class NeedForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What is needed"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    partner_municipality = municipality_picker(_("Partner municipality"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of expert"), choices=[("", _("any")), *ExpertKind.choices], required=False
    )
    fields = forms.ModelMultipleChoiceField(
        label=_("Fields"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=100,
        help_text=_("Language codes, separated by spaces, e.g. “fr es”."),
    )
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), required=False
    )
    starts_on = forms.DateField(label=_("From"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DATE)
    case = forms.IntegerField(widget=forms.HiddenInput, required=False)
    partnership = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fields"].queryset = field_themes()

    def clean_languages(self) -> list[str]:
        codes = self.cleaned_data["languages"].replace(",", " ").split()
        known = {code for code, _name in settings.LANGUAGES}
        for code in codes:
            if len(code) > 10 or not code.isalpha():
                raise forms.ValidationError(
                    _("“%(code)s” is not a language code."), params={"code": code}
                )
        return [code.lower() for code in codes if code.lower() in known or len(code) <= 3]


class ProposalForm(forms.Form):
    expert = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note to the expert"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportForm(forms.Form):
    text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 6}))
    document = ValidatedFileField(
        label=_("Document (optional)"), required=False, policy=REPORT_POLICY
    )

    def __init__(self, *args, goals: list[str] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for index, goal in enumerate(self.goals):
            self.fields[f"result_{index}"] = forms.CharField(
                label=_("Result: %(goal)s") % {"goal": goal},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def results(self) -> list[str]:
        return [self.cleaned_data.get(f"result_{i}", "") for i in range(len(self.goals))]


class EvaluationForm(forms.Form):
    goals_reached = forms.TypedChoiceField(
        label=_("Were the goals reached?"),
        choices=Evaluation.Scale.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    what_helped = forms.CharField(
        label=_("What helped?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    what_should_change = forms.CharField(
        label=_("What should change?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
