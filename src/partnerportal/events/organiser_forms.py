"""Forms of the organisers' pages (views/organiser.py): they parse, the services decide."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Event, EventMessage, Registration


class ParticipantFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *list(Registration.Status.choices)],
    )
    group = forms.TypedChoiceField(label=_("Participant group"), required=False, coerce=int)

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All"))] + [
            (group.pk, group.name) for group in event.groups.all()
        ]
        if len(self.fields["group"].choices) == 1:
            del self.fields["group"]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            "status": self.cleaned_data.get("status") or None,
            "group_id": self.cleaned_data.get("group") or None,
        }


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=40,
        help_text=_("The code under the QR code on the badge or in the confirmation e-mail."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
                "class": "pp-checkin-code",
            }
        ),
    )


class EventMessageForm(forms.Form):
    audience = forms.ChoiceField(label=_("To"), choices=EventMessage.Audience.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Sent as you write it; the greeting and the note why the person receives it "
            "are added in each participant’s language."
        ),
    )
    send_at = forms.DateTimeField(
        label=_("Send at"),
        required=False,
        help_text=_("Leave empty to send now. Time of the event’s time zone (%(tz)s)."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
    )

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.event_timezone = zoneinfo.ZoneInfo(event.timezone)
        self.fields["send_at"].help_text = self.fields["send_at"].help_text % {"tz": event.timezone}
        self.fields["audience"].initial = EventMessage.Audience.CONFIRMED

    def clean_send_at(self) -> datetime | None:
        value = self.cleaned_data.get("send_at")
        if value is None:
            return None
        # The organiser means the event's local time, whatever the portal's zone.
        naive = timezone.make_naive(value) if timezone.is_aware(value) else value
        return naive.replace(tzinfo=self.event_timezone)
