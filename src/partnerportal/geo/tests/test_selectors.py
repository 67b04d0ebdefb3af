import pytest

from partnerportal.geo.models import WorldRegion
from partnerportal.geo.selectors import country_get, country_list
from partnerportal.geo.services import countries_sync

pytestmark = pytest.mark.django_db


def test_country_reads():
    countries_sync()
    africa = country_list(region=WorldRegion.AFRICA)
    assert africa.filter(pk="SN").exists() and not africa.filter(pk="DE").exists()
    assert not country_list(oda_recipient=True).filter(pk="DE").exists()
    assert country_list().count() == 249
    assert country_get(iso2="pe").name_en == "Peru"
    assert country_get(iso2="xx") is None
