"""The applicant's forms: the funding finder's questions (a GET form: the address keeps the
answers) and the steps of the application wizard. They parse input only; funding.applications
decides and stores, and refuses what a forged form could send (another municipality's
partnership, a line of another application)."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import NumberFormatError, get_currency_name, list_currencies, parse_decimal
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partnerportal.core.forms import VersionField
from partnerportal.core.i18n import babel_locale
from partnerportal.core.uploads import UploadPolicy, ValidatedFileField
from partnerportal.registry.forms.filters import Select
from partnerportal.registry.models import Municipality
from partnerportal.registry.selectors.public import country_choices

from .applications import DOCUMENT_KINDS
from .models import CostKind

#: Who applies: the German kinds of the registry (a foreign municipality is the partner side).
APPLICANT_KINDS = [
    (code, label) for code, label in Municipality.Kind.choices if code != Municipality.Kind.FOREIGN
]

PARTNERSHIP_ANSWERS = [
    ("", _("not answered")),
    ("active", _("Yes, an active partnership")),
    ("initiation", _("It is being initiated")),
    ("no", _("No partnership yet")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class LocalDecimalField(forms.DecimalField):
    """A number as people type it in their language: "1.234,50" or "1234,5" in German,
    "1,234.50" in English (Babel's reading of the active locale)."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            text = value.strip().replace("\u00a0", "").replace(" ", "").replace("€", "")
            try:
                value = parse_decimal(text, locale=babel_locale(), strict=False)
            except NumberFormatError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)


def _amount_field(label, **kwargs) -> forms.DecimalField:
    return LocalDecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **kwargs,
    )


class FinderForm(forms.Form):
    """A few questions; every one may stay unanswered (the rule it feeds then says "to be
    checked")."""

    optional_fields_unmarked = True
    kind = forms.ChoiceField(
        label=_("Who applies?"), required=False, choices=[("", _("not answered"))], widget=Select
    )
    country = forms.ChoiceField(label=_("Country of the partner"), required=False, widget=Select)
    partnership = forms.ChoiceField(
        label=_("Is there a partnership?"),
        required=False,
        choices=PARTNERSHIP_ANSWERS,
        widget=Select,
    )
    amount = _amount_field(_("Funding needed (EUR)"), required=False)
    starts_on = forms.DateField(label=_("Start of the measure"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("End of the measure"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("not answered")), *APPLICANT_KINDS]
        self.fields["country"].choices = [
            ("", _("not answered")),
            *[(code, name) for code, name in country_choices() if code != "DE"],
        ]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end lies before the start."))
        return data


class StartForm(forms.Form):
    """The first step: for which municipality and partnership. The choices are the actor's own;
    the service refuses anything else."""

    applicant = forms.TypedChoiceField(label=_("Applicant"), coerce=int, choices=(), widget=Select)
    partnership = forms.TypedChoiceField(
        label=_("Partnership"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=(),
        widget=Select,
        help_text=_("The partnerships of your municipality in the registry."),
    )

    def __init__(self, *args, municipalities, partnerships, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applicant"].choices = [(m.pk, m.name) for m in municipalities]
        if len(municipalities) == 1:
            self.fields["applicant"].widget = forms.HiddenInput()
            self.fields["applicant"].initial = municipalities[0].pk
        self.fields["partnership"].choices = [("", _("none"))] + [
            (p.pk, f"{p.municipality_a.name} – {p.municipality_b.name}") for p in partnerships
        ]


class PartnershipStepForm(forms.Form):
    partnership = forms.TypedChoiceField(
        label=_("Partnership"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=(),
        widget=Select,
        help_text=_("The partnerships of the applicant in the registry."),
    )
    version = VersionField()

    def __init__(self, *args, partnerships, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnership"].choices = [("", _("none"))] + [
            (p.pk, f"{p.municipality_a.name} – {p.municipality_b.name}") for p in partnerships
        ]


class MeasureForm(forms.Form):
    title = forms.CharField(label=_("Title of the measure"), max_length=200, required=False)
    goals = forms.CharField(
        label=_("Goals"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What should be different once the measure is done?"),
    )
    measure = forms.CharField(
        label=_("What will be done"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Activities, who takes part on both sides, and how the partner is involved."),
    )
    version = VersionField()


class ScheduleForm(forms.Form):
    starts_on = forms.DateField(label=_("Start"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("End"), required=False, widget=DateInput)
    version = VersionField()

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end lies before the start."))
        return data


def currency_choices() -> list[tuple[str, str]]:
    """EUR first, then every current ISO 4217 currency by its name in the reader's language."""
    locale = babel_locale()
    others = sorted(
        (
            (code, f"{get_currency_name(code, locale=locale)} ({code})")
            for code in list_currencies()
            if code != "EUR"
        ),
        key=lambda item: item[1].casefold(),
    )
    return [("EUR", f"{get_currency_name('EUR', locale=locale)} (EUR)"), *others]


class CostLineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of cost"), choices=(), widget=Select)
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        help_text=_("e.g. “Flight Frankfurt–Kigali and back, 2 persons”"),
    )
    amount = _amount_field(_("Amount"))
    currency = forms.ChoiceField(label=_("Currency"), choices=(), initial="EUR", widget=Select)
    exchange_rate = LocalDecimalField(
        label=_("Exchange rate (EUR for one unit)"),
        required=False,
        max_digits=14,
        decimal_places=6,
        min_value=Decimal("0.000001"),
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("Only for another currency: the rate you used, e.g. 0.00068 for RWF."),
    )
    version = VersionField()

    def __init__(self, *args, cost_kinds: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(CostKind.choices)
        kinds = [k for k in (cost_kinds or CostKind.values) if k != CostKind.PER_DIEM]
        self.fields["kind"].choices = [(k, labels[k]) for k in kinds if k in labels]
        self.fields["currency"].choices = currency_choices()

    def clean(self):
        data = super().clean()
        if data.get("currency") and data["currency"] != "EUR" and not data.get("exchange_rate"):
            self.add_error(
                "exchange_rate",
                _("Give the exchange rate used (EUR for one unit of the currency)."),
            )
        return data


class PerDiemForm(forms.Form):
    """A trip whose per diems are calculated by the BMF rates."""

    country = forms.ChoiceField(label=_("Country of the trip"), choices=(), widget=Select)
    city = forms.CharField(
        label=_("City"),
        max_length=120,
        required=False,
        help_text=_("Cities the BMF lists have their own rate; any other city gets the country's."),
    )
    start = forms.DateTimeField(label=_("Departure"), widget=DateTimeInput)
    end = forms.DateTimeField(label=_("Return"), widget=DateTimeInput)
    breakfasts = forms.IntegerField(
        label=_("Breakfasts provided"), min_value=0, max_value=366, initial=0
    )
    lunches = forms.IntegerField(label=_("Lunches provided"), min_value=0, max_value=366, initial=0)
    dinners = forms.IntegerField(label=_("Dinners provided"), min_value=0, max_value=366, initial=0)
    travellers = forms.IntegerField(label=_("Travellers"), min_value=1, max_value=100, initial=1)
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        required=False,
        help_text=_("Left empty, it is written from the trip."),
    )
    version = VersionField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [
            (code, name) for code, name in country_choices() if code != "DE"
        ]


def document_policy() -> UploadPolicy:
    return UploadPolicy(kinds=DOCUMENT_KINDS)


class DocumentForm(forms.Form):
    key = forms.SlugField(widget=forms.HiddenInput, max_length=60)
    file = forms.FileField(label=_("File"))
    version = VersionField()

    def __init__(self, *args, label: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Made here: the size limit is the setting's at the time of the request.
        self.fields["file"] = ValidatedFileField(label=label or _("File"), policy=document_policy())


class VersionForm(forms.Form):
    version = VersionField()
