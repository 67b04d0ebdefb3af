"""The registration forms: one person, or a delegation (a municipality registers several people
in one go, each with their own answers and e-mail). Plain Django forms: they work without
JavaScript; the number of people of a delegation is chosen in a step before (`?personen=N`), so
adding a row needs no script. The forms only parse; `registrations.registration_create` decides
and saves."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from partnerportal.core.pickers import PickerField
from partnerportal.geo.models import Country

from .models import Event, RegistrationQuestion
from .registrations import DelegationInfo, Person

#: The most people one delegation form takes.
DELEGATION_MAX = 20

YES_NO = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]


class PersonForm(forms.Form):
    """One participant. `with_municipality=False` in a delegation (its municipality is the
    delegation's); `with_consent=False` there too (the registrant agrees for the delegation)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    language = forms.ChoiceField(
        label=_("Language for e-mails"), choices=settings.LANGUAGES, initial="de"
    )
    municipality = PickerField(
        "municipality",
        label=_("Municipality"),
        required=False,
        help_text=_("Type the name and choose from the list."),
    )
    municipality_text = forms.CharField(
        label=_("Or organisation (if not a municipality)"), max_length=200, required=False
    )
    role = forms.CharField(label=_("Role or function"), max_length=200, required=False)
    dietary_needs = forms.CharField(label=_("Dietary needs"), max_length=300, required=False)
    interpretation_needs = forms.CharField(
        label=_("Interpretation needs"), max_length=300, required=False
    )
    needs_visa_letter = forms.BooleanField(
        label=_("I need a visa invitation letter"),
        required=False,
        help_text=_("Only then: nationality, passport number and date of birth."),
    )
    nationality = forms.ModelChoiceField(
        label=_("Nationality (for the visa letter)"),
        queryset=Country.objects.order_by("name_en"),
        required=False,
    )
    passport_number = forms.CharField(
        label=_("Passport number (for the visa letter)"), max_length=40, required=False
    )
    birth_date = forms.DateField(
        label=_("Date of birth (for the visa letter)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    travel_support_requested = forms.BooleanField(
        label=_("I request support with travel costs"), required=False
    )
    travel_support_note = forms.CharField(
        label=_("Travel cost support: what for"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args,
        event: Event,
        with_municipality: bool = True,
        with_consent: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.event = event
        self.questions = list(event.questions.all())
        if not with_municipality:
            del self.fields["municipality"]
            del self.fields["municipality_text"]
        for question in self.questions:
            name = f"q_{question.pk}"
            if question.kind == RegistrationQuestion.Kind.CHOICE:
                field = forms.ChoiceField(
                    label=question.label,
                    required=question.required,
                    choices=[("", "—")] + [(c, c) for c in question.choices],
                )
            elif question.kind == RegistrationQuestion.Kind.YES_NO:
                field = forms.ChoiceField(
                    label=question.label, required=question.required, choices=YES_NO
                )
            else:
                field = forms.CharField(
                    label=question.label,
                    required=question.required,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            self.fields[name] = field
        if with_consent and event.consent_text:
            self.fields["consent"] = forms.BooleanField(
                label=_("I agree to these terms"), required=True, help_text=event.consent_text
            )

    def clean(self):
        data = super().clean()
        if data.get("needs_visa_letter"):
            for name in ("nationality", "passport_number", "birth_date"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed for the visa invitation letter."))
        if (
            data.get("travel_support_requested")
            and not (data.get("travel_support_note") or "").strip()
        ):
            self.add_error("travel_support_note", _("Please say what the support is for."))
        return data

    def answers(self) -> dict[str, object]:
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q_{question.pk}")
            if value in (None, ""):
                continue
            result[str(question.pk)] = value
        return result

    def person(self, *, user=None, municipality=None, consent: bool | None = None) -> Person:
        data = self.cleaned_data
        return Person(
            name=data["name"],
            email=data["email"],
            language=data["language"],
            municipality=municipality if municipality is not None else data.get("municipality"),
            municipality_text=data.get("municipality_text") or "",
            role=data.get("role") or "",
            answers=self.answers(),
            dietary_needs=data.get("dietary_needs") or "",
            interpretation_needs=data.get("interpretation_needs") or "",
            needs_visa_letter=bool(data.get("needs_visa_letter")),
            nationality=data.get("nationality"),
            passport_number=data.get("passport_number") or "",
            birth_date=data.get("birth_date"),
            travel_support_requested=bool(data.get("travel_support_requested")),
            travel_support_note=data.get("travel_support_note") or "",
            consent=bool(data.get("consent")) if consent is None else consent,
            user=user,
        )


class DelegationForm(forms.Form):
    """Who registers the delegation, for which municipality, and whether it may be split."""

    registrant_name = forms.CharField(label=_("Your name"), max_length=200)
    registrant_email = forms.EmailField(label=_("Your e-mail address"))
    language = forms.ChoiceField(
        label=_("Language for e-mails"), choices=settings.LANGUAGES, initial="de"
    )
    municipality = PickerField(
        "municipality",
        label=_("Municipality of the delegation"),
        help_text=_("Type the name and choose from the list."),
    )
    allow_split = forms.BooleanField(
        label=_("If not all fit, those who fit may take part"),
        required=False,
        help_text=_(
            "Otherwise the delegation waits as a whole until there are seats for all its people."
        ),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        if event.consent_text:
            self.fields["consent"] = forms.BooleanField(
                label=_("All people of the delegation agree to these terms"),
                required=True,
                help_text=event.consent_text,
            )

    def info(self) -> DelegationInfo:
        data = self.cleaned_data
        return DelegationInfo(
            registrant_name=data["registrant_name"],
            registrant_email=data["registrant_email"],
            language=data["language"],
            municipality=data["municipality"],
            allow_split=bool(data.get("allow_split")),
        )


class PeopleCountForm(forms.Form):
    personen = forms.IntegerField(
        label=_("Number of people in the delegation"),
        min_value=2,
        max_value=DELEGATION_MAX,
        initial=2,
    )


class AnswersForm(PersonForm):
    """What a participant may change through the self-service link: not the name's e-mail,
    nor the visa or travel data (those go to the organisers)."""

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, event=event, with_municipality=False, with_consent=False, **kwargs)
        for name in (
            "email",
            "needs_visa_letter",
            "nationality",
            "passport_number",
            "birth_date",
            "travel_support_requested",
            "travel_support_note",
        ):
            del self.fields[name]
        self.fields["municipality_text"] = forms.CharField(
            label=_("Municipality or organisation"), max_length=200, required=False
        )

    def clean(self):
        return forms.Form.clean(self)

    def changes(self) -> dict[str, object]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "language": data["language"],
            "role": data.get("role") or "",
            "municipality_text": data.get("municipality_text") or "",
            "dietary_needs": data.get("dietary_needs") or "",
            "interpretation_needs": data.get("interpretation_needs") or "",
            "answers": self.answers(),
        }


class LinkRequestForm(forms.Form):
    """A participant asks for a new self-service link, by the address they registered with."""

    email = forms.EmailField(
        label=_("E-mail address you registered with"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
