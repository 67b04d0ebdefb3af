"""Countries with the agency's world regions and their status on the OECD DAC List of ODA
Recipients. Names come from pycountry; the region and DAC data ship as versioned files in
geo/data/ and staff can correct them (every change is in the audit trail)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerportal.core.concurrency import VersionedModel
from partnerportal.core.i18n import localized_name


class WorldRegion(models.TextChoices):
    AFRICA = "afrika", _("Africa")
    ASIA = "asien", _("Asia")
    LATIN_AMERICA = "lateinamerika", _("Latin America and the Caribbean")
    EASTERN_EUROPE = "osteuropa", _("Eastern Europe and Central Asia")
    MENA = "nahost", _("Middle East and North Africa")
    EUROPE = "europa", _("Europe")
    NORTH_AMERICA = "nordamerika", _("North America")
    OCEANIA = "ozeanien", _("Oceania")


class DacIncomeGroup(models.TextChoices):
    LDC = "ldc", _("Least developed countries")
    OTHER_LIC = "other_lic", _("Other low-income countries")
    LMIC = "lmic", _("Lower middle-income countries and territories")
    UMIC = "umic", _("Upper middle-income countries and territories")


class CountryQuerySet(models.QuerySet):
    def oda_recipients(self):
        return self.filter(oda_recipient=True)

    def in_region(self, region: str):
        return self.filter(world_region=region)


class Country(VersionedModel):
    iso2 = models.CharField(_("ISO 3166 alpha-2"), max_length=2, primary_key=True)
    iso3 = models.CharField(_("ISO 3166 alpha-3"), max_length=3, unique=True)
    name_de = models.CharField(_("name (German)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    # The languages of partner municipalities: CLDR's names (Babel), filled by the sync.
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=120, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120, blank=True)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=120, blank=True)
    world_region = models.CharField(_("world region"), max_length=20, choices=WorldRegion.choices)
    oda_recipient = models.BooleanField(_("on the DAC list of ODA recipients"), default=False)
    dac_income_group = models.CharField(
        _("DAC income group"), max_length=10, choices=DacIncomeGroup.choices, blank=True
    )
    dac_list_years = models.CharField(
        _("reporting years of the DAC list"),
        max_length=20,
        blank=True,
        help_text=_("e.g. 2024–2025"),
    )
    dac_note = models.TextField(_("note on the DAC status"), blank=True)
    history = HistoricalRecords()

    objects = CountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name_de"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (core.i18n.localized_name)."""
        return localized_name(self)
