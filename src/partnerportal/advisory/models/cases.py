"""Advisory cases: a contact request becomes a case that staff advise on, with an internal log
and an action plan that the municipalities of the partnership see."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerportal.core.concurrency import VersionedModel

__all__ = [
    "ActionPlan",
    "Case",
    "CaseDocument",
    "CaseNote",
    "CaseState",
    "Measure",
    "MeasureStatus",
    "PlanComment",
    "ResponsibleSide",
]

#: States in which a case is still being worked on (due dates and reminders count there).
OPEN_STATES = ("received", "clarifying", "advising", "action_plan", "implementation")


class CaseState(models.TextChoices):
    RECEIVED = "received", _("Received")
    CLARIFYING = "clarifying", _("Clarifying")
    ADVISING = "advising", _("Advising")
    ACTION_PLAN = "action_plan", _("Action plan")
    IMPLEMENTATION = "implementation", _("Implementation")
    CLOSED = "closed", _("Closed")
    DORMANT = "dormant", _("Dormant")


class Case(VersionedModel):
    reference = models.CharField(
        _("reference"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    state = models.CharField(
        _("state"), max_length=20, choices=CaseState.choices, default=CaseState.RECEIVED
    )
    # The requester (personal data: exported and anonymised, see ADR 0014)
    requester_name = models.CharField(_("name"), max_length=200)
    requester_email = models.EmailField(_("e-mail address"))
    requester_phone = models.CharField(_("telephone"), max_length=50, blank=True)
    requester_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisory_requests",
        verbose_name=_("account"),
    )
    language = models.CharField(_("preferred language"), max_length=10, default="de")
    municipality = models.ForeignKey(
        "registry.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advisory_cases",
        verbose_name=_("municipality"),
    )
    municipality_text = models.CharField(
        _("municipality (as written by the requester)"), max_length=200, blank=True
    )
    partnership = models.ForeignKey(
        "registry.Partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advisory_cases",
        verbose_name=_("partnership"),
    )
    programme = models.ForeignKey(
        "registry.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisory_cases",
        verbose_name=_("programme"),
    )
    topics = models.ManyToManyField(
        "registry.Theme", blank=True, related_name="advisory_cases", verbose_name=_("topics")
    )
    need = models.TextField(_("what is needed"))
    public_summary = models.TextField(
        _("public summary"),
        blank=True,
        help_text=_("Shown on the partnership's and municipality's pages; nothing personal."),
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisory_cases",
        verbose_name=_("advisor"),
    )
    due_on = models.DateField(_("next step due"), null=True, blank=True, db_index=True)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    # Added by the cases part of issue 14 (migration 0002_cases_…).
    #: The partner country the case is about (the foreign side of the partnership, else the
    #: municipality's country): set by the services, so that the dashboard groups by a column.
    country = models.ForeignKey(
        "geo.Country",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    events = models.ManyToManyField(
        "events.Event", blank=True, related_name="advisory_cases", verbose_name=_("events")
    )
    funding_instruments = models.ManyToManyField(
        "funding.FundingInstrument",
        blank=True,
        related_name="advisory_cases",
        verbose_name=_("funding instruments"),
    )
    #: The due date the advisor was last reminded of (the job reminds once per due date).
    reminder_sent_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("advisory case")
        verbose_name_plural = _("advisory cases")
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "opened_at"]),
            # the staff's list, newest first: read in index order, stopped after one page
            models.Index(fields=["opened_at", "id"], name="advisory_case_opened_idx"),
            # the dashboard: open cases per advisor, and the overdue ones (covering indexes)
            models.Index(fields=["advisor", "state"], name="advisory_case_advisor_idx"),
            models.Index(fields=["state", "due_on"], name="advisory_case_due_idx"),
            models.Index(fields=["requester_email", "opened_at"]),
            models.Index(fields=["closed_at"]),
        ]

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    def plan_municipality_ids(self) -> frozenset[int]:
        """The municipalities whose editors see the action plan: both sides of the partnership,
        or the requester's municipality where there is no partnership."""
        if self.partnership_id:
            p = self.partnership
            return frozenset({p.municipality_a_id, p.municipality_b_id})
        return frozenset({self.municipality_id}) if self.municipality_id else frozenset()

    def __str__(self) -> str:
        return self.reference or self.requester_name


class CaseNote(models.Model):
    """The internal log of a case: calls, meetings, e-mails. Agency staff only, never shown to
    municipal users (permissions.can_view_case_log)."""

    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        MEETING = "meeting", _("Meeting")
        EMAIL = "email", _("E-mail")
        NOTE = "note", _("Note")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="notes", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTE)
    date = models.DateField(_("date"), default=timezone.localdate)
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["case", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


def _document_path(instance: "CaseDocument", filename: str) -> str:
    """Under a random name: the file is served only through the case's permission check."""
    import secrets
    from pathlib import PurePath

    return f"advisory/cases/{secrets.token_hex(16)}{PurePath(filename).suffix.lower()}"


class CaseDocument(models.Model):
    """A document of a case (minutes, letters), checked by core.uploads; staff only."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="documents", verbose_name=_("case")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=200)
    mime = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class ActionPlan(VersionedModel):
    """The plan agreed with the partnership: a list of measures. One per case."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="plan", verbose_name=_("case")
    )
    goal = models.TextField(_("overall goal"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return str(self.case)


class ResponsibleSide(models.TextChoices):
    GERMAN = "german", _("German side")
    PARTNER = "partner", _("Partner side")
    BOTH = "both", _("Both sides")
    AGENCY = "agency", _("Agency")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Measure(VersionedModel):
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="measures", verbose_name=_("plan")
    )
    goal = models.CharField(_("goal"), max_length=300)
    activities = models.TextField(_("what is done"), blank=True)
    responsible = models.CharField(
        _("responsible"),
        max_length=10,
        choices=ResponsibleSide.choices,
        default=ResponsibleSide.BOTH,
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    estimated_cost = models.DecimalField(
        _("estimated cost (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    themes = models.ManyToManyField(
        "registry.Theme", blank=True, related_name="+", verbose_name=_("themes and SDGs")
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisory_measures",
        verbose_name=_("event"),
    )
    funding_instrument = models.ForeignKey(
        "funding.FundingInstrument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisory_measures",
        verbose_name=_("funding instrument"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[themes])

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return self.goal


class PlanComment(models.Model):
    """A comment by a municipal editor (or staff) on the plan or one of its measures: the
    municipalities' voice on the plan, visible to everyone who sees the plan."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="comments", verbose_name=_("plan")
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("measure"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("plan comment")
        verbose_name_plural = _("plan comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
