"""The official per-diem rates of the Federal Ministry of Finance (BMF) for trips abroad, as
versioned data: every import is a `PerDiemTable` that keeps its rows; for each calendar year the
newest table that covers it is the one in force (`PerDiemTableYear`), so a re-import of a year
supersedes the older table for that year without deleting it, and a calculation can name the
table it used (docs/decisions/0010-funding-per-diem.md)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerportal.core.concurrency import VersionedModel
from partnerportal.core.dates import display_date


class PerDiemTable(models.Model):
    """One import of the BMF rate table: who, when, from which file, how many rows."""

    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    source_name = models.CharField(_("source file"), max_length=255)
    source_sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    country_count = models.PositiveIntegerField(_("countries"), default=0)
    city_count = models.PositiveIntegerField(_("listed cities"), default=0)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("per-diem rate table")
        verbose_name_plural = _("per-diem rate tables")
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        # The id is what a calculation names (`tables` in the API).
        return _("Table %(id)s: %(file)s (%(date)s)") % {
            "id": self.pk,
            "file": self.source_name,
            "date": display_date(self.imported_at, "short"),
        }


class PerDiemTableYear(models.Model):
    """A calendar year a table covers. The newest table (highest id) covering a year is in force
    for it; older ones stay for the record."""

    table = models.ForeignKey(
        PerDiemTable, on_delete=models.CASCADE, related_name="years", verbose_name=_("table")
    )
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("year of a per-diem table")
        verbose_name_plural = _("years of per-diem tables")
        constraints = [
            models.UniqueConstraint(fields=["table", "year"], name="funding_table_year_unique")
        ]
        indexes = [models.Index(fields=["year", "table"], name="funding_year_table")]

    def __str__(self) -> str:
        return str(self.year)


class PerDiemRate(models.Model):
    """The rates of one country (or a city the BMF lists separately) for a period, in EUR.

    `valid_until` empty: until the next table; in a calculation no further than the last year
    its table covers."""

    table = models.ForeignKey(
        PerDiemTable, on_delete=models.CASCADE, related_name="rates", verbose_name=_("table")
    )
    country = models.ForeignKey(
        "geo.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    city = models.CharField(
        _("city"), max_length=120, blank=True, help_text=_("Empty: the rate of the country.")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    full_day = models.DecimalField(_("24-hour rate (EUR)"), max_digits=7, decimal_places=2)
    partial_day = models.DecimalField(
        _("rate for arrival, departure and one-day trips (EUR)"), max_digits=7, decimal_places=2
    )
    overnight = models.DecimalField(_("overnight lump sum (EUR)"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("per-diem rate")
        verbose_name_plural = _("per-diem rates")
        ordering = ["table", "country", "city", "valid_from"]
        indexes = [
            models.Index(fields=["table", "country", "valid_from"], name="funding_rate_lookup")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="funding_rate_period",
            ),
            models.CheckConstraint(
                condition=models.Q(partial_day__lte=models.F("full_day"), partial_day__gte=0),
                name="funding_rate_amounts",
            ),
        ]

    def __str__(self) -> str:
        place = f"{self.country_id} {self.city}".strip()
        return f"{place} {self.valid_from}: {self.full_day}/{self.partial_day}"


# --- Programmes' instruments and the applications for them (docs/decisions/0013-funding.md) ---


class CallMode(models.TextChoices):
    ROLLING = "rolling", _("Rolling call (apply at any time)")
    DEADLINE = "deadline", _("Deadline")


class CostKind(models.TextChoices):
    FLIGHT = "flight", _("Flights")
    ACCOMMODATION = "accommodation", _("Accommodation")
    PER_DIEM = "per_diem", _("Per diems")
    INTERPRETATION = "interpretation", _("Interpretation")
    OTHER = "other", _("Other costs")


class FundingInstrument(VersionedModel):
    """What a programme funds and under which rules. `eligibility_rules` is data a machine checks
    (funding/eligibility.py): a list of {"rule": <code>, ...parameters}."""

    programme = models.ForeignKey(
        "registry.Programme",
        on_delete=models.PROTECT,
        related_name="funding_instruments",
        verbose_name=_("programme"),
    )
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what is funded"), blank=True)
    cost_kinds = models.JSONField(
        _("eligible kinds of cost"), default=list, blank=True, help_text=_("Codes of CostKind")
    )
    funding_rate_percent = models.DecimalField(
        _("funding rate (%)"), max_digits=5, decimal_places=2, default=100
    )
    ceiling_eur = models.DecimalField(
        _("ceiling (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    own_contribution_percent = models.DecimalField(
        _("own contribution (%)"), max_digits=5, decimal_places=2, default=0
    )
    call_mode = models.CharField(
        _("call"), max_length=10, choices=CallMode.choices, default=CallMode.ROLLING
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    eligibility_rules = models.JSONField(_("eligibility rules"), default=list, blank=True)
    is_active = models.BooleanField(_("open for applications"), default=True)
    #: The first part of the reference a submitted application gets ("EF" -> "EF-2026-0001").
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=8,
        default="FA",
        help_text=_("Capital letters, e.g. EF: applications are numbered EF-2026-0001."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding instrument")
        verbose_name_plural = _("funding instruments")
        ordering = ["programme__name", "name"]

    def __str__(self) -> str:
        return self.name


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    FORMAL_CHECK = "formal_check", _("Formal check")
    ASSESSMENT = "assessment", _("Assessment")
    DECISION = "decision", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


class ApplicationQuerySet(models.QuerySet):
    def submitted(self):
        return self.exclude(state__in=[ApplicationState.DRAFT, ApplicationState.WITHDRAWN])


class Application(VersionedModel):
    """An application for one instrument by one municipality, usually for one partnership. The
    review, decision, payments and final report hang off it (funding/workflows.py)."""

    instrument = models.ForeignKey(
        FundingInstrument,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("instrument"),
    )
    reference = models.CharField(
        _("reference"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    applicant = models.ForeignKey(
        "registry.Municipality",
        on_delete=models.PROTECT,
        related_name="funding_applications",
        verbose_name=_("applicant"),
    )
    partnership = models.ForeignKey(
        "registry.Partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_applications",
        verbose_name=_("partnership"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funding_applications",
        verbose_name=_("created by"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    title = models.CharField(_("title of the measure"), max_length=200, blank=True)
    measure = models.TextField(_("measure"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    #: the last wizard step the applicant saved
    step = models.CharField(_("step"), max_length=30, blank=True)
    #: where a request came from outside funding, e.g. "events.registration:17" (travel support
    #: asked for with an event registration)
    origin = models.CharField(_("origin"), max_length=80, blank=True, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("funding application")
        verbose_name_plural = _("funding applications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "instrument"]),
            models.Index(fields=["state", "-submitted_at"], name="funding_app_state_submitted"),
            models.Index(fields=["-submitted_at", "-id"], name="funding_app_submitted"),
        ]

    def __str__(self) -> str:
        return self.reference or self.title or _("Draft application")


class CostPlan(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    ACTUAL = "actual", _("Actual (final report)")


class CostLine(models.Model):
    """A line of a cost plan. Paid in another currency it keeps amount, currency and the rate
    used; `amount_eur` is what totals add up."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="cost_lines",
        verbose_name=_("application"),
    )
    plan = models.CharField(
        _("cost plan"), max_length=10, choices=CostPlan.choices, default=CostPlan.REQUESTED
    )
    kind = models.CharField(_("kind of cost"), max_length=20, choices=CostKind.choices)
    description = models.CharField(_("description"), max_length=300)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    exchange_rate = models.DecimalField(
        _("exchange rate (EUR per unit)"), max_digits=14, decimal_places=6, default=1
    )
    amount_eur = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    #: for per diems: the inputs and the result of funding.per_diem (country, city, start, end,
    #: meals, table ids, days)
    calculation = models.JSONField(_("calculation"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    #: an actual line (final report) names the approved line it reports on
    planned_line = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actual_lines",
        verbose_name=_("approved line"),
    )
    #: why the actual amount deviates from the approved one (required above the threshold)
    explanation = models.TextField(_("explanation of the deviation"), blank=True)

    class Meta:
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")
        ordering = ["application", "plan", "order", "pk"]
        indexes = [models.Index(fields=["plan", "application"], name="funding_line_plan")]

    def __str__(self) -> str:
        return self.description


# --- After submission: review, decision, payments, changes, final report (docs/decisions/0013) ---
# The services live in funding/review.py, decisions.py, payments.py, changes.py and reports.py;
# the models are here so that the modules of the app import models and never each other's.


class InvolvementKind(models.TextChoices):
    """How a person took part in an application; the four-eyes rules read these rows."""

    FORMAL_CHECK = "formal_check", _("formal check")
    ASSESSED = "assessed", _("assessment")
    EDITED = "edited", _("changed the application or the decision draft")
    DECIDED = "decided", _("decision")


class ApplicationInvolvement(models.Model):
    """Who did what to an application, once per person and kind. The person who assessed it or
    changed it (edited the cost plan or the decision draft) may never approve it."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="involvements"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=InvolvementKind.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("involvement in an application")
        verbose_name_plural = _("involvements in applications")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "user", "kind"], name="funding_involvement_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.application_id}"


class Recommendation(models.TextChoices):
    APPROVE = "approve", _("Approve as requested")
    APPROVE_CHANGED = "approve_changed", _("Approve with changes")
    REJECT = "reject", _("Reject")


class Review(models.Model):
    """The agency's review of one application: the formal check and the written assessment."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="review")
    formal_check_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("formal check by"),
    )
    formal_check_at = models.DateTimeField(_("formal check on"), null=True, blank=True)
    formal_check_notes = models.TextField(_("notes of the formal check"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_at = models.DateTimeField(_("assessed on"), null=True, blank=True)
    assessment = models.TextField(_("assessment"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return str(self.application)


class DecisionOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Decision(VersionedModel):
    """The decision on an application. Its draft (approved cost plan: CostLine plan=approved,
    conditions, report deadline) is written before the decision; `decided_by` is set once, by
    someone who neither assessed nor changed the application. The letter's text is frozen at
    the decision, so a later edit of a template never changes a letter that was sent."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=DecisionOutcome.choices, blank=True
    )
    conditions = models.TextField(_("conditions"), blank=True)
    reasons = models.TextField(_("reasons (for a rejection)"), blank=True)
    approved_total = models.DecimalField(
        _("approved total (EUR)"), max_digits=12, decimal_places=2, default=0
    )
    report_due_on = models.DateField(_("final report due on"), null=True, blank=True)
    summary_language = models.CharField(
        _("language of the summary for the partner"), max_length=8, blank=True
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True, db_index=True)
    #: the calendar year of the decision in German time, kept for the dashboard's sums
    decided_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    letter_subject = models.CharField(_("letter subject"), max_length=300, blank=True)
    letter_body = models.TextField(_("letter text"), blank=True)
    letter_summary = models.TextField(_("summary in the partner's language"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding decision")
        verbose_name_plural = _("funding decisions")
        indexes = [models.Index(fields=["outcome", "decided_year"], name="funding_decision_year")]

    def __str__(self) -> str:
        return str(self.application)


class LetterKind(models.TextChoices):
    APPROVAL = "approval", _("Approval letter")
    REJECTION = "rejection", _("Rejection letter")


class LetterTemplate(models.Model):
    """A letter staff edit in the back office. The German letter is the template of language
    "de"; a template of the same kind in another language is the summary paragraph for the
    partner. Placeholders in braces: {reference}, {applicant}, {title}, {instrument},
    {programme}, {total}, {conditions}, {reasons}, {report_due}, {date}."""

    kind = models.CharField(_("kind"), max_length=10, choices=LetterKind.choices)
    language = models.CharField(_("language"), max_length=8, default="de")
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Placeholders: {reference}, {applicant}, {title}, {instrument}, {programme}, "
            "{total}, {conditions}, {reasons}, {report_due}, {date}."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="funding_letter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"


class PaymentState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    FIRST_APPROVAL = "first_approval", _("First approval given")
    RELEASED = "released", _("Released")
    REJECTED = "rejected", _("Rejected")


class PaymentRequest(VersionedModel):
    """A request to pay out part of the approved money. Released by two different members of
    staff, neither of whom requested it (funding/payments.py)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="payment_requests"
    )
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=PaymentState.choices, default=PaymentState.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested on"), default=timezone.now)
    first_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first approval by"),
    )
    first_approved_at = models.DateTimeField(_("first approval on"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    released_at = models.DateTimeField(_("released on"), null=True, blank=True, db_index=True)
    released_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rejected by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["state", "released_year"], name="funding_payment_state")]

    def __str__(self) -> str:
        return _("Payment request %(id)s (%(reference)s)") % {
            "id": self.pk,
            "reference": self.application,
        }


class ChangeState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    FIRST_APPROVAL = "first_approval", _("First approval given")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class ChangeRequest(VersionedModel):
    """The applicant asks to change the approved plan or the dates. Staff decide under four
    eyes: a first approval and an acceptance by two different people (funding/changes.py)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="change_requests"
    )
    reason = models.TextField(_("reason"))
    starts_on = models.DateField(_("new start"), null=True, blank=True)
    ends_on = models.DateField(_("new end"), null=True, blank=True)
    #: the proposed approved plan: [{"kind", "description", "amount_eur"}]; empty: unchanged
    lines = models.JSONField(_("proposed cost plan"), default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=ChangeState.choices, default=ChangeState.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested on"), default=timezone.now)
    first_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-requested_at", "-pk"]


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SENT_BACK = "sent_back", _("Sent back for changes")
    ACCEPTED = "accepted", _("Accepted")


class FinalReport(VersionedModel):
    """The Verwendungsnachweis: the factual report and the financial statement (CostLine
    plan=actual, each pointing at the approved line it reports on), with receipts."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="final_report"
    )
    text = models.TextField(_("factual report"), blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=ReportState.choices, default=ReportState.DRAFT
    )
    actual_total = models.DecimalField(
        _("actual total (EUR)"), max_digits=12, decimal_places=2, default=0
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed on"), null=True, blank=True, db_index=True)
    reviewed_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    staff_note = models.TextField(_("note of the agency"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("final report")
        verbose_name_plural = _("final reports")


def receipt_path(instance: "ReportReceipt", filename: str) -> str:
    return f"funding/receipts/{instance.report.application_id}/{filename}"


class ReportReceipt(models.Model):
    """A receipt uploaded with the final report (validated by core/uploads.py)."""

    report = models.ForeignKey(FinalReport, on_delete=models.CASCADE, related_name="receipts")
    file = models.FileField(_("file"), upload_to=receipt_path, max_length=255)
    name = models.CharField(_("name"), max_length=255)
    mime = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class ReportReminder(models.Model):
    """That the applicant was reminded of a report deadline: once per application and date."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="report_reminders"
    )
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "due_on"], name="funding_report_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.due_on}"


# --- The applicant's side: reference numbers and documents (issue 13, funding/applications.py) ---


class ApplicationReferenceSequence(models.Model):
    """The last reference number given per prefix and year ("EF-2026-0001"): one row, locked
    while a submission takes the next number, so that two submissions never get the same one."""

    prefix = models.CharField(_("prefix"), max_length=8)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference sequence")
        verbose_name_plural = _("reference sequences")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="funding_reference_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


def application_document_path(instance: "ApplicationDocument", filename: str) -> str:
    """A name nobody can guess (the file is served only through the permission-checked view);
    the person's file name is kept in `original_name`."""
    import uuid
    from pathlib import PurePath

    extension = PurePath(filename).suffix.lower()[:10]
    return f"funding/applications/{instance.application_id}/{uuid.uuid4().hex}{extension}"


class ApplicationDocument(models.Model):
    """A document the instrument asks for (`FundingInstrument.required_documents`, by its
    `key`), uploaded through core.uploads. One file per key: a new upload replaces the old."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("application"),
    )
    key = models.SlugField(_("document"), max_length=60)
    file = models.FileField(_("file"), upload_to=application_document_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    mime = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["application", "key"]
        constraints = [
            models.UniqueConstraint(fields=["application", "key"], name="funding_document_key")
        ]

    def __str__(self) -> str:
        return self.original_name
