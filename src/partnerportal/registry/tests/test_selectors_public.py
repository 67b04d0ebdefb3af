"""Selectors of the public registry pages: search folding and order, list filters and sorting."""

from __future__ import annotations

import pytest

from partnerportal.geo.models import Country
from partnerportal.geo.services import country_ensure
from partnerportal.registry.models import Partnership, Theme
from partnerportal.registry.selectors.public import (
    PartnershipFilters,
    municipality_search,
    partnership_list,
    partnership_rows,
)
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


def names(queryset) -> list[str]:
    return [m.name for m in queryset]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Munster", "Münster"), ("Strasse", "Straße"), ("Koln", "Köln"), ("KÖLN", "Köln")],
)
def test_search_folds_umlauts_and_sharp_s(query, expected):
    for name in ("Münster", "Straße", "Köln", "Bonn"):
        MunicipalityFactory(name=name)
    assert expected in names(municipality_search(query))
    assert "Bonn" not in names(municipality_search(query))


def test_search_puts_prefix_matches_first_then_larger_places():
    MunicipalityFactory(name="Bad Münster", population=5_000_000)
    MunicipalityFactory(name="Münsterdorf", population=2_000)
    MunicipalityFactory(name="Münster", population=300_000)
    MunicipalityFactory(name="Münstermaifeld", population=None)
    assert names(municipality_search("Mün")) == [
        "Münster",
        "Münsterdorf",
        "Münstermaifeld",
        "Bad Münster",
    ]


def test_short_queries_match_name_prefixes_only():
    MunicipalityFactory(name="Bad Münster")
    MunicipalityFactory(name="Münster")
    assert names(municipality_search("Mü")) == ["Münster"]
    assert names(municipality_search("Mün")) == ["Münster", "Bad Münster"]


def test_search_filters_by_country():
    MunicipalityFactory(name="Frankfurt")
    ForeignMunicipalityFactory(name="Frankfort", iso2="US")
    assert names(municipality_search("Frank", country="US")) == ["Frankfort"]
    assert names(municipality_search("")) == []


@pytest.fixture
def network():
    country_ensure("DE")
    Country.objects.filter(pk="PE").delete()
    peru = country_ensure("PE")
    peru.world_region = "lateinamerika"
    peru.save()
    ukraine = country_ensure("UA")
    ukraine.world_region = "osteuropa"
    ukraine.save()
    france = country_ensure("FR")
    france.world_region = "europa"
    france.save()
    koeln = MunicipalityFactory(name="Köln", state="Nordrhein-Westfalen")
    leipzig = MunicipalityFactory(name="Leipzig", state="Sachsen")
    yarinacocha = ForeignMunicipalityFactory(name="Yarinacocha", iso2="PE")
    kyjiw = ForeignMunicipalityFactory(name="Kyjiw", iso2="UA")
    lyon = ForeignMunicipalityFactory(name="Lyon", iso2="FR")
    climate = Theme.objects.get_or_create(
        code="klimaschutz",
        defaults={"kind": "field", "name_de": "Klimaschutz", "name_en": "Climate"},
    )[0]
    p1 = PartnershipFactory(
        between=(koeln, yarinacocha), type="klimapartnerschaft", status="aktiv", start_year=2015
    )
    p1.themes.add(climate)
    p2 = PartnershipFactory(
        between=(leipzig, kyjiw), type="partnerschaft", status="ruhend", start_year=1961
    )
    p3 = PartnershipFactory(
        between=(kyjiw, lyon), type="partnerschaft", status="aktiv", start_year=1990
    )
    p4 = PartnershipFactory(
        between=(koeln, leipzig), type="freundschaft", status="aktiv", start_year=None
    )
    hidden = PartnershipFactory(between=(leipzig, lyon), proposed=True)
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "hidden": hidden}


def page_rows(filters: PartnershipFilters) -> list[Partnership]:
    return partnership_rows(list(partnership_list(filters).values_list("pk", flat=True)))


def listed(**kwargs) -> set[int]:
    return {p.pk for p in partnership_list(PartnershipFilters(**kwargs))}


def test_list_shows_confirmed_pairs_with_a_german_side_and_a_partner_abroad_by_default(network):
    assert listed() == {network["p1"].pk, network["p2"].pk}
    # Köln–Leipzig is inner-German: listed when asked for, with Germany as its partner country.
    assert listed(include_inner_german=True) == {network[k].pk for k in ("p1", "p2", "p4")}
    assert listed(country="DE", include_inner_german=True) == {network["p4"].pk}
    assert listed(country="DE") == set()
    everything = {network[k].pk for k in ("p1", "p2", "p3", "p4")}
    assert listed(include_non_german=True, include_inner_german=True) == everything
    assert listed(include_non_german=True) == everything - {network["p4"].pk}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"state": "Sachsen"}, {"p2"}),
        ({"state": "Sachsen", "include_inner_german": True}, {"p2", "p4"}),
        ({"country": "PE"}, {"p1"}),
        ({"region": "osteuropa"}, {"p2"}),
        ({"region": "osteuropa", "include_non_german": True}, {"p2", "p3"}),
        ({"type": "freundschaft", "include_inner_german": True}, {"p4"}),
        ({"region": "europa"}, set()),  # not every pair through its German side
        ({"region": "europa", "include_inner_german": True}, {"p4"}),
        ({"theme": "klimaschutz"}, {"p1"}),
        ({"status": "ruhend"}, {"p2"}),
        ({"year_from": 2000}, {"p1"}),
        ({"year_to": 2000}, {"p2"}),
        ({"year_from": 1960, "year_to": 2020, "state": "Nordrhein-Westfalen"}, {"p1"}),
    ],
)
def test_each_filter_narrows_the_list(network, filters, expected):
    assert listed(**filters) == {network[k].pk for k in expected}


@pytest.mark.parametrize(
    ("sort", "descending", "expected"),
    [
        ("german", False, ["Köln", "Köln", "Leipzig"]),
        ("partner", False, ["Kyjiw", "Leipzig", "Yarinacocha"]),
        ("partner", True, ["Yarinacocha", "Leipzig", "Kyjiw"]),
        ("start", False, [1961, 2015, None]),
        ("start", True, [2015, 1961, None]),
    ],
)
def test_sorting(network, sort, descending, expected):
    rows = page_rows(
        PartnershipFilters(sort=sort, descending=descending, include_inner_german=True)
    )
    if sort == "german":
        got = [row.home.name for row in rows]
    elif sort == "partner":
        got = [row.partner.name for row in rows]
    else:
        got = [row.start_year for row in rows]
    assert got == expected


def test_rows_put_the_german_side_first(network):
    rows = page_rows(PartnershipFilters(country="UA"))
    assert [(r.home.name, r.partner.name) for r in rows] == [("Leipzig", "Kyjiw")]
