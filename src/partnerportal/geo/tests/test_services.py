from io import StringIO

import pycountry
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from partnerportal.audit.services import attribute_change
from partnerportal.geo.models import Country, DacIncomeGroup, WorldRegion
from partnerportal.geo.services import (
    EXTRA_COUNTRIES,
    countries_sync,
    country_defaults,
    country_ensure,
    country_permissions_ensure,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_countries():
    """The state before the first load (migrate loads the countries into every new database)."""
    Country.history.all().delete()
    Country.objects.all().delete()


def test_sync_creates_every_iso_country_with_region_and_dac_status(no_countries):
    result = countries_sync()
    assert result.created == len(pycountry.countries) == Country.objects.count()
    assert not Country.objects.filter(world_region="").exists()
    assert not Country.objects.filter(name_de="").exists()
    valid = set(WorldRegion.values)
    assert set(Country.objects.values_list("world_region", flat=True)) <= valid
    assert set(Country.objects.values_list("world_region", flat=True)) == valid

    germany = Country.objects.get(pk="DE")
    assert (germany.name_de, germany.name_en) == ("Deutschland", "Germany")
    assert germany.world_region == WorldRegion.EUROPE
    assert not germany.oda_recipient and germany.dac_income_group == ""

    senegal = Country.objects.get(pk="SN")
    assert senegal.world_region == WorldRegion.AFRICA
    assert senegal.oda_recipient and senegal.dac_income_group == DacIncomeGroup.LDC
    assert senegal.dac_list_years == "2024–2025"

    peru = Country.objects.get(pk="PE")
    assert (peru.world_region, peru.dac_income_group) == (
        WorldRegion.LATIN_AMERICA,
        DacIncomeGroup.UMIC,
    )
    ukraine = Country.objects.get(pk="UA")
    assert (ukraine.world_region, ukraine.dac_income_group) == (
        WorldRegion.EASTERN_EUROPE,
        DacIncomeGroup.LMIC,
    )
    assert Country.objects.get(pk="TR").world_region == WorldRegion.EUROPE
    assert Country.objects.get(pk="IR").world_region == WorldRegion.MENA
    assert Country.objects.get(pk="KR").name_de == "Südkorea"
    # Recipients all carry an income group, non-recipients none.
    assert not Country.objects.filter(oda_recipient=True, dac_income_group="").exists()
    assert not Country.objects.filter(oda_recipient=False).exclude(dac_income_group="").exists()
    assert Country.objects.oda_recipients().count() == 140


def test_sync_is_idempotent():
    countries_sync()
    history = Country.history.count()
    result = countries_sync()
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == Country.objects.count()
    assert Country.history.count() == history


def test_sync_fills_countries_created_earlier_by_country_ensure():
    Country.objects.filter(pk="PE").delete()
    Country.objects.create(iso2="PE", iso3="PER", name_de="Peru", name_en="Peru", world_region="")
    result = countries_sync()
    assert result.updated == 1
    assert Country.objects.get(pk="PE").dac_income_group == DacIncomeGroup.UMIC


def test_staff_edits_are_kept_unless_overwrite():
    countries_sync()
    peru = Country.objects.get(pk="PE")
    peru.dac_note = "Checked against the PDF by staff."
    peru.dac_income_group = DacIncomeGroup.LMIC
    attribute_change(peru, actor=None, action="country.changed")
    peru.save()

    result = countries_sync()
    peru.refresh_from_db()
    assert peru.dac_income_group == DacIncomeGroup.LMIC
    assert peru.dac_note == "Checked against the PDF by staff."
    assert ("PE", "dac_income_group") in result.kept
    assert result.updated == 0

    out = StringIO()
    call_command("load_countries", "--overwrite", stdout=out)
    peru.refresh_from_db()
    assert peru.dac_income_group == DacIncomeGroup.UMIC
    assert "1 updated" in out.getvalue()


def test_country_ensure_and_defaults_keep_working():
    assert country_defaults("sn")["world_region"] == WorldRegion.AFRICA
    assert country_defaults("SN")["dac_income_group"] == DacIncomeGroup.LDC
    with pytest.raises(LookupError):
        country_defaults("XX")
    country = country_ensure("pe")
    assert country.pk == "PE" and country.world_region == WorldRegion.LATIN_AMERICA
    assert country_ensure("PE") == country


def test_permissions_let_agency_staff_edit_countries():
    country_permissions_ensure()
    country_permissions_ensure()
    for name in ("agency_admin", "agency_editor"):
        codenames = set(
            Group.objects.get(name=name)
            .permissions.filter(content_type__app_label="geo")
            .values_list("codename", flat=True)
        )
        assert codenames == {"view_country", "change_country"}
    assert (
        not Group.objects.get(name="reviewer")
        .permissions.filter(content_type__app_label="geo")
        .exists()
    )


def test_load_countries_command_reports_counts(no_countries):
    out = StringIO()
    call_command("load_countries", stdout=out)
    assert f"{len(pycountry.countries)} created" in out.getvalue()
    out = StringIO()
    call_command("load_countries", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()


def test_every_country_created_on_the_fly_has_a_valid_region():
    """Codes the twin-town lists use beyond ISO 3166 (Kosovo) get a region of the agency's list
    (the API and the filters refuse an empty one)."""
    for code in EXTRA_COUNTRIES:
        Country.objects.filter(pk=code).delete()
        country = country_ensure(code)
        country.full_clean()
        assert country.world_region in WorldRegion.values, code
    kosovo = Country.objects.get(pk="XK")
    # With its neighbours of the Western Balkans (Serbia, Albania, North Macedonia, Montenegro).
    assert kosovo.world_region == WorldRegion.EASTERN_EUROPE
    assert Country.objects.get(pk="RS").world_region == kosovo.world_region
    assert (kosovo.oda_recipient, kosovo.dac_income_group) == (True, DacIncomeGroup.UMIC)


def test_sync_gives_an_earlier_kosovo_row_its_region():
    """Installations that imported twin towns before have a Kosovo row without a region."""
    Country.objects.filter(pk="XK").delete()
    Country.objects.create(iso2="XK", iso3="XKX", name_de="Kosovo", name_en="Kosovo")
    result = countries_sync()
    assert result.updated == 1
    assert Country.objects.get(pk="XK").world_region == WorldRegion.EASTERN_EUROPE
    assert Country.objects.count() == len(pycountry.countries) + 1
