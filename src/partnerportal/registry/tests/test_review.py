"""The import review queue: staff pick, create or dismiss; the row becomes a partnership with
its provenance, once and atomically."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.core.workflows import TransitionRefused
from partnerportal.geo.services import country_ensure
from partnerportal.registry.models import ImportRun, Partnership, ReviewItem
from partnerportal.registry.services import review as services
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    ImportRunFactory,
    MunicipalityFactory,
    ReviewItemFactory,
)
from partnerportal.registry.workflows import REVIEW_ITEM_TRANSITIONS

pytestmark = pytest.mark.django_db

RAW = {
    "city1": "Neustadt",
    "country1": "Germany",
    "lat1": "49.35",
    "lng1": "8.14",
    "city2": "Lamia",
    "country2": "Greece",
    "lat2": "38.9",
    "lng2": "22.43",
}


@pytest.fixture
def queue():
    run = ImportRunFactory(kind=ImportRun.Kind.TWINNINGS, file_name="twin_cities.csv")
    neustadt = MunicipalityFactory(name="Neustadt an der Weinstraße")
    lamia = ForeignMunicipalityFactory(name="Lamia", iso2="GR")
    item = ReviewItemFactory(
        import_run=run,
        row_number=7,
        raw=RAW,
        side="1",
        reason="Several places of that name.",
        candidates=[{"id": neustadt.pk, "name": neustadt.name, "km": 1.2}],
    )
    return {
        "run": run,
        "item": item,
        "neustadt": neustadt,
        "lamia": lamia,
        "staff": UserFactory(role="agency_editor", mfa=True),
    }


def test_resolve_records_the_partnership_with_its_provenance(queue):
    partnership = services.review_item_resolve(
        item=queue["item"],
        actor=queue["staff"],
        municipality=queue["neustadt"],
        partner=queue["lamia"],
    )
    assert partnership.import_run == queue["run"] and partnership.import_row == 7
    assert partnership.municipality_a_id < partnership.municipality_b_id
    item = ReviewItem.objects.get(pk=queue["item"].pk)
    assert item.status == "resolved" and item.resolved_municipality == queue["neustadt"]
    assert item.resolved_by == queue["staff"] and item.resolved_at
    assert partnership.history.latest().history_user == queue["staff"]
    with pytest.raises(ValidationError):
        services.review_item_resolve(
            item=item, actor=queue["staff"], municipality=queue["neustadt"], partner=queue["lamia"]
        )
    assert Partnership.objects.count() == 1


def test_an_existing_pair_is_not_duplicated(queue):
    a, b = Partnership.ordered_pair(queue["neustadt"], queue["lamia"])
    existing = Partnership.objects.create(municipality_a=a, municipality_b=b)
    result = services.review_item_resolve(
        item=queue["item"],
        actor=queue["staff"],
        municipality=queue["lamia"],
        partner=queue["neustadt"],
    )
    assert result == existing and Partnership.objects.count() == 1


def test_both_sides_in_the_queue(queue):
    other = ReviewItemFactory(
        import_run=queue["run"], row_number=7, raw=RAW, side="2", reason="Not in gazetteer."
    )
    first = services.review_item_resolve(
        item=queue["item"], actor=queue["staff"], municipality=queue["neustadt"]
    )
    assert first is None and not Partnership.objects.exists()
    partnership = services.review_item_resolve(
        item=other, actor=queue["staff"], municipality=queue["lamia"]
    )
    assert {partnership.municipality_a, partnership.municipality_b} == {
        queue["neustadt"],
        queue["lamia"],
    }


def test_partner_is_required_when_unknown_and_nothing_changes(queue):
    with pytest.raises(ValidationError):
        services.review_item_resolve(
            item=queue["item"], actor=queue["staff"], municipality=queue["neustadt"]
        )
    assert ReviewItem.objects.get(pk=queue["item"].pk).status == "open"


def test_only_staff_resolve(queue):
    editor = UserFactory(municipality=queue["neustadt"])
    with pytest.raises(PermissionDenied):
        services.review_item_resolve(
            item=queue["item"], actor=editor, municipality=queue["neustadt"], partner=queue["lamia"]
        )
    with pytest.raises(PermissionDenied):
        services.review_item_dismiss(item=queue["item"], actor=editor)


def test_create_a_municipality_and_dismiss(queue):
    municipality, partnership = services.review_item_municipality_create(
        item=queue["item"],
        actor=queue["staff"],
        name="Neustadt-Nord",
        country=country_ensure("DE"),
        latitude=49.4,
        longitude=8.1,
        partner=queue["lamia"],
    )
    assert municipality.source == "staff" and partnership.import_row == 7
    second = ReviewItemFactory(import_run=queue["run"], row_number=8, raw=RAW, side="1", reason="?")
    services.review_item_dismiss(item=second, actor=queue["staff"])
    second.refresh_from_db()
    assert second.status == "dismissed"


def test_queue_pages(client, site, queue):
    list_url = reverse("registry:review_list")
    detail_url = reverse("registry:review_detail", args=[queue["item"].pk])
    client.force_login(UserFactory(municipality=queue["neustadt"]))
    assert client.get(list_url).status_code == 403
    assert client.get(detail_url).status_code == 403
    assert client.post(detail_url, {"municipality": queue["neustadt"].pk}).status_code == 403
    client.force_login(queue["staff"])
    text = client.get(list_url).text
    assert "Several places of that name." in text and "Lamia" in text
    text = client.get(detail_url).text
    assert f"?partner={queue['lamia'].pk}" in text  # suggested from the row's other side
    for odd in ("²", "9" * 30):  # isdigit() yet no number for int() or the database
        assert client.get(detail_url, {"partner": odd}).status_code == 200
    text = client.get(detail_url, {"q": "lamia"}).text
    assert "Neustadt an der Weinstraße" in text  # the candidate
    assert f"?partner={queue['lamia'].pk}" in text  # found by search, usable as the other side
    response = client.post(
        detail_url, {"municipality": queue["neustadt"].pk, "partner": queue["lamia"].pk}
    )
    assert response.status_code == 302
    assert Partnership.objects.filter(import_row=7).exists()


def test_dismiss_page(client, site, queue):
    client.force_login(queue["staff"])
    response = client.post(reverse("registry:review_dismiss", args=[queue["item"].pk]))
    assert response.status_code == 302
    queue["item"].refresh_from_db()
    assert queue["item"].status == "dismissed"


def test_migration_keys_items_and_merges_duplicates(queue):
    """Migration 0005: duplicates of one unresolved place of a pair (B–A included) become one
    item counting them; the item staff dealt with is the one kept, open duplicates go, and a
    second settled one stays as a record without a key."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("partnerportal.registry.migrations.0006_review_item_key")
    run, first = queue["run"], queue["item"]
    reversed_raw = {f"{k[:-1]}{'2' if k[-1] == '1' else '1'}": v for k, v in RAW.items()}
    make = {"import_run": run, "reason": "r", "candidates": []}
    open_twin = ReviewItemFactory(row_number=8, raw=RAW, side="1", **make)
    dismissed = ReviewItemFactory(
        row_number=9, raw=reversed_raw, side="2", status=ReviewItem.Status.DISMISSED, **make
    )
    resolved = ReviewItemFactory(
        row_number=10, raw=RAW, side="1", status=ReviewItem.Status.RESOLVED, **make
    )
    other_side = ReviewItemFactory(row_number=8, raw=RAW, side="2", **make)

    migration.key_review_items(apps, None)

    assert not ReviewItem.objects.filter(pk__in=[first.pk, open_twin.pk]).exists()
    dismissed.refresh_from_db()
    resolved.refresh_from_db()
    other_side.refresh_from_db()
    assert dismissed.key and dismissed.occurrences == 4
    assert resolved.key is None  # kept as the record of what staff did
    assert other_side.key and other_side.key != dismissed.key and other_side.occurrences == 1


# --- The review item's workflow table (registry.workflows) ----------------------------------


@pytest.mark.parametrize("action", [t.action for t in REVIEW_ITEM_TRANSITIONS])
def test_every_row_of_the_review_table(queue, action):
    transition = next(t for t in REVIEW_ITEM_TRANSITIONS if t.action == action)
    item, staff = queue["item"], queue["staff"]
    if action == "resolve":
        services.review_item_resolve(
            item=item, actor=staff, municipality=queue["neustadt"], partner=queue["lamia"]
        )
    elif action == "create":
        services.review_item_municipality_create(
            item=item, actor=staff, name="Neustadt-Süd", country=country_ensure("DE"),
            partner=queue["lamia"],
        )  # fmt: skip
    else:
        services.review_item_transition(obj=item, action=action, actor=staff)
    item.refresh_from_db()
    assert item.status == transition.target and transition.target not in transition.sources
    assert item.resolved_by == staff and item.resolved_at is not None


@pytest.mark.parametrize("settled", [ReviewItem.Status.RESOLVED, ReviewItem.Status.DISMISSED])
def test_a_review_transition_not_in_the_table_is_refused_and_changes_nothing(queue, settled):
    item = queue["item"]
    ReviewItem.objects.filter(pk=item.pk).update(status=settled)
    item.refresh_from_db()
    for call in (
        lambda: services.review_item_transition(obj=item, action="dismiss", actor=queue["staff"]),
        lambda: services.review_item_resolve(
            item=item, actor=queue["staff"], municipality=queue["neustadt"], partner=queue["lamia"]
        ),
    ):
        with translation.override("en"), pytest.raises(TransitionRefused) as refused:
            call()
        assert refused.value.messages == ["This row has already been dealt with."]
    item.refresh_from_db()
    assert (item.status, item.resolved_by, item.resolved_municipality) == (settled, None, None)
    assert not Partnership.objects.exists()


def test_an_unknown_review_action_is_refused(queue):
    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        services.review_item_transition(obj=queue["item"], action="reopen", actor=queue["staff"])
    assert refused.value.messages == ["Unknown action."]
    queue["item"].refresh_from_db()
    assert queue["item"].status == ReviewItem.Status.OPEN


def test_the_detail_page_draws_the_tables_buttons(client, site, queue):
    detail_url = reverse("registry:review_detail", args=[queue["item"].pk])
    client.force_login(queue["staff"])
    with translation.override("en"):
        text = client.get(detail_url.replace("/de/", "/en/", 1)).text
    assert "This one" in text  # resolve, beside the candidate
    assert "Create and use" in text
    assert "Dismiss this row" in text
    services.review_item_dismiss(item=queue["item"], actor=queue["staff"])
    with translation.override("en"):
        text = client.get(detail_url.replace("/de/", "/en/", 1)).text
    assert "This one" not in text and "Create and use" not in text
    assert "Dismiss this row" not in text


def test_resolve_through_the_generic_service_asks_for_the_municipality(queue):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.review_item_transition(obj=queue["item"], action="resolve", actor=queue["staff"])
    assert refused.value.messages == ["Please choose a municipality."]
    queue["item"].refresh_from_db()
    assert queue["item"].status == ReviewItem.Status.OPEN
