"""Event series, their events and the registrations for them (docs/decisions/0012-events.md).

An event's seats are counted from its registrations, never stored as a counter: the one service
that registers (`services.registration_create`) locks the event row and counts inside the same
transaction, so two parallel registrations cannot both take the last seat. A delegation is the
unit of the waiting list: its people wait and move up together unless its registrant allowed
them to be split."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerportal.core.concurrency import VersionedModel
from partnerportal.geo.models import WorldRegion


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class EventFormat(models.TextChoices):
    REGIONAL_CONFERENCE = "regional_conference", _("Regional conference")
    ROUND_TABLE = "round_table", _("Round table")
    PARTNERSHIP_CONFERENCE = "partnership_conference", _("Partnership conference")
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    SEMINAR = "seminar", _("Qualification or information seminar")
    DIGITAL_EXCHANGE = "digital_exchange", _("Digital exchange")


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class EventSeries(VersionedModel):
    """A format that recurs: the regional conferences of one world region, the round tables of
    one partner country, a programme's network meetings."""

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    format = models.CharField(_("format"), max_length=30, choices=EventFormat.choices)
    description = models.TextField(_("description"), blank=True)
    world_region = models.CharField(
        _("world region"), max_length=20, choices=WorldRegion.choices, blank=True
    )
    country = models.ForeignKey(
        "geo.Country",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_series",
        verbose_name=_("partner country"),
    )
    programme = models.ForeignKey(
        "registry.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_series",
        verbose_name=_("programme"),
    )
    rotation_years = models.PositiveSmallIntegerField(
        _("rotation in years"),
        null=True,
        blank=True,
        help_text=_("How often the series meets, e.g. 3 for the regional conferences."),
    )
    oda_recipients_only = models.BooleanField(
        _("partner side only from countries on the DAC list"),
        default=False,
        help_text=_("Invitations to partner municipalities in other countries are refused."),
    )
    retention_days = models.PositiveIntegerField(
        _("retention of registrations (days after the event)"),
        default=365,
        help_text=_("Then personal data of participants is anonymised; the statistics stay."),
    )
    created_at = models.DateTimeField(_("created at"), default=now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("event series")
        verbose_name_plural = _("event series")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Event.Status.PUBLISHED)

    def public(self):
        return self.published().filter(is_public=True)

    def upcoming(self, at=None):
        return self.filter(ends_at__gte=at or now())

    def past(self, at=None):
        return self.filter(ends_at__lt=at or now())


class Event(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class WaitlistMode(models.TextChoices):
        CONFIRM = "confirm", _("Confirm at once when a seat is free")
        OFFER = "offer", _("Offer the seat for a time, then pass it on")

    series = models.ForeignKey(
        EventSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("series"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=120, unique=True)
    format = models.CharField(_("format"), max_length=30, choices=EventFormat.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Shown in the calendar; anyone may register.")
    )
    summary = models.TextField(_("summary"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    timezone = models.CharField(
        _("time zone"), max_length=60, default="Europe/Berlin", validators=[validate_timezone]
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    country = models.ForeignKey(
        "geo.Country",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events_held",
        verbose_name=_("country of the venue"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("Language codes, e.g. de, en, fr")
    )
    interpretation = models.CharField(_("interpretation"), max_length=300, blank=True)
    target_group = models.TextField(_("target group"), blank=True)
    host_municipalities = models.ManyToManyField(
        "registry.Municipality",
        blank=True,
        related_name="events_hosted",
        verbose_name=_("host municipalities"),
    )
    co_host_municipalities = models.ManyToManyField(
        "registry.Municipality",
        blank=True,
        related_name="events_co_hosted",
        verbose_name=_("co-host municipalities"),
    )
    partner_countries = models.ManyToManyField(
        "geo.Country", blank=True, related_name="events", verbose_name=_("partner countries")
    )
    programme = models.ForeignKey(
        "registry.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("programme"),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    results = models.TextField(_("results"), blank=True)
    report = models.TextField(_("report"), blank=True)
    # Registration
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Seats in all; empty: no limit.")
    )
    registration_open = models.BooleanField(_("registration open"), default=False)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    waitlist_mode = models.CharField(
        _("waiting list"), max_length=10, choices=WaitlistMode.choices, default=WaitlistMode.CONFIRM
    )
    offer_hours = models.PositiveSmallIntegerField(_("hours to accept an offered seat"), default=48)
    consent_text = models.TextField(_("consent text"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    #: Stable key of an event stored from the series history (demo and history data), so that a
    #: re-run updates instead of duplicating.
    source_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)
    #: Documents of the event (invitation, programme as PDF, presentations), uploaded in the
    #: back office's document library and linked here (calendar, issue 12).
    documents = models.ManyToManyField(
        "wagtaildocs.Document", blank=True, related_name="+", verbose_name=_("documents")
    )
    #: How much of the date is known (calendar, issue 12): events from the series history whose
    #: seed pages name only the year (or the month) store the whole period in starts_at/ends_at
    #: and are shown as "2013" or "September 2022", never with an invented day.
    date_precision = models.CharField(
        _("date known to the"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    created_at = models.DateTimeField(_("created at"), default=now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["status", "is_public", "starts_at"]),
            # The calendar's "upcoming" and "past" ask for the end (evcal).
            models.Index(fields=["status", "is_public", "ends_at"], name="event_public_ends"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ParticipantGroup(models.Model):
    """Seats kept for one group of participants, e.g. partner municipalities. Seats of the event
    not given to a group are open to all."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="groups", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=120)
    seats = models.PositiveIntegerField(_("seats"))
    partner_side = models.BooleanField(
        _("for partner municipalities"),
        default=False,
        help_text=_("Only participants from municipalities outside Germany take these seats."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("participant group")
        verbose_name_plural = _("participant groups")
        ordering = ["event", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class RegistrationQuestion(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        CHOICE = "choice", _("Choice")
        YES_NO = "yes_no", _("Yes or no")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="questions", verbose_name=_("event")
    )
    label = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")
        ordering = ["event", "order", "pk"]

    def __str__(self) -> str:
        return self.label


class Delegation(models.Model):
    """Several people a municipality registers in one go. On the waiting list they are one
    entry: they move up together, or one by one only if `allow_split`."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="delegations", verbose_name=_("event")
    )
    municipality = models.ForeignKey(
        "registry.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_delegations",
        verbose_name=_("municipality"),
    )
    registrant_name = models.CharField(_("registered by"), max_length=200)
    registrant_email = models.EmailField(_("e-mail of the registrant"))
    language = models.CharField(_("language"), max_length=10, default="de")
    allow_split = models.BooleanField(
        _("may be split"),
        default=False,
        help_text=_("Members may move up from the waiting list one by one."),
    )
    created_at = models.DateTimeField(_("created at"), default=now, editable=False)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["event", "created_at", "pk"]

    def __str__(self) -> str:
        return self.registrant_name


#: Fields of a registration that name or describe the person (or link to them): never in its
#: history (ADR 0013). Anything new that is personal belongs here.
REGISTRATION_PERSONAL_FIELDS = [
    "user",
    "name",
    "email",
    "language",
    "municipality",
    "municipality_text",
    "role",
    "answers",
    "dietary_needs",
    "interpretation_needs",
    "needs_visa_letter",
    "nationality",
    "passport_number",
    "birth_date",
    "travel_support_requested",
    "travel_support_note",
    "consent_at",
    "access_token_hash",
    "check_in_code",
    "reminder_sent_at",
    "updated_at",
]


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        OFFERED = "offered", _("Seat offered")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("delegation"),
    )
    group = models.ForeignKey(
        ParticipantGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("participant group"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    #: Order on the waiting list: the time the registration (or its delegation) joined it.
    queued_at = models.DateTimeField(_("queued at"), default=now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=10, default="de")
    municipality = models.ForeignKey(
        "registry.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("municipality"),
    )
    municipality_text = models.CharField(
        _("municipality or organisation (free text)"), max_length=200, blank=True
    )
    role = models.CharField(_("role"), max_length=200, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=300, blank=True)
    interpretation_needs = models.CharField(_("interpretation needs"), max_length=300, blank=True)
    # Asked only of partner participants who need a visa invitation letter.
    needs_visa_letter = models.BooleanField(_("needs a visa invitation letter"), default=False)
    nationality = models.ForeignKey(
        "geo.Country",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nationality"),
    )
    passport_number = models.CharField(_("passport number"), max_length=40, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    travel_support_requested = models.BooleanField(
        _("travel cost support requested"), default=False
    )
    travel_support_note = models.TextField(_("travel cost support: what for"), blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    #: SHA-256 of the secret in the self-service link (the secret itself is only in the e-mail).
    access_token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    #: Enters the link's HMAC (tokens.py): a new link moves it on, so every older link dies.
    access_token_version = models.PositiveIntegerField(default=1, editable=False)
    #: Short code on the badge and in the e-mail, typed or scanned at check-in.
    check_in_code = models.CharField(_("check-in code"), max_length=12, blank=True, db_index=True)
    offered_until = models.DateTimeField(_("offer open until"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    #: The reminder before the event went out (once per registration; registrations.reminders_send).
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    #: The certificate of attendance went out by e-mail (once, unless sent again on purpose).
    certificate_sent_at = models.DateTimeField(_("certificate sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    #: The registration's life for the organisers (ADR 0013): states, times and ids only. What
    #: names or describes the person stays out of the history table, so retention and erasure
    #: need not reach into it.
    history = HistoricalRecords(excluded_fields=REGISTRATION_PERSONAL_FIELDS)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "queued_at", "pk"]
        indexes = [models.Index(fields=["event", "status", "queued_at"])]
        constraints = [
            # Check-in looks a code up within its event: two people must never share one
            # (organising.check_in_code_ensure draws them; this is the guard against a race).
            models.UniqueConstraint(
                fields=["event", "check_in_code"],
                condition=~models.Q(check_in_code=""),
                name="registration_check_in_code_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


# --- Calendar (issue 12): invitations of partner municipalities ---------------------------------


class EventInvitation(models.Model):
    """Agency staff invite a municipality to an event. For a series whose partner side is limited
    to the DAC list (regional conferences) the rule in events.rules refuses the others; the
    refusal is never stored, only the invitations that were admissible."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("event")
    )
    municipality = models.ForeignKey(
        "registry.Municipality",
        on_delete=models.CASCADE,
        related_name="event_invitations",
        verbose_name=_("municipality"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), default=now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "municipality"], name="event_invitation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} – {self.municipality}"


# --- Organisers (issue 12: messages to participants) -----------------------------------------


class EventMessage(models.Model):
    """A message the organisers send to the participants of an event, at once or at `send_at`.

    It is kept as a row rather than sent from the request so that a scheduled job can send it
    later, so that it is sent exactly once (`sent_at` is claimed before the e-mails go out) and
    so that the trail shows who wrote what to whom (history)."""

    class Audience(models.TextChoices):
        ALL = "all", _("All participants (confirmed and waiting list)")
        CONFIRMED = "confirmed", _("Confirmed participants")
        WAITLIST = "waitlist", _("The waiting list")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="messages", verbose_name=_("event")
    )
    audience = models.CharField(
        _("to"), max_length=12, choices=Audience.choices, default=Audience.CONFIRMED
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    send_at = models.DateTimeField(_("send at"), default=now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created at"), default=now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("message to participants")
        verbose_name_plural = _("messages to participants")
        ordering = ["-send_at", "-pk"]
        indexes = [models.Index(fields=["sent_at", "send_at"])]

    def __str__(self) -> str:
        return self.subject
