"""The registry's municipalities. The foundation needs them for memberships; the registry issue
adds the Destatis and GeoNames fields, partnerships and their workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Municipality(models.Model):
    class Kind(models.TextChoices):
        GEMEINDE = "gemeinde", _("municipality")
        KREIS = "kreis", _("district")
        KREISFREIE_STADT = "kreisfreie_stadt", _("district-free city")
        COMPANY = "company", _("municipal company")
        FOREIGN = "foreign", _("foreign municipality")

    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(
        _("country"), max_length=2, default="DE", help_text=_("ISO 3166 alpha-2")
    )
    ags = models.CharField(
        _("official municipality key (AGS)"), max_length=8, unique=True, null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GEMEINDE)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
