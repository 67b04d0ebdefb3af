"""Inner-German pairs (a Berlin district with Wetzlar) are partnerships, kept as what they are: a
group of their own on the municipality page, in the list and the API only when asked for, and
the year filter says how many partnerships it cannot place for want of a start year."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from partnerportal.geo.services import country_ensure
from partnerportal.registry.changes import REGISTRY_VERSION
from partnerportal.registry.forms.filters import PartnershipFilterForm
from partnerportal.registry.models import Partnership
from partnerportal.registry.selectors.public import (
    PartnershipFilters,
    municipality_page,
    partnership_count,
    start_year_unknown_count,
)
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairs():
    country_ensure("DE")
    berlin = MunicipalityFactory(name="Berlin", state="Berlin")
    wetzlar = MunicipalityFactory(name="Wetzlar", state="Hessen")
    paris = ForeignMunicipalityFactory(name="Paris", iso2="FR")
    return {
        "berlin": berlin,
        "wetzlar": wetzlar,
        "abroad": PartnershipFactory(between=(berlin, paris), start_year=1987),
        "inner": PartnershipFactory(between=(berlin, wetzlar), start_year=None),
    }


def test_municipality_page_groups_inner_german_partnerships(pairs, client, site):
    page = municipality_page(pairs["berlin"].pk, user=None)
    assert [row.partner_name for row in page.partnerships] == ["Paris"]
    assert [row.partner_name for row in page.inner_german] == ["Wetzlar"]
    with translation.override("en"):
        response = client.get(reverse("registry:municipality_detail", args=[pairs["wetzlar"].pk]))
    text = response.text
    assert "Inner-German partnerships" in text
    assert "No partnerships are recorded" not in text  # it has one, in Germany
    section = text.split('id="inner-german-heading"', 1)[1]
    assert "Berlin" in section


def test_a_place_abroad_keeps_all_its_partnerships_in_one_table(pairs):
    paris = Partnership.objects.get(pk=pairs["abroad"].pk).municipality_b
    if paris.country_id == "DE":
        paris = Partnership.objects.get(pk=pairs["abroad"].pk).municipality_a
    page = municipality_page(paris.pk, user=None)
    assert [row.partner_name for row in page.partnerships] == ["Berlin"]
    assert page.inner_german == []


def test_the_list_includes_inner_german_pairs_only_when_asked(pairs, client, site):
    assert partnership_count(PartnershipFilters()) == 1
    assert partnership_count(PartnershipFilters(include_inner_german=True)) == 2
    assert partnership_count(PartnershipFilters(country="DE", include_inner_german=True)) == 1
    url = reverse("registry:partnership_list")
    assert client.get(url).context["page"].paginator.count == 1
    assert client.get(url, {"inner_german": "on"}).context["page"].paginator.count == 2


def test_the_api_keeps_every_pair_and_the_list_scope_on_request(pairs, client):
    def count(**params) -> int:
        return client.get("/api/v1/partnerships", params).json()["count"]

    assert count() == 2  # every confirmed pair
    assert count(german_side="true") == 1  # as the list
    assert count(german_side="true", inner_german="true") == 2
    assert count(country="DE") == 1  # Germany as the partner: the inner-German pair


def test_the_year_filter_says_how_many_it_cannot_place(pairs):
    assert start_year_unknown_count(PartnershipFilters(include_inner_german=True)) == 1
    assert start_year_unknown_count(PartnershipFilters()) == 0  # the unknown one is inner-German
    # The period itself does not change how many it cannot place.
    assert (
        start_year_unknown_count(PartnershipFilters(include_inner_german=True, year_from=1990)) == 1
    )
    with translation.override("de"):
        form = PartnershipFilterForm({"inner_german": "on", "year_from": "1980"})
        assert form["year_from"].help_text == ""  # reading the filters does not count
        form.start_year_help_add()  # the views that show the form do
        assert str(form["year_from"].help_text) == (
            "Ohne bekanntes Startjahr: 1 – in keinem Zeitraum enthalten."
        )
        assert "Ohne bekanntes Startjahr: 1" in str(form)
    Partnership.objects.filter(pk=pairs["inner"].pk).update(start_year=1990)
    REGISTRY_VERSION.bump()  # update() sends no signal; the count is cached under the version
    with translation.override("de"):
        form = PartnershipFilterForm({"inner_german": "on"})
        form.start_year_help_add()
        assert str(form["year_from"].help_text) == ""
