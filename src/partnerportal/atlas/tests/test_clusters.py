"""Clusters that never overlap on screen, named by their largest place, with the names of the
larger places beside them; checked as a property over generated dense data at every zoom level
and over the real reference data at several zoom levels and areas."""

from __future__ import annotations

import itertools
import random

import pytest
from django.db import transaction
from django.urls import reverse

from partnerportal.atlas.selectors.clusters import (
    MAX_ZOOM,
    MIN_ZOOM,
    Cluster,
    ClusterLayer,
    MapView,
    _labels,
    _latitude,
    _longitude,
    atlas_clusters,
    boxes_overlap,
    label_box,
    marker_box,
    marker_size,
    markers_overlap,
)
from partnerportal.core.mercator import web_mercator
from partnerportal.registry.models import Municipality
from partnerportal.registry.selectors.public import PartnershipFilters
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db

ALL = PartnershipFilters()


def assert_no_overlap(layer) -> None:
    clusters = layer.clusters
    for a, b in itertools.combinations(clusters, 2):
        assert not markers_overlap(a.x, a.y, a.count, b.x, b.y, b.count, layer.zoom), (a, b)
    # The names cover no marker but their own, and no other name.
    boxes = [
        label_box(*web_mercator(lb.lat, lb.lng), lb.name, lb.offset, layer.zoom)
        for lb in layer.labels
    ]
    for a, b in itertools.combinations(boxes, 2):
        assert not boxes_overlap(a, b)
    for label, box in zip(layer.labels, boxes, strict=True):
        for cluster in clusters:
            if cluster.name == label.name and label.offset > 4:
                continue  # a group's name beside its own marker
            assert not boxes_overlap(box, marker_box(cluster, layer.zoom)), (label, cluster)


@pytest.fixture(scope="module")
def _dense(django_db_setup, django_db_blocker):
    """The places of `dense`, made once for the module's tests (400 places and pairs take a
    second or more to make), in a transaction rolled back after the module; each test still
    runs in its own savepoint of it, rolled back after the test."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            koeln = _dense_make()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield koeln.pk
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def dense(_dense, db):
    """400 German places on a jittered grid over the Rhineland, each partnered abroad; Köln is
    the largest (made once per module: _dense)."""
    return Municipality.objects.get(pk=_dense)


def _dense_make():
    rng = random.Random(7)
    partner = ForeignMunicipalityFactory(name="Lille", iso2="FR", latitude=50.63, longitude=3.06)
    koeln = MunicipalityFactory(
        name="Köln", latitude=50.9375, longitude=6.9603, population=1_080_000
    )
    PartnershipFactory(between=(koeln, partner))
    for i in range(400):
        place = MunicipalityFactory(
            latitude=50.5 + (i // 20) * 0.05 + rng.uniform(-0.02, 0.02),
            longitude=6.5 + (i % 20) * 0.07 + rng.uniform(-0.03, 0.03),
            population=rng.randint(1_000, 200_000),
        )
        PartnershipFactory(between=(place, partner))
    return koeln


def test_clusters_never_overlap_at_any_zoom(dense):
    for zoom in range(MIN_ZOOM, MAX_ZOOM + 1):
        layer = atlas_clusters(ALL, MapView(zoom, 5.0, 49.5, 9.0, 52.0))
        assert sum(c.count for c in layer.clusters) >= 1
        assert_no_overlap(layer)
    world = atlas_clusters(ALL, MapView.world())
    assert sum(c.count for c in world.clusters) == 402  # every place counted once


def test_a_group_is_named_by_its_largest_place(dense):
    layer = atlas_clusters(ALL, MapView.world(4))
    rhineland = max(layer.clusters, key=lambda c: c.count)
    assert rhineland.name == "Köln" and rhineland.place is None
    largest = (
        Municipality.objects.filter(
            pk__in=[c.place for c in layer.clusters if c.place], population__isnull=False
        )
        .order_by("-population")
        .first()
    )
    assert largest is None or largest.population < dense.population
    data = layer.as_json()["clusters"][0]
    assert data["name"] == "Köln" and data["s"] > 14 and "id" not in data


def test_the_atlas_lists_groups_by_name(client, dense):
    page = client.get(reverse("atlas:map"), HTTP_ACCEPT_LANGUAGE="de")
    text = page.content.decode()
    count = atlas_clusters(ALL, MapView.world()).clusters[0].count
    assert f"Köln und {count - 1} weitere" in text


def test_names_of_larger_places_are_given_zoomed_in(dense):
    layer = atlas_clusters(ALL, MapView(12, 6.9, 50.9, 7.05, 51.0))
    names = [label.name for label in layer.labels]
    assert "Köln" in names
    assert len(names) > 3  # the places around it too
    assert not atlas_clusters(ALL, MapView.world()).labels  # none at the world view


def test_the_atlas_opens_on_a_place_given_by_the_municipality_page(client, dense):
    page = client.get(reverse("atlas:map") + f"?place={dense.pk}", HTTP_ACCEPT_LANGUAGE="de")
    text = page.content.decode()
    assert f'data-select-place="{dense.pk}"' in text
    assert "Partner von Köln" in text
    # The focus is not a filter: the list and statistics links do not carry it.
    assert f"place={dense.pk}" not in text.split('data-query="', 1)[1].split('"', 1)[0]
    assert client.get(reverse("atlas:map") + "?place=999999").status_code == 200
    embed = client.get(reverse("registry:municipality_detail", args=[dense.pk]))
    assert f'{reverse("atlas:map")}?place={dense.pk}"' in embed.content.decode()


def test_the_laender_are_served_as_topojson(client):
    answer = client.get(reverse("atlas:states"))
    assert answer.status_code == 200
    assert len(answer.json()["objects"]["deu"]["geometries"]) == 16
    assert "max-age" in answer["Cache-Control"]


def test_a_name_is_placed_with_the_offset_it_is_drawn_with():
    """atlas.js draws a name a whole number of pixels beside its marker: placed with half a
    33-pixel marker (16.5) it cleared the next marker here, drawn 0.5 px further it covered it
    (Dijon beside Besançon at zoom 6 on the real data)."""
    zoom = 6
    scale = 256 * 2**zoom

    def group(name: str, px: float) -> Cluster:
        x, y = px / scale, 5000 / scale
        return Cluster(
            count=4,
            lat=_latitude(y),
            lng=_longitude(x),
            bounds=(0, 0, 0, 0),
            country="FR",
            country_name="Frankreich",
            name=name,
            size=marker_size(4),
            x=x,
            y=y,
        )

    # "Dijon" is 39 px wide: from 8019.5 it ends at 8058.5, from 8020 at 8059.
    clusters = [group("Dijon", 8000.0), group("Besançon", 8058.7 + 16.5)]
    layer = ClusterLayer(zoom, clusters, 8, 0, None, _labels(zoom, (0, 0, 0, 0), clusters))
    assert all(isinstance(label.offset, int) for label in layer.labels)
    assert_no_overlap(layer)
