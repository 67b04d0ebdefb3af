"""Clusters on the real reference data (../shared/data; skipped where it is not there), on the
real registry imported once per run (conftest.py: real_registry_db). A module of its own: that
database is not `db`, and test_clusters.py keeps its generated places in a transaction open
for the whole module."""

from partnerportal.atlas.selectors.clusters import MapView, atlas_clusters
from partnerportal.registry.selectors.public import PartnershipFilters

from .test_clusters import assert_no_overlap

ALL = PartnershipFilters()


def test_clusters_never_overlap_on_the_real_data(real_registry_db):
    """The whole reference data (../shared/data, imported once per run: conftest.py): the world,
    Europe, Germany, Nordrhein-Westfalen and the Ruhr, each answer free of overlapping markers."""
    views = [
        MapView.world(1),
        MapView.world(2),
        MapView(3, -30, 20, 60, 70),
        MapView(4, -10, 35, 30, 60),
        MapView(6, 3, 47, 17, 55),
        MapView(7, 5.5, 50.2, 9.5, 52.5),
        MapView(8, 6.0, 50.7, 8.5, 51.8),
        MapView(10, 6.8, 51.3, 7.6, 51.6),
        MapView(12, 6.9, 50.9, 7.05, 51.0),
    ]
    figures = []
    for view in views:
        layer = atlas_clusters(ALL, view)
        assert_no_overlap(layer)
        figures.append((view.zoom, len(layer.clusters), sum(c.count for c in layer.clusters)))
    print("zoom, markers, places:", figures)
    # The world view still counts every mapped place exactly once.
    world = atlas_clusters(ALL, MapView.world())
    assert sum(c.count for c in world.clusters) == world.places
