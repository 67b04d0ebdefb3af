"""The models and the migrations agree: a change to a model without its migration fails here,
not on an installation that migrates."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_its_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db  # a migration module asks the recorder at import
def test_our_apps_migrate_after_every_third_party_app():
    """Each of our apps' first migrations depends on every third-party app's last one (except
    the user model's app, which Wagtail and allauth need first): Wagtail's operations then do
    not re-render our models that point at the user model, and a fresh migrate on SQLite takes
    43 s instead of 70 s. A new app or a new third-party app must keep it so."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    ours = {c.label for c in apps.get_app_configs() if c.name.startswith("partnerportal.")}
    third_party_leaves = {node for node in graph.leaf_nodes() if node[0] not in ours}
    parents = {node: {p.key for p in graph.node_map[node].parents} for node in graph.nodes}
    firsts = [
        node
        for node in graph.nodes
        if node[0] in ours - {"accounts"} and not any(app == node[0] for app, _ in parents[node])
    ]
    assert len(firsts) >= 8
    missing = {node: sorted(third_party_leaves - parents[node]) for node in firsts}
    assert not any(missing.values()), missing
