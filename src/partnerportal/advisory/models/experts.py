"""Expert profiles, deployments and needs for experts (issue 14, "experts and deployments").

An expert's profile is personal data: what of it anyone but the expert and agency staff sees is
the expert's choice, one switch per part, all off by default (`ExpertProfile.PUBLIC_PARTS`).
A deployment's own facts (where, when, which fields, which programme) are public; who the expert
is only where the expert made their name public."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerportal.core.concurrency import VersionedModel

__all__ = [
    "Deployment",
    "DeploymentReport",
    "DeploymentReportDocument",
    "DeploymentState",
    "Evaluation",
    "ExpertKind",
    "ExpertLanguage",
    "ExpertProfile",
    "LanguageLevel",
    "Need",
    "Proposal",
]


class ExpertKind(models.TextChoices):
    INTEGRATED_EXPERT = "integrated_expert", _("Integrated expert")
    DEVELOPMENT_WORKER = "development_worker", _("Development worker")
    LOCAL_EXPERT = "local_expert", _("Local expert")


class LanguageLevel(models.TextChoices):
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"
    NATIVE = "native", _("native language")


#: Levels in order, for "at least B2" in the matching.
LEVEL_RANK = {level: rank for rank, level in enumerate(LanguageLevel.values)}


class ExpertProfile(VersionedModel):
    """An integrated expert, development worker or local expert. Staff create the profile; an
    expert with an account (role Expert) keeps their own up to date."""

    #: The parts the expert may make public, each a boolean field `public_<part>`.
    PUBLIC_PARTS = ("name", "fields", "languages", "countries", "availability", "cv")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_profile",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=ExpertKind.choices)
    fields = models.ManyToManyField(
        "registry.Theme",
        blank=True,
        related_name="expert_profiles",
        verbose_name=_("fields of expertise"),
        limit_choices_to={"kind": "field"},
    )
    countries = models.ManyToManyField(
        "geo.Country",
        blank=True,
        related_name="expert_profiles",
        verbose_name=_("countries of experience"),
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    availability_note = models.CharField(_("availability (in words)"), max_length=300, blank=True)
    cv = models.TextField(_("short CV"), blank=True)
    public_name = models.BooleanField(_("show my name"), default=False)
    public_fields = models.BooleanField(_("show my fields of expertise"), default=False)
    public_languages = models.BooleanField(_("show my languages"), default=False)
    public_countries = models.BooleanField(_("show my countries of experience"), default=False)
    public_availability = models.BooleanField(_("show my availability"), default=False)
    public_cv = models.BooleanField(_("show my short CV"), default=False)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[fields, countries], excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def is_public(self, part: str) -> bool:
        return bool(getattr(self, f"public_{part}"))

    @property
    def has_public_parts(self) -> bool:
        return any(self.is_public(part) for part in self.PUBLIC_PARTS)


class ExpertLanguage(models.Model):
    profile = models.ForeignKey(
        ExpertProfile, on_delete=models.CASCADE, related_name="languages", verbose_name=_("expert")
    )
    #: ISO 639-1 code ("fr", "es", "rw")
    language = models.CharField(_("language"), max_length=10)
    level = models.CharField(_("level"), max_length=10, choices=LanguageLevel.choices)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["profile", "language"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "language"], name="expert_language_once")
        ]

    def __str__(self) -> str:
        return f"{self.language} ({self.get_level_display()})"


class DeploymentState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ADVERTISED = "advertised", _("Advertised")
    FILLED = "filled", _("Filled")
    DEPLOYED = "deployed", _("Deployed")
    ENDED = "ended", _("Ended")
    BROKEN_OFF = "broken_off", _("Broken off")


class Deployment(VersionedModel):
    """An expert's deployment in a partner municipality, financed by a programme (the expert
    fund). Only ever created through `advisory.deployments.deployment_create`, which holds THE
    rule: an active, published partnership with a German municipality at the start date."""

    expert = models.ForeignKey(
        ExpertProfile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deployments",
        verbose_name=_("expert"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ExpertKind.choices)
    partner_municipality = models.ForeignKey(
        "registry.Municipality",
        on_delete=models.PROTECT,
        related_name="deployments",
        verbose_name=_("partner municipality"),
    )
    german_municipality = models.ForeignKey(
        "registry.Municipality",
        on_delete=models.PROTECT,
        related_name="deployments_as_german_partner",
        verbose_name=_("German partner municipality"),
    )
    partnership = models.ForeignKey(
        "registry.Partnership",
        on_delete=models.PROTECT,
        related_name="deployments",
        verbose_name=_("partnership"),
    )
    host_institution = models.CharField(_("host institution"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    goals = models.TextField(_("goals"), blank=True, help_text=_("One goal per line."))
    fields = models.ManyToManyField(
        "registry.Theme",
        blank=True,
        related_name="deployments",
        verbose_name=_("fields"),
        limit_choices_to={"kind": "field"},
    )
    programme = models.ForeignKey(
        "registry.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deployments",
        verbose_name=_("financing programme"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=DeploymentState.choices, default=DeploymentState.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[fields], excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["state", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.partner_municipality} ({self.starts_on:%Y})"

    @property
    def goal_list(self) -> list[str]:
        return [line.strip() for line in self.goals.splitlines() if line.strip()]


class Need(models.Model):
    """A need for an expert, from an advisory case or a partnership: what the matching reads."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        FILLED = "filled", _("Filled")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    case = models.ForeignKey(
        "advisory.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_needs",
        verbose_name=_("advisory case"),
    )
    partnership = models.ForeignKey(
        "registry.Partnership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_needs",
        verbose_name=_("partnership"),
    )
    partner_municipality = models.ForeignKey(
        "registry.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_needs",
        verbose_name=_("partner municipality"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ExpertKind.choices, blank=True)
    fields = models.ManyToManyField(
        "registry.Theme",
        blank=True,
        related_name="expert_needs",
        verbose_name=_("fields"),
        limit_choices_to={"kind": "field"},
    )
    #: ISO 639-1 codes the expert should speak (at least B2)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    country = models.ForeignKey(
        "geo.Country",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("need for an expert")
        verbose_name_plural = _("needs for experts")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Proposal(models.Model):
    """Staff propose an expert for a need; the expert accepts or declines."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("need")
    )
    expert = models.ForeignKey(
        ExpertProfile, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("expert")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    note = models.TextField(_("note to the expert"), blank=True)
    deployment = models.OneToOneField(
        Deployment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("deployment"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["need", "expert"], name="proposal_once_per_need")
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.need}"


class Evaluation(models.Model):
    """One side's short evaluation of a deployment or of a closed advisory case."""

    class Side(models.TextChoices):
        GERMAN = "german", _("German municipality")
        PARTNER = "partner", _("Partner municipality")
        EXPERT = "expert", _("Expert")

    class Scale(models.IntegerChoices):
        NOT_AT_ALL = 1, _("not at all")
        LITTLE = 2, _("a little")
        PARTLY = 3, _("partly")
        MOSTLY = 4, _("mostly")
        FULLY = 5, _("fully")

    deployment = models.ForeignKey(
        Deployment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("deployment"),
    )
    case = models.ForeignKey(
        "advisory.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("advisory case"),
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    goals_reached = models.PositiveSmallIntegerField(
        _("were the goals reached?"), choices=Scale.choices
    )
    what_helped = models.TextField(_("what helped"), blank=True)
    what_should_change = models.TextField(_("what should change"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deployment", "side"],
                condition=models.Q(deployment__isnull=False),
                name="evaluation_once_per_deployment_side",
            ),
            models.UniqueConstraint(
                fields=["case", "side"],
                condition=models.Q(case__isnull=False),
                name="evaluation_once_per_case_side",
            ),
            models.CheckConstraint(
                condition=models.Q(deployment__isnull=False, case__isnull=True)
                | models.Q(deployment__isnull=True, case__isnull=False),
                name="evaluation_of_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()}: {self.deployment or self.case}"


class DeploymentReport(models.Model):
    """A half-yearly or final report on a deployment, due on a date; the reminders run ahead of
    it (advisory.deployment_reports)."""

    class Kind(models.TextChoices):
        HALF_YEARLY = "half_yearly", _("Half-yearly report")
        FINAL = "final", _("Final report")

    deployment = models.ForeignKey(
        Deployment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("deployment")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    due_on = models.DateField(_("due on"))
    text = models.TextField(_("report"), blank=True)
    #: [{"goal": "...", "result": "..."}] in the order of the deployment's goals
    results = models.JSONField(_("results per goal"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("deployment report")
        verbose_name_plural = _("deployment reports")
        ordering = ["deployment", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deployment", "kind", "due_on"], name="deployment_report_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.due_on})"


class DeploymentReportDocument(models.Model):
    report = models.ForeignKey(
        DeploymentReport,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("report"),
    )
    file = models.FileField(_("file"), upload_to="advisory/reports/%Y/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.name
