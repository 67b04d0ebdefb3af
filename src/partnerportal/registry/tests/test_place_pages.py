"""The place pages: a Land, a country, and the small charts on a municipality's page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from partnerportal.atlas.selectors import places
from partnerportal.geo.services import country_ensure
from partnerportal.registry.selectors.public import FEDERAL_STATES
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(site):
    for iso2, region, oda in (
        ("DE", "europa", False),
        ("PE", "lateinamerika", True),
        ("FR", "europa", False),
    ):
        item = country_ensure(iso2)
        item.world_region, item.oda_recipient = region, oda
        if iso2 == "PE":
            item.dac_income_group = "umic"
        item.save()
    muenchen = MunicipalityFactory(name="München", state="Bayern")
    nuernberg = MunicipalityFactory(name="Nürnberg", state="Bayern")
    koeln = MunicipalityFactory(name="Köln", state="Nordrhein-Westfalen")
    lima = ForeignMunicipalityFactory(name="Lima", iso2="PE")
    cusco = ForeignMunicipalityFactory(name="Cusco", iso2="PE")
    lyon = ForeignMunicipalityFactory(name="Lyon", iso2="FR")
    PartnershipFactory(between=(muenchen, lima), type="partnerschaft", start_year=1995)
    PartnershipFactory(between=(muenchen, lyon), type="freundschaft", start_year=1961)
    PartnershipFactory(between=(nuernberg, cusco), type="klimapartnerschaft", start_year=2012)
    PartnershipFactory(between=(koeln, lima), type="partnerschaft", start_year=2001)
    PartnershipFactory(between=(muenchen, koeln), type="kontakt")
    PartnershipFactory(between=(nuernberg, lyon), proposed=True)  # proposed: counts nowhere
    return {"muenchen": muenchen, "nuernberg": nuernberg, "koeln": koeln, "lima": lima}


def test_state_slugs_cover_the_sixteen_lander():
    assert places.state_slug("Baden-Württemberg") == "baden-wuerttemberg"
    assert places.state_slug("Thüringen") == "thueringen"
    assert sorted(places.STATE_SLUGS.values()) == sorted(FEDERAL_STATES)


def test_state_page_selector(network):
    page = places.state_page("bayern")
    assert page.state == "Bayern"
    # The proposed Nürnberg–Lyon is left out, and the inner-German München–Köln is counted
    # apart (as in the statistics and the list).
    assert page.summary.partnerships == 3
    assert page.summary.inner_german_left_out == 1
    assert page.top.municipalities_with_partnerships == 2
    assert [(m.name, m.partnerships) for m in page.top.top] == [("München", 2), ("Nürnberg", 1)]
    countries = {row.key: row.value for row in page.charts["country"].rows}
    assert countries == {"PE": 2, "FR": 1}
    assert set(page.charts) == {"region", "country", "decade"}


def test_country_page_selector(network):
    page = places.country_page("pe")
    assert page.country.pk == "PE"
    assert page.summary.partnerships == 3
    assert [(m.name, m.partnerships) for m in page.top.top] == [("Lima", 2), ("Cusco", 1)]
    states = {row.key: row.value for row in page.charts["state"].rows if row.value}
    assert states == {"Bayern": 2, "Nordrhein-Westfalen": 1}


def test_municipality_charts(network):
    series = places.municipality_charts(network["muenchen"])
    regions = {row.key: row.value for row in series["region"].rows}
    assert regions == {"lateinamerika": 1, "europa": 1}  # Köln is listed apart, inner-German
    types = {row.key: row.value for row in series["type"].rows}
    assert types == {"partnerschaft": 1, "freundschaft": 1}
    assert places.municipality_charts(MunicipalityFactory(name="Einsam")) == {}


@pytest.mark.parametrize("language", ["de", "en"])
def test_state_page_renders(client, network, language, django_assert_max_num_queries):
    with translation.override(language), django_assert_max_num_queries(45):
        url = reverse("registry:state_detail", args=["bayern"])
        response = client.get(url)
    assert response.status_code == 200
    text = response.text
    assert "<h1" in text and "Bayern" in text
    assert f"/kommunen/{network['muenchen'].pk}/" in text
    assert "state=Bayern" in text  # the filtered list, the statistics and the atlas
    assert text.count("<figure") == 3
    assert text.count("<table") == 3
    # A second view reads the cached figures.
    with translation.override(language), django_assert_max_num_queries(15):
        client.get(url)


@pytest.mark.parametrize("language", ["de", "en"])
def test_country_page_renders(client, network, language, django_assert_max_num_queries):
    with translation.override(language), django_assert_max_num_queries(45):
        url = reverse("registry:country_detail", args=["PE"])
        response = client.get(url)
    assert response.status_code == 200
    assert "country=PE" in response.text
    assert response.text.count("<figure") == 2
    assert f"/kommunen/{network['lima'].pk}/" in response.text
    # Small charts name only the Länder with partners in the country.
    assert "Bayern" in response.text and "Thüringen" not in response.text


def test_country_page_in_english(client, network):
    with translation.override("en"):
        response = client.get(reverse("registry:country_detail", args=["PE"]))
    assert "Peru" in response.text
    assert "on the list" in response.text
    assert "Upper middle-income countries and territories" in response.text
    assert "Partnerships by federal state" in response.text


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("registry:state_detail", ["atlantis"]),
        ("registry:country_detail", ["XX"]),
        ("registry:country_detail", ["D\x00"]),  # a DataError (500) on PostgreSQL
    ],
)
def test_unknown_places_are_404(client, site, name, args):
    assert client.get(reverse(name, args=args)).status_code == 404


def test_municipality_page_shows_small_charts_and_links(
    client, network, django_assert_max_num_queries
):
    with translation.override("en"), django_assert_max_num_queries(20):
        url = reverse("registry:municipality_detail", args=[network["muenchen"].pk])
        response = client.get(url)
    text = response.text
    assert "Partners by world region" in text
    assert text.count("<figure") == 2
    with translation.override("en"):
        assert reverse("registry:state_detail", args=["bayern"]) in text
        assert reverse("registry:country_detail", args=["DE"]) in text


def test_municipality_without_partnerships_has_no_charts(client, site):
    municipality = MunicipalityFactory(name="Einsam", state="Bayern")
    with translation.override("en"):
        response = client.get(reverse("registry:municipality_detail", args=[municipality.pk]))
    assert "<figure" not in response.text
    assert "Partners by world region" not in response.text
