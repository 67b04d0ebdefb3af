"""The atlas map: grid clusters per zoom level and area, the partner-country layer, one place with
its partners, caching under the registry version, and the page and JSON endpoints."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from partnerportal.atlas.selectors.clusters import (
    MapView,
    atlas_clusters,
    atlas_partner_countries,
    atlas_place,
    cell_size,
)
from partnerportal.core.mercator import web_mercator
from partnerportal.registry.selectors.public import PartnershipFilters
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db

ALL = PartnershipFilters()


@pytest.fixture
def network():
    """Köln and Bonn lie 25 km apart, Leipzig further east; partners in Peru, Senegal, France."""
    koeln = MunicipalityFactory(
        name="Köln", latitude=50.9375, longitude=6.9603, state="Nordrhein-Westfalen"
    )
    bonn = MunicipalityFactory(
        name="Bonn", latitude=50.7374, longitude=7.0982, state="Nordrhein-Westfalen"
    )
    leipzig = MunicipalityFactory(
        name="Leipzig", latitude=51.3397, longitude=12.3731, state="Sachsen"
    )
    yarinacocha = ForeignMunicipalityFactory(
        name="Yarinacocha", latitude=-8.35, longitude=-74.5667, iso2="PE"
    )
    kidira = ForeignMunicipalityFactory(name="Kidira", latitude=14.46, longitude=-12.22, iso2="SN")
    lille = ForeignMunicipalityFactory(name="Lille", latitude=50.6292, longitude=3.0573, iso2="FR")
    nowhere = ForeignMunicipalityFactory(
        name="Ohne Koordinaten", latitude=0, longitude=0, iso2="FR"
    )
    nowhere.latitude = nowhere.longitude = None
    nowhere.save()
    return {
        "koeln": koeln,
        "bonn": bonn,
        "leipzig": leipzig,
        "yarinacocha": yarinacocha,
        "kidira": kidira,
        "lille": lille,
        "koeln_yarinacocha": PartnershipFactory(
            between=(koeln, yarinacocha), type="klimapartnerschaft", start_year=2019
        ),
        "bonn_kidira": PartnershipFactory(between=(bonn, kidira), start_year=1990),
        "leipzig_lille": PartnershipFactory(between=(leipzig, lille)),
        "proposed": PartnershipFactory(between=(leipzig, kidira), proposed=True),
        "unmapped": PartnershipFactory(between=(koeln, nowhere)),
    }


def test_web_mercator_matches_the_tile_scheme():
    assert web_mercator(0, 0) == pytest.approx((0.5, 0.5))
    assert web_mercator(85.0511287798, -180)[1] == pytest.approx(0.0, abs=1e-9)
    x, y = web_mercator(50.9375, 6.9603)  # Köln: tile 8/132/85 at zoom 8
    assert int(x * 256) == 132 and int(y * 256) == 85


def test_municipalities_keep_their_map_position_in_step_with_their_coordinates(network):
    koeln = network["koeln"]
    assert (koeln.map_x, koeln.map_y) == pytest.approx(web_mercator(50.9375, 6.9603))
    koeln.latitude = None
    koeln.save(update_fields=["latitude"])
    koeln.refresh_from_db()
    assert koeln.map_x is None and koeln.map_y is None


def test_nearby_places_form_one_cluster_far_out_and_split_as_one_zooms_in(network):
    world = atlas_clusters(ALL, MapView.world(4))
    by_count = sorted(c.count for c in world.clusters)
    # Köln and Bonn share a cell at zoom 4; everything else stands alone. The unconfirmed
    # proposal and the place without coordinates are not on the map.
    assert sum(by_count) == 6
    germany = [c for c in world.clusters if c.count > 1]
    assert len(germany) == 1 and germany[0].country == "DE"
    south, west, north, east = germany[0].bounds
    assert south == pytest.approx(50.7374, abs=1e-3) and north == pytest.approx(50.9375, abs=1e-3)
    assert west == pytest.approx(6.9603, abs=1e-3) and east == pytest.approx(7.0982, abs=1e-3)

    close = atlas_clusters(ALL, MapView(10, 6.5, 50.5, 7.5, 51.2))
    assert sorted((c.name, c.count) for c in close.clusters) == [("Bonn", 1), ("Köln", 1)]
    assert all(c.place is not None for c in close.clusters)


def test_the_visible_area_limits_the_clusters(network):
    africa = atlas_clusters(ALL, MapView(6, -20.0, 5.0, -5.0, 20.0))
    assert [c.name for c in africa.clusters] == ["Kidira"]
    assert africa.partnerships == 4  # totals describe the filtered whole, not the view


def test_filters_apply_to_the_map(network):
    climate = atlas_clusters(PartnershipFilters(type="klimapartnerschaft"), MapView.world(6))
    assert sorted(c.name for c in climate.clusters) == ["Köln", "Yarinacocha"]
    senegal = atlas_clusters(PartnershipFilters(country="SN"), MapView.world(6))
    assert sorted(c.name for c in senegal.clusters) == ["Bonn", "Kidira"]
    assert senegal.bounds == pytest.approx((14.46, -12.22, 14.46, -12.22))


def test_cells_shrink_by_half_per_zoom_level():
    assert cell_size(3) == pytest.approx(cell_size(2) / 2)
    assert cell_size(2) * 256 * 4 == pytest.approx(64)


def test_partner_countries_count_partnerships_reaching_into_them(network):
    with translation.override("en"):
        countries = atlas_partner_countries(ALL)
    assert [(c.iso2, c.numeric, c.count) for c in countries] == [
        ("FR", "250", 2),
        ("PE", "604", 1),
        ("SN", "686", 1),
    ]
    assert countries[0].name == "France"


def test_a_place_lists_its_confirmed_partners_with_their_positions(network):
    with translation.override("en"):
        found = atlas_place(network["leipzig"].pk, ALL)
        data = found.as_json()
        page = reverse("registry:municipality_detail", args=[network["leipzig"].pk])
    assert [(p.name, p.country, p.lat) for p in found.partners] == [("Lille", "France", 50.6292)]
    assert data["url"] == page == f"/en/register/kommunen/{network['leipzig'].pk}/"
    assert data["partners"][0]["url"].endswith(f"/{network['leipzig_lille'].pk}/")


def test_a_change_in_the_registry_makes_cached_answers_stale(
    network, django_capture_on_commit_callbacks
):
    before = atlas_clusters(ALL, MapView(10, 6.5, 50.5, 7.5, 51.2))
    assert len(before.clusters) == 2
    with django_capture_on_commit_callbacks(execute=True):
        bruehl = MunicipalityFactory(name="Brühl", latitude=50.8286, longitude=6.9047)
        PartnershipFactory(between=(bruehl, network["lille"]))
    after = atlas_clusters(ALL, MapView(10, 6.5, 50.5, 7.5, 51.2))
    assert sorted(c.name for c in after.clusters) == ["Bonn", "Brühl", "Köln"]


def test_cached_answers_are_reused_while_nothing_changes(network, django_assert_num_queries):
    atlas_clusters(ALL, MapView.world(2))
    with django_assert_num_queries(0):
        atlas_clusters(ALL, MapView.world(2))
        # A slightly moved view at the same zoom falls into the same blocks of cells.
        atlas_clusters(ALL, MapView(2, -179.0, -84.0, 179.0, 84.0))


# --- Views --------------------------------------------------------------------------------------


def test_the_atlas_page_lists_what_the_map_shows(
    client, site, network, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        response = client.get("/en/atlas/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Yarinacocha" in html and "Kidira" in html
    assert 'id="atlas-initial"' in html
    initial = json.loads(html.split('id="atlas-initial" type="application/json">')[1].split("<")[0])
    assert initial["clusters"]["partnerships"] == 4
    assert {c["iso2"] for c in initial["countries"]} == {"FR", "PE", "SN"}


def test_the_map_is_handed_real_addresses_and_templates_marked_as_such(client, site, network):
    """The page hands the script addresses it asks as they are (data-*-url) and templates for one
    place (data-*-url-template, 0 standing for its id, filled in as atlas.js does). The templates
    were plain data-*-url once: to anyone reading the page, links to place 0, which is a 404."""
    html = client.get("/en/atlas/").content.decode()
    attributes = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', html))
    for name, value in attributes.items():
        if not name.endswith("-url") or not value.startswith("/") or value.startswith("/static/"):
            continue
        try:
            kwargs = resolve(value).kwargs
        except Resolver404:
            kwargs = {}
        assert 0 not in kwargs.values(), f"data-{name} names an object that cannot exist: {value}"
    koeln = network["koeln"].pk
    place = re.sub(r"0\.json$", f"{koeln}.json", attributes["place-url-template"])
    page = re.sub(r"/0/$", f"/{koeln}/", attributes["page-url-template"])
    assert place == reverse("atlas:place", args=[koeln])
    assert client.get(place).json()["name"] == "Köln"
    assert client.get(page).status_code == 200


def test_the_atlas_page_takes_the_registry_filters(client, site, network):
    response = client.get("/en/atlas/", {"country": "SN", "sort": "partner"})
    html = response.content.decode()
    assert "Kidira" in html and "Yarinacocha" not in html
    assert 'data-query="country=SN"' in html


def test_cluster_json_answers_a_view_and_refuses_a_malformed_one(client, network):
    url = reverse("atlas:clusters")
    answer = client.get(url, {"z": 10, "w": 6.5, "s": 50.5, "e": 7.5, "n": 51.2})
    assert answer.status_code == 200
    assert sorted(c["name"] for c in answer.json()["clusters"]) == ["Bonn", "Köln"]
    assert "public" in answer["Cache-Control"]
    for bad in (
        {},
        {"z": "x", "w": 0, "s": 0, "e": 1, "n": 1},
        {"z": 99, "w": 0, "s": 0, "e": 1, "n": 1},
    ):
        refused = client.get(url, bad)
        assert refused.status_code == 400
        # An error is no version of the map: nothing a cache or client could keep as one.
        assert "ETag" not in refused and "Last-Modified" not in refused
        assert refused["Content-Type"] == "application/json"


def test_json_answers_carry_an_etag_and_answer_304_until_the_registry_changes(
    client, network, django_capture_on_commit_callbacks
):
    url = reverse("atlas:countries")
    first = client.get(url)
    etag = first["ETag"]
    assert first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url + "?type=kontakt", HTTP_IF_NONE_MATCH=etag).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        PartnershipFactory(between=(network["leipzig"], network["yarinacocha"]))
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert {c["iso2"]: c["count"] for c in again.json()["countries"]}["PE"] == 2


def test_place_json_and_unknown_places(client, network):
    found = client.get(reverse("atlas:place", args=[network["koeln"].pk]))
    assert found.status_code == 200
    assert [p["name"] for p in found.json()["partners"]] == ["Ohne Koordinaten", "Yarinacocha"]
    assert client.get(reverse("atlas:place", args=[999999])).status_code == 404


def test_unconfirmed_partnerships_never_reach_the_map(client, network):
    answer = client.get(reverse("atlas:place", args=[network["kidira"].pk])).json()
    assert [p["name"] for p in answer["partners"]] == ["Bonn"]
