import pytest

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.geo.models import Country, DacIncomeGroup
from partnerportal.geo.services import countries_sync, country_permissions_ensure

pytestmark = pytest.mark.django_db

EDIT_URL = "/admin/snippets/geo/country/edit/PE/"


@pytest.fixture
def countries():
    countries_sync()
    country_permissions_ensure()


def _form(country: Country, **changes) -> dict:
    data = {
        "name_de": country.name_de,
        "name_en": country.name_en,
        "world_region": country.world_region,
        "oda_recipient": "on" if country.oda_recipient else "",
        "dac_income_group": country.dac_income_group,
        "dac_list_years": country.dac_list_years,
        "dac_note": country.dac_note,
        "version": country.version,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != "" or k != "oda_recipient"}


@pytest.mark.parametrize("role", ["agency_editor", "agency_admin"])
def test_staff_edit_a_country_in_the_back_office_and_the_sync_keeps_it(client, countries, role):
    user = UserFactory(role=role, mfa=True)
    client.force_login(user)
    assert client.get("/admin/snippets/geo/country/").status_code == 200
    peru = Country.objects.get(pk="PE")
    response = client.post(EDIT_URL, _form(peru, dac_note="Checked by staff."))
    assert response.status_code == 302, response.content[:2000]
    peru.refresh_from_db()
    assert peru.dac_note == "Checked by staff."
    assert peru.history.first().history_user == user

    countries_sync()
    peru.refresh_from_db()
    assert peru.dac_note == "Checked by staff."
    assert peru.dac_income_group == DacIncomeGroup.UMIC


@pytest.mark.parametrize("role", ["reviewer", "expert", None])
def test_others_cannot_edit_countries(client, countries, role):
    user = UserFactory(role=role, mfa=True)
    client.force_login(user)
    response = client.post(EDIT_URL, _form(Country.objects.get(pk="PE"), dac_note="x"))
    assert response.status_code in (302, 403)
    assert Country.objects.get(pk="PE").dac_note == ""
