"""Forms of the calendar (GET filters) and of staff's event pages (issue 12). They work
without JavaScript: the hosts are typed as the registry's picker labels or AGS, one per line;
times are entered in the event's own time zone."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnerportal.core.forms import VersionField
from partnerportal.geo.models import Country, WorldRegion
from partnerportal.registry.forms.filters import Select
from partnerportal.registry.models import Municipality
from partnerportal.registry.selectors.picking import (
    municipality_pick_label,
    municipality_pick_lookup,
)

from .models import (
    DatePrecision,
    Event,
    EventFormat,
    EventSeries,
    ParticipantGroup,
    RegistrationQuestion,
)
from .selectors import CalendarFilters, series_choices

ANY = [("", _("all"))]


class CalendarFilterForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        required=False,
    )
    format = forms.ChoiceField(label=_("Format"), choices=ANY + EventFormat.choices, required=False)
    region = forms.ChoiceField(
        label=_("World region"), choices=ANY + WorldRegion.choices, required=False
    )
    # The registry's select written in Python: ~250 countries through the template widget
    # cost more than the rest of the page.
    country = forms.ChoiceField(label=_("Country"), required=False, widget=Select)
    series = forms.ChoiceField(label=_("Series"), required=False, widget=Select)

    def __init__(self, *args, choices: tuple[list, list] | None = None, **kwargs):
        """`choices`: (countries, series) as the calendar keeps them cached; read when not
        given."""
        super().__init__(*args, **kwargs)
        if choices is None:
            from partnerportal.registry.selectors.public import country_choices

            choices = (country_choices(), series_choices())
        self.fields["country"].choices = ANY + list(choices[0])
        self.fields["series"].choices = ANY + list(choices[1])

    def filters(self) -> CalendarFilters:
        """The filters; values that are not offered are ignored (a stale bookmark still shows
        the calendar)."""
        data = self.cleaned_data if self.is_valid() else {}
        return CalendarFilters(
            when="past" if data.get("when") == "past" else "upcoming",
            format=data.get("format", ""),
            region=data.get("region", ""),
            country=data.get("country", ""),
            series=data.get("series", ""),
        )

    def active_filter_count(self) -> int:
        data = self.cleaned_data if self.is_valid() else {}
        return sum(1 for name in ("format", "region", "country", "series") if data.get(name))


def _local_input(value: dt.datetime | None, zone: str) -> str:
    if value is None:
        return ""
    return value.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


class LocalDateTimeField(forms.CharField):
    """A date and time as typed (datetime-local), read in the event's zone by the form's clean."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError as error:
            raise forms.ValidationError(gettext("Enter a date and time.")) from error


class EventForm(forms.ModelForm):
    """An event's own fields; the participant groups and questions are formsets below."""

    version = VersionField(required=False)  # required when editing (clean)
    starts_at = LocalDateTimeField(label=_("Starts at (in the event's time zone)"))
    ends_at = LocalDateTimeField(label=_("Ends at (in the event's time zone)"))
    registration_closes_at = LocalDateTimeField(
        label=_("Registration closes (in the event's time zone)"), required=False
    )
    timezone = forms.ChoiceField(label=_("Time zone"), initial="Europe/Berlin")
    languages_text = forms.CharField(
        label=_("Languages"),
        required=False,
        help_text=_("Language codes separated by commas, e.g. de, en, fr"),
    )
    hosts_text = forms.CharField(
        label=_("Host municipalities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: the name as the municipality search shows it, or the AGS."),
    )
    co_hosts_text = forms.CharField(
        label=_("Co-host municipalities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, as above."),
    )
    online_url = forms.URLField(label=_("online link"), required=False, assume_scheme="https")
    partner_countries_text = forms.CharField(
        label=_("Partner countries"),
        required=False,
        help_text=_("ISO codes separated by commas, e.g. SN, BF"),
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "series",
            "format",
            "status",
            "is_public",
            "summary",
            "timezone",
            "venue",
            "place",
            "address",
            "country",
            "online_url",
            "interpretation",
            "target_group",
            "programme",
            "agenda",
            "results",
            "report",
            "documents",
            "capacity",
            "registration_open",
            "waitlist_mode",
            "offer_hours",
            "consent_text",
        ]
        widgets = {
            "documents": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "target_group": forms.Textarea(attrs={"rows": 2}),
            "agenda": forms.Textarea(attrs={"rows": 6}),
            "results": forms.Textarea(attrs={"rows": 4}),
            "report": forms.Textarea(attrs={"rows": 4}),
            "consent_text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = [(z, z) for z in sorted(zoneinfo.available_timezones())]
        self.fields["country"].queryset = Country.objects.order_by("name_de")
        event = self.instance
        if event.pk:
            zone = event.timezone
            self.initial.update(
                version=event.version,
                starts_at=_local_input(event.starts_at, zone),
                ends_at=_local_input(event.ends_at, zone),
                registration_closes_at=_local_input(event.registration_closes_at, zone),
                languages_text=", ".join(event.languages or []),
                hosts_text="\n".join(
                    municipality_pick_label(m)
                    for m in event.host_municipalities.select_related("country")
                ),
                co_hosts_text="\n".join(
                    municipality_pick_label(m)
                    for m in event.co_host_municipalities.select_related("country")
                ),
                partner_countries_text=", ".join(
                    event.partner_countries.values_list("iso2", flat=True)
                ),
            )

    def _municipalities(self, name: str) -> list[Municipality]:
        found, unknown = [], []
        for line in self.cleaned_data.get(name, "").splitlines():
            text = line.strip()
            if not text:
                continue
            municipality = municipality_pick_lookup(text)
            if municipality is None:
                unknown.append(text)
            else:
                found.append(municipality)
        if unknown:
            self.add_error(
                name,
                gettext(
                    "Not found: %(names)s. Use the label of the municipality search or the AGS."
                )
                % {"names": "; ".join(unknown)},
            )
        return found

    def clean(self):
        data = super().clean()
        if self.instance.pk and data.get("version") is None:
            self.add_error("version", gettext("The form is incomplete: load the page again."))
        zone_name = data.get("timezone") or "Europe/Berlin"
        zone = zoneinfo.ZoneInfo(zone_name)
        for name in ("starts_at", "ends_at", "registration_closes_at"):
            value = data.get(name)
            if isinstance(value, dt.datetime) and timezone.is_naive(value):
                data[name] = value.replace(tzinfo=zone)
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", gettext("The event cannot end before it starts."))
        data["languages"] = [
            code.strip().lower()
            for code in data.get("languages_text", "").split(",")
            if code.strip()
        ]
        data["host_municipalities"] = self._municipalities("hosts_text")
        data["co_host_municipalities"] = self._municipalities("co_hosts_text")
        codes = [
            c.upper() for c in re.split(r"[,\s]+", data.get("partner_countries_text", "")) if c
        ]
        countries = list(Country.objects.filter(iso2__in=codes))
        missing = set(codes) - {c.iso2 for c in countries}
        if missing:
            self.add_error(
                "partner_countries_text",
                gettext("Unknown country codes: %(codes)s") % {"codes": ", ".join(sorted(missing))},
            )
        data["partner_countries"] = countries
        return data

    def service_fields(self) -> dict:
        """The cleaned values as event_create/event_update take them."""
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields if name in data}
        for name in ("starts_at", "ends_at", "registration_closes_at", "languages"):
            fields[name] = data.get(name)
        for name in (
            "host_municipalities",
            "co_host_municipalities",
            "partner_countries",
            "documents",
        ):
            fields[name] = data.get(name, [])
        return fields


class GroupForm(forms.ModelForm):
    error_summary_outside = True

    class Meta:
        model = ParticipantGroup
        fields = ["name", "seats", "partner_side", "order"]


class QuestionForm(forms.ModelForm):
    error_summary_outside = True
    choices_text = forms.CharField(
        label=_("Choices (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = RegistrationQuestion
        fields = ["label", "kind", "required", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["choices_text"] = "\n".join(self.instance.choices or [])

    def clean(self):
        data = super().clean()
        choices = [c.strip() for c in data.get("choices_text", "").splitlines() if c.strip()]
        if data.get("kind") == RegistrationQuestion.Kind.CHOICE and len(choices) < 2:
            self.add_error("choices_text", gettext("A choice needs at least two options."))
        data["choices"] = choices if data.get("kind") == RegistrationQuestion.Kind.CHOICE else []
        return data


GroupFormSet = forms.inlineformset_factory(
    Event, ParticipantGroup, form=GroupForm, extra=1, can_delete=True, max_num=20
)
QuestionFormSet = forms.inlineformset_factory(
    Event, RegistrationQuestion, form=QuestionForm, extra=1, can_delete=True, max_num=30
)


def formset_rows(formset) -> list[dict]:
    """The formset's rows as dicts for the services (`id`, fields, `delete`); untouched empty
    rows are left out."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        data = dict(form.cleaned_data)
        data.pop("event", None)
        data.pop("choices_text", None)
        instance = data.pop("id", None)
        delete = data.pop("DELETE", False)
        rows.append({**data, "id": getattr(instance, "pk", instance), "delete": delete})
    return rows


class InviteForm(forms.Form):
    municipality = forms.CharField(
        label=_("Municipality"),
        help_text=_("The name as the municipality search shows it, or the AGS."),
    )

    def clean_municipality(self) -> Municipality:
        municipality = municipality_pick_lookup(self.cleaned_data["municipality"].strip())
        if municipality is None:
            raise forms.ValidationError(
                gettext("Not found. Use the label of the municipality search or the AGS.")
            )
        return municipality


# --- Staff: event series and their history (issue 12) ------------------------------------------


class SeriesForm(forms.ModelForm):
    """A series' own fields; the version it was read at travels with it (ADR 0005)."""

    version = VersionField(required=False)  # required when editing (the view checks)

    class Meta:
        model = EventSeries
        fields = [
            "name",
            "slug",
            "format",
            "world_region",
            "country",
            "rotation_years",
            "oda_recipients_only",
            "retention_days",
            "description",
        ]
        labels = {"name": _("Title")}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.order_by("name_de")
        if self.instance.pk:
            self.initial["version"] = self.instance.version

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class HistoryEntryForm(forms.Form):
    """A past event of a series, as far as its date is known: the year, the month, or the
    days. Nothing finer than what is known is asked for."""

    version = VersionField(required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    precision = forms.ChoiceField(
        label=_("Date known to the"), choices=DatePrecision.choices, initial=DatePrecision.YEAR
    )
    year = forms.IntegerField(label=_("Year"), min_value=1950, max_value=2100)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12, required=False)
    day = forms.IntegerField(label=_("First day"), min_value=1, max_value=31, required=False)
    end_day = forms.IntegerField(
        label=_("Last day"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_("Only for an event of several days in the same month."),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        precision = data.get("precision")
        if precision in (DatePrecision.MONTH, DatePrecision.DAY) and not data.get("month"):
            self.add_error("month", _("Please enter the month."))
        if precision == DatePrecision.DAY and not data.get("day"):
            self.add_error("day", _("Please enter the day."))
        return data

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        start = event.starts_at.astimezone(zoneinfo.ZoneInfo(event.timezone))
        end = event.ends_at.astimezone(zoneinfo.ZoneInfo(event.timezone))
        precision = event.date_precision
        return {
            "version": event.version,
            "title": event.title,
            "precision": precision,
            "year": start.year,
            "month": start.month if precision != DatePrecision.YEAR else None,
            "day": start.day if precision == DatePrecision.DAY else None,
            "end_day": end.day if precision == DatePrecision.DAY and end.day != start.day else None,
            "place": event.place,
            "summary": event.summary,
        }

    def service_fields(self) -> dict:
        data = self.cleaned_data
        precision = data["precision"]
        return {
            "title": data["title"],
            "year": data["year"],
            "month": data["month"] if precision != DatePrecision.YEAR else None,
            "day": data["day"] if precision == DatePrecision.DAY else None,
            "end_day": data["end_day"] if precision == DatePrecision.DAY else None,
            "place": data["place"],
            "summary": data["summary"],
        }
