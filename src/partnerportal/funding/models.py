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
