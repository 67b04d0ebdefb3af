import pytest

from partnerportal.geo.models import WorldRegion
from partnerportal.geo.selectors import countries_with_municipalities, country_get, country_list
from partnerportal.geo.services import countries_sync
from partnerportal.registry.tests.factories import ForeignMunicipalityFactory

pytestmark = pytest.mark.django_db


def test_country_reads():
    countries_sync()
    africa = country_list(region=WorldRegion.AFRICA)
    assert africa.filter(pk="SN").exists() and not africa.filter(pk="DE").exists()
    assert not country_list(oda_recipient=True).filter(pk="DE").exists()
    assert country_list().count() == 249
    assert country_get(iso2="pe").name_en == "Peru"
    assert country_get(iso2="xx") is None

    ForeignMunicipalityFactory(name="Kidira", iso2="SN")
    ForeignMunicipalityFactory(name="Dakar", iso2="SN")
    assert list(countries_with_municipalities().values_list("pk", flat=True)) == ["SN"]
