"""Advisory cases: a contact request becomes a case that staff advise on, with an internal log
and an action plan that the municipalities of the partnership see."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerportal.core.concurrency import VersionedModel

__all__ = ["Case", "CaseState"]


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
    due_on = models.DateField(_("next step due"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("advisory case")
        verbose_name_plural = _("advisory cases")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["state", "opened_at"])]

    def __str__(self) -> str:
        return self.reference or self.requester_name
