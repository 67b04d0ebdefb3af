"""Statistics of the network: exact counts on a small registry (filters applied, proposed
partnerships left out, inner-German pairs only when asked for), what each chart knows, the cache
under the registry version, the page and its downloads."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import translation

from partnerportal.atlas.selectors import statistics
from partnerportal.geo.models import Country
from partnerportal.geo.services import country_ensure
from partnerportal.registry.changes import REGISTRY_VERSION
from partnerportal.registry.models import Partnership, Theme
from partnerportal.registry.selectors.public import PartnershipFilters, partnership_count
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def country(iso2: str, region: str, oda: bool) -> Country:
    item = country_ensure(iso2)
    item.world_region = region
    item.oda_recipient = oda
    item.save()
    return item


@pytest.fixture
def network():
    """Three confirmed pairs with a German side and a partner abroad, one inner-German
    (Köln–Leipzig), one without a German side, one proposed (unconfirmed)."""
    country("DE", "europa", False)
    country("PE", "lateinamerika", True)
    country("UA", "osteuropa", True)
    country("FR", "europa", False)
    koeln = MunicipalityFactory(name="Köln", state="Nordrhein-Westfalen")
    leipzig = MunicipalityFactory(name="Leipzig", state="Sachsen")
    bonn = MunicipalityFactory(name="Bonn", state="Nordrhein-Westfalen")
    yarinacocha = ForeignMunicipalityFactory(name="Yarinacocha", iso2="PE")
    kyjiw = ForeignMunicipalityFactory(name="Kyjiw", iso2="UA")
    lyon = ForeignMunicipalityFactory(name="Lyon", iso2="FR")
    climate = Theme.objects.get(code="klimaschutz")
    sdg13 = Theme.objects.get(code="sdg-13")
    p1 = PartnershipFactory(
        between=(koeln, yarinacocha), type="klimapartnerschaft", status="aktiv", start_year=2015
    )
    p1.themes.add(climate, sdg13)
    p2 = PartnershipFactory(
        between=(leipzig, kyjiw), type="partnerschaft", status="ruhend", start_year=1961
    )
    p3 = PartnershipFactory(
        between=(kyjiw, lyon), type="partnerschaft", status="aktiv", start_year=1990
    )
    p4 = PartnershipFactory(
        between=(koeln, leipzig), type="freundschaft", status="aktiv", start_year=None
    )
    p5 = PartnershipFactory(
        between=(bonn, lyon), type="partnerschaft", status="aktiv", start_year=1962
    )
    hidden = PartnershipFactory(
        between=(leipzig, lyon), type="partnerschaft", start_year=1961, proposed=True
    )
    hidden.themes.add(climate)
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5, "koeln": koeln}


def values(series: statistics.Series) -> dict[str, int]:
    return {row.key: row.value for row in series.rows}


def nonzero(series: statistics.Series) -> dict[str, int]:
    return {key: n for key, n in values(series).items() if n}


# --- Selectors --------------------------------------------------------------------------------


def test_summary_counts_confirmed_pairs_with_a_german_side_and_a_partner_abroad(network):
    summary = statistics.summary(PartnershipFilters())
    assert summary.partnerships == 3
    assert summary.german_municipalities == 3  # Köln, Leipzig, Bonn
    assert summary.foreign_municipalities == 3  # Yarinacocha, Kyjiw, Lyon
    assert summary.partner_countries == 3  # PE, UA, FR
    assert (summary.dac.count, summary.dac.total) == (2, 3)
    assert summary.inner_german_left_out == 1  # Köln–Leipzig
    assert summary.start_year_known == 3
    assert summary.start_year_unplaced is None


def test_inner_german_pairs_count_when_asked_for_with_germany_as_partner(network):
    filters = PartnershipFilters(include_inner_german=True)
    summary = statistics.summary(filters)
    assert summary.partnerships == 4
    assert summary.partner_countries == 4  # and Germany
    assert summary.inner_german_left_out is None
    assert values(statistics.by_country(filters))["DE"] == 1
    # Köln–Leipzig is one of North Rhine-Westphalia's and one of Saxony's, as the Land filter.
    assert nonzero(statistics.by_state(filters)) == {"Nordrhein-Westfalen": 3, "Sachsen": 2}
    with translation.override("en"):
        assert "both" in statistics.by_state(filters).note
    assert statistics.summary(PartnershipFilters(country="DE", include_inner_german=True)) \
        .partnerships == 1  # fmt: skip


def test_a_period_says_how_many_it_cannot_place(network):
    summary = statistics.summary(PartnershipFilters(year_from=1900, include_inner_german=True))
    assert summary.partnerships == 3
    assert summary.start_year_unplaced == 1  # Köln–Leipzig, start unknown


def test_by_state_lists_all_sixteen_lander(network):
    series = statistics.by_state(PartnershipFilters())
    assert len(series.rows) == 16
    assert nonzero(series) == {"Nordrhein-Westfalen": 2, "Sachsen": 1}
    assert series.rows[0].key == "Nordrhein-Westfalen"  # largest first
    assert series.total == 3
    assert not series.note


def test_by_country_counts_the_partner_side(network):
    series = statistics.by_country(PartnershipFilters())
    assert values(series) == {"PE": 1, "UA": 1, "FR": 1}  # no Germany: Köln–Leipzig left out


def test_without_a_german_side_both_countries_are_partners(network):
    filters = PartnershipFilters(include_non_german=True)
    assert values(statistics.by_country(filters)) == {"PE": 1, "UA": 2, "FR": 2}  # Kyjiw–Lyon
    assert nonzero(statistics.by_region(filters)) == {
        "lateinamerika": 1,
        "osteuropa": 2,
        "europa": 2,
    }
    with translation.override("en"):
        assert "both" in statistics.by_country(filters).note


def test_by_country_sums_up_the_rest(network):
    series = statistics.by_country(PartnershipFilters(include_inner_german=True), top=2)
    assert [row.key for row in series.rows][-1] == "other"
    assert series.rows[-1].value == 2
    assert sum(row.value for row in series.rows) == 4


def test_by_region_type_status(network):
    filters = PartnershipFilters()
    assert nonzero(statistics.by_region(filters)) == {
        "lateinamerika": 1,
        "osteuropa": 1,
        "europa": 1,  # Bonn–Lyon; a German side is nobody's partner in Europe
    }
    assert nonzero(statistics.by_type(filters)) == {
        "klimapartnerschaft": 1,
        "partnerschaft": 2,
    }
    status = statistics.by_status(filters)
    assert [row.key for row in status.rows][:2] == ["anbahnung", "aktiv"]  # life-cycle order
    assert nonzero(status) == {"aktiv": 2, "ruhend": 1}
    assert status.known is None and status.drawn  # nothing imported: all recorded


def test_themes_and_sdgs_apart(network):
    filters = PartnershipFilters()
    sdg = statistics.by_sdg(filters)
    assert len(sdg.rows) == 17
    assert [row.key for row in sdg.rows][:2] == ["sdg-1", "sdg-2"]
    assert nonzero(sdg) == {"sdg-13": 1}
    assert sdg.total == 3
    assert sdg.known == 1 and not sdg.drawn  # one of three has a goal: no drawing from it
    assert nonzero(statistics.by_theme(filters)) == {"klimaschutz": 1}  # the proposed one not


def test_decades_and_growth(network):
    filters = PartnershipFilters(include_inner_german=True)
    decades = statistics.by_decade(filters)
    assert values(decades) == {
        "1960": 2,
        "1970": 0,
        "1980": 0,
        "1990": 0,
        "2000": 0,
        "2010": 1,
        "unknown": 1,
    }
    assert decades.rows[0].label == "1960–1969"
    growth = statistics.growth(filters)
    assert growth.rows[0].key == "1961" and growth.rows[0].values == (1, 1)
    assert growth.rows[1].values == (2, 1)
    assert growth.rows[-1].key == "2015" and growth.rows[-1].values == (3, 1)
    assert len(growth.rows) == 2015 - 1961 + 1
    assert "1" in growth.note
    assert (decades.known, growth.known, growth.known_of) == (3, 3, 4)
    assert "3" in decades.knowledge and "4" in decades.knowledge
    assert not decades.drawn and not growth.drawn  # three of four: too few to draw


def test_imported_defaults_are_not_counted_as_known_types(network):
    """The twin towns lists name no type or status: their rows are a "Partnerschaft" that is
    "aktiv" by default, and the charts say so instead of drawing 99.9 % "Partnerschaft"."""
    from partnerportal.registry.models import ImportRun

    run = ImportRun.objects.create(kind=ImportRun.Kind.TWINNINGS, file_name="twin_cities.csv")
    Partnership.objects.filter(pk=network["p5"].pk).update(import_run=run)
    Partnership.objects.filter(pk=network["p1"].pk).update(import_run=run)  # a Klimapartnerschaft
    types = statistics.by_type(PartnershipFilters())
    assert nonzero(types) == {"klimapartnerschaft": 1, "partnerschaft": 2}  # as the type filter
    assert types.known == 2  # Bonn–Lyon's "Partnerschaft" is the import's default
    assert "2" in types.knowledge and "3" in types.knowledge
    status = statistics.by_status(PartnershipFilters())
    assert status.known == 1  # Leipzig–Kyjiw's "ruhend" was recorded; both imported are "aktiv"
    assert not status.drawn


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (PartnershipFilters(include_non_german=True), 4),
        (PartnershipFilters(include_inner_german=True), 4),
        (PartnershipFilters(state="Sachsen"), 1),
        (PartnershipFilters(state="Sachsen", include_inner_german=True), 2),
        (PartnershipFilters(country="FR"), 1),
        (PartnershipFilters(country="DE"), 0),
        (PartnershipFilters(country="DE", include_inner_german=True), 1),
        (PartnershipFilters(region="osteuropa"), 1),
        (PartnershipFilters(region="europa"), 1),  # not every pair, through its German side
        (PartnershipFilters(region="europa", include_inner_german=True), 2),
        (PartnershipFilters(type="partnerschaft"), 2),
        (PartnershipFilters(status="ruhend"), 1),
        (PartnershipFilters(theme="klimaschutz"), 1),
        (PartnershipFilters(year_from=1962), 2),
        (PartnershipFilters(year_to=1961), 1),
    ],
)
def test_filters_apply_to_every_figure(network, filters, expected):
    data = statistics.network_statistics(filters)
    assert data.summary.partnerships == expected
    assert partnership_count(filters) == expected  # the list's count, the same selector
    for key in ("type", "status", "decade", "dac"):
        assert sum(row.value for row in data.charts[key].rows) == expected, key
    # A pair counts once for each Land and partner country it has (two for an inner-German pair
    # across Länder or a pair without a German side), never less than once.
    for key in ("state", "region", "country"):
        assert sum(row.value for row in data.charts[key].rows) >= expected, key


def test_without_a_german_side_the_home_side_is_unknown(network):
    series = statistics.by_state(PartnershipFilters(include_non_german=True))
    assert values(series)["unknown"] == 1


def test_fixed_number_of_queries(network, django_assert_max_num_queries):
    # Six reads, the version and the cache (read, and the database cache's write).
    with django_assert_max_num_queries(12):
        statistics.network_statistics(PartnershipFilters())
    with django_assert_max_num_queries(2):  # the version and the entry
        statistics.network_statistics(PartnershipFilters())


def test_cache_follows_the_registry_version(network):
    first = statistics.network_statistics(PartnershipFilters())
    assert first.summary.partnerships == 3
    Partnership.objects.filter(pk=network["p5"].pk).update(is_confirmed=False)
    # Unchanged version (update() sends no signal): the cached figures stay.
    assert statistics.network_statistics(PartnershipFilters()).summary.partnerships == 3
    REGISTRY_VERSION.bump()
    assert statistics.network_statistics(PartnershipFilters()).summary.partnerships == 2


def test_cache_key_ignores_sorting_and_separates_language_and_filters():
    base = PartnershipFilters()
    assert statistics.cache_key(base) == statistics.cache_key(
        PartnershipFilters(sort="start", descending=True)
    )
    assert statistics.cache_key(base) != statistics.cache_key(PartnershipFilters(state="Bayern"))
    with translation.override("en"):
        english = statistics.cache_key(base)
    with translation.override("de"):
        assert statistics.cache_key(base) != english


# --- Page and downloads -----------------------------------------------------------------------


def test_page_renders_in_both_languages(client, site, network, django_assert_max_num_queries):
    for language in ("de", "en"):
        with translation.override(language), django_assert_max_num_queries(40):
            response = client.get(reverse("atlas:statistics"))
        assert response.status_code == 200
        charts = statistics.network_statistics(PartnershipFilters()).charts
        drawn = [key for key, series in charts.items() if series.drawn]
        assert {"state", "country", "type"} <= set(drawn)
        assert "sdg" not in drawn  # a goal recorded for one of three
        assert response.text.count("<figure") == len(drawn)
        assert response.text.count("<table") == len(statistics.CHARTS)
        assert 'role="img"' in response.text
        assert "<style" not in response.text.split("<body", 1)[1]
        assert ' style="' not in response.text


def test_page_with_a_warm_cache_makes_few_queries(
    client, site, network, django_assert_max_num_queries
):
    url = reverse("atlas:statistics")
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_page_texts_in_english(client, site, network):
    with translation.override("en"):
        response = client.get(reverse("atlas:statistics"), {"state": "Sachsen"})
        csv_url = reverse("atlas:statistics_csv", args=["type"])
    text = response.text
    assert "Partnerships by federal state" in text
    assert '<th class="kern-table__header" scope="col">Federal state</th>' in text
    assert "100.0%" in text  # DAC share of Leipzig's one pair abroad (Kyjiw)
    assert "Not counted: 1 inner-German partnership" in text  # Köln–Leipzig
    assert "“Partnerships by type” as CSV table" in text
    # The download links carry the filters.
    assert csv_url + "?state=Sachsen" in text


def test_csv_download(client, network):
    with translation.override("en"):
        url = reverse("atlas:statistics_csv", args=["region"])
        response = client.get(url, {"state": "Nordrhein-Westfalen"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Key", "World region", "Partnerships"]
    assert rows[0][-1] == "Source and licence"
    by_key = {row[0]: row for row in rows[1:]}
    assert by_key["lateinamerika"][2] == "1"
    assert by_key["europa"][2] == "1"  # Bonn–Lyon (Köln–Leipzig is inner-German)
    assert all("dl-de/by-2-0" in row[-1] and "CC BY-SA 4.0" in row[-1] for row in rows[1:])


def test_csv_download_writes_formulas_as_text(client, network):
    """Country names are edited in the back office: one that looks like a formula must not run
    in the spreadsheet of whoever downloads the chart."""
    Country.objects.filter(pk="PE").update(name_en="=HYPERLINK(1)", name_de="=HYPERLINK(1)")
    # update() sends no signal; the statistics are cached under the registry version
    REGISTRY_VERSION.bump()
    with translation.override("en"):
        response = client.get(reverse("atlas:statistics_csv", args=["country"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_key = {row[0]: row for row in rows[1:]}
    assert by_key["PE"][1] == "'=HYPERLINK(1)"
    assert by_key["PE"][2] == "1"


def test_svg_download_is_a_standalone_accessible_image(client, network):
    response = client.get(reverse("atlas:statistics_svg", args=["growth"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own output)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None
    assert "CC BY-SA 4.0" in response.content.decode()


@pytest.mark.parametrize("name", ["atlas:statistics_csv", "atlas:statistics_svg"])
def test_unknown_chart_is_404(client, network, name):
    assert client.get(reverse(name, args=["nonsense"])).status_code == 404


def test_invalid_filter_values_are_ignored(client, site, network):
    response = client.get(reverse("atlas:statistics"), {"state": "Atlantis", "year_from": "x"})
    assert response.status_code == 200


def test_tables_link_lander_and_countries(client, site, network):
    with translation.override("en"):
        response = client.get(reverse("atlas:statistics"))
        state_url = reverse("registry:state_detail", args=["nordrhein-westfalen"])
        country_url = reverse("registry:country_detail", args=["PE"])
    assert f'href="{state_url}"' in response.text
    assert f'href="{country_url}"' in response.text
