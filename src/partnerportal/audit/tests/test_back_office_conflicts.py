"""The back office's (Wagtail) edit forms of registry records refuse a stale save: countries,
municipalities and programmes (core.concurrency, ADR 0005)."""

import re

import pytest

from partnerportal.accounts.tests.clients import Client
from partnerportal.accounts.tests.factories import MunicipalityFactory, UserFactory
from partnerportal.geo.models import Country
from partnerportal.geo.services import countries_sync, country_permissions_ensure
from partnerportal.registry.models import Programme

pytestmark = pytest.mark.django_db


def _version(response) -> str:
    match = re.search(r'name="version"[^>]*value="(\d+)"', response.content.decode())
    assert match, "the back-office form carries no version"
    return match.group(1)


def _staff() -> Client:
    client = Client()
    client.force_login(UserFactory(role="agency_editor", mfa=True))
    return client


def _cases():
    def country():
        countries_sync()
        country_permissions_ensure()
        peru = Country.objects.get(pk="PE")
        data = {
            "name_de": peru.name_de,
            "name_en": peru.name_en,
            "world_region": peru.world_region,
            "dac_income_group": peru.dac_income_group,
            "dac_list_years": peru.dac_list_years,
            **({"oda_recipient": "on"} if peru.oda_recipient else {}),
        }
        return peru, "/admin/snippets/geo/country/edit/PE/", data, "dac_note"

    def municipality():
        town = MunicipalityFactory(name="Altstadt")
        data = {"name": town.name, "name_suffix": "", "country": town.country_id}
        data.update({"kind": town.kind, "verified": "on", "postal_code": "12345"})
        return town, f"/admin/snippets/registry/municipality/edit/{town.pk}/", data, "name_suffix"

    def programme():
        item = Programme.objects.create(slug="klima", name="Klimapartnerschaften")
        data = {"name": item.name, "slug": item.slug, "url": ""}
        return item, f"/admin/snippets/registry/programme/edit/{item.pk}/", data, "description"

    return {"country": country, "municipality": municipality, "programme": programme}


@pytest.mark.parametrize("kind", ["country", "municipality", "programme"])
def test_a_stale_back_office_form_is_refused_and_keeps_the_input(site, kind):
    obj, url, data, field = _cases()[kind]()
    first, second = _staff(), _staff()
    seen_first, seen_second = _version(first.get(url)), _version(second.get(url))

    response = first.post(url, {**data, field: "Zuerst gespeichert", "version": seen_first})
    assert response.status_code == 302, response.content.decode()[:3000]

    response = second.post(url, {**data, field: "Meine Eingabe", "version": seen_second})
    assert response.status_code == 200  # the form again, not a redirect to the list
    text = response.content.decode()
    assert "Nicht gespeichert" in text and "Zuerst gespeichert" in text  # what changed
    assert "Meine Eingabe" in text  # the input is kept
    obj.refresh_from_db()
    assert getattr(obj, field) == "Zuerst gespeichert"  # nothing changed
    assert _version(response) == str(obj.version)  # a second save is a conscious one


def test_an_import_moves_the_version_on_so_an_older_form_is_refused(site):
    obj, url, data, field = _cases()["municipality"]()
    client = _staff()
    seen = _version(client.get(url))
    obj.population = 1234
    obj.save()  # any save: an import, the shell, a revert
    response = client.post(url, {**data, field: "Meine Eingabe", "version": seen})
    assert response.status_code == 200
    obj.refresh_from_db()
    assert obj.name_suffix == ""
