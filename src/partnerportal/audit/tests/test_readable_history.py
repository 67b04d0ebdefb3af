"""The trail as people read it: one entry per edit (not one per step of simple-history), names
instead of ids, labels instead of codes, yes/no, dates and numbers in the page's language."""

import zoneinfo
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from partnerportal.accounts.tests.factories import MunicipalityFactory, UserFactory
from partnerportal.audit.selectors import changes_made_by, object_history
from partnerportal.audit.services import attribute_change, change_revert
from partnerportal.core.dates import display_datetime
from partnerportal.registry.actions import RegistryAction
from partnerportal.registry.models import PartnershipType, Programme, Theme
from partnerportal.registry.services.partnerships import (
    partnership_confirm_current,
    partnership_update,
)
from partnerportal.registry.tests.test_editing_views import edit_data
from partnerportal.registry.tests.test_services_partnerships import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = make_world()
    world["water"] = Theme.objects.create(
        code="t-water", kind=Theme.Kind.FIELD, number=90, name_de="Wasser", name_en="Water"
    )
    world["school"] = Theme.objects.create(
        code="t-school", kind=Theme.Kind.FIELD, number=91, name_de="Bildung", name_en="Education"
    )
    world["programme"] = Programme.objects.create(slug="kepol", name="KEPOL")
    return world


def _by_label(change) -> dict:
    return {str(item.label): (item.before, item.after) for item in change.changes}


def test_one_edit_through_the_edit_view_is_one_entry_with_readable_values(client, site, world):
    partnership = world["partnership"]
    trail = partnership.history.count()
    client.force_login(world["editor"])
    with translation.override("de"):
        url = reverse("registry:partnership_edit", args=[partnership.pk])
    response = client.post(
        url,
        edit_data(
            partnership,
            type=PartnershipType.FREUNDSCHAFT,
            description="Neu",
            start_year="1999",
            themes=[str(world["water"].pk), str(world["school"].pk)],
            programmes=[str(world["programme"].pk)],
            **{
                "actors-TOTAL_FORMS": "1",
                "actors-0-municipality": str(world["koeln"].pk),
                "actors-0-name": "Partnerschaftsverein",
                "actors-0-kind": "association",
            },
        ),
    )
    assert response.status_code == 302

    assert partnership.history.count() == trail + 1
    with translation.override("de"):
        (latest, *_earlier) = object_history(partnership)
        assert latest.action_label == "Partnerschaft geändert"
        changes = _by_label(latest)
        # An editor's save is the municipality's confirmation that the entry is current.
        saved = type(partnership).objects.get(pk=partnership.pk)
        confirmed = display_datetime(saved.municipality_confirmed_at)
        assert changes.pop("von der Kommune als aktuell bestätigt") == (None, confirmed)
        assert changes.pop("bestätigt von") == (None, str(world["editor"]))
        assert changes == {
            "Themen": (None, "Bildung, Wasser"),
            "Programme": (None, "KEPOL"),
            "Beschreibung": ("Alt", "Neu"),
            "Startjahr": (None, 1999),
            "Typ": (
                str(PartnershipType(partnership.type).label),
                str(PartnershipType.FREUNDSCHAFT.label),
            ),
        }
    client.force_login(world["staff"])
    with translation.override("de"):
        history_url = reverse("audit:history", args=["registry", "partnership", partnership.pk])
    html = client.get(history_url).text
    assert html.count("Partnerschaft geändert") == 1
    assert "Bildung, Wasser</ins>" in html
    assert "[" not in html.split("<main", 1)[-1].split("</main>", 1)[0]


def test_values_read_as_people_read_them_in_german_and_english():
    editor = UserFactory(role="agency_editor")
    municipality = MunicipalityFactory(name="Köln", verified=False, area_km2=Decimal("405.02"))
    attribute_change(municipality, actor=editor, action=RegistryAction.MUNICIPALITY_UPDATED)
    municipality.alternate_names = ["Cologne", "Colonia"]
    municipality.verified = True
    municipality.area_km2 = Decimal("405.15")
    municipality.save()

    with translation.override("de"):
        german = _by_label(object_history(municipality)[0])
    with translation.override("en"):
        english = _by_label(object_history(municipality)[0])

    assert german["weitere Namen"] == (None, "Cologne, Colonia")
    assert german["geprüft"] == ("nein", "ja")
    assert german["Fläche (km²)"] == ("405,02", "405,15")
    assert english["verified"] == ("no", "yes")
    assert english["area (km²)"] == ("405.02", "405.15")


def test_dates_are_shown_in_the_active_language(world):
    partnership = world["partnership"]
    partnership_confirm_current(
        partnership=partnership, actor=world["editor"], expected_version=partnership.version
    )
    partnership.refresh_from_db()
    # The portal's time (Europe/Berlin), in the one format of every page (core.dates).
    when = partnership.municipality_confirmed_at.astimezone(zoneinfo.ZoneInfo("Europe/Berlin"))
    with translation.override("de"):
        changes = _by_label(object_history(partnership)[0])
    assert changes["von der Kommune als aktuell bestätigt"] == (
        None,
        when.strftime("%d.%m.%Y, %H:%M"),
    )
    assert changes["bestätigt von"] == (None, str(world["editor"]))


def test_the_export_of_a_persons_changes_reads_the_same(world):
    partnership = world["partnership"]
    partnership_update(
        partnership=partnership,
        actor=world["editor"],
        expected_version=partnership.version,
        themes=[world["water"], world["school"]],
        description="Neu",
    )
    with translation.override("de"):
        rows = [row for row in changes_made_by(world["editor"]) if row["record"] == "Partnerschaft"]
    assert len(rows) == 1
    changes = {item["field"]: (item["before"], item["after"]) for item in rows[0]["changes"]}
    assert changes["Themen"] == (None, "Bildung, Wasser")
    assert changes["Beschreibung"] == ("Alt", "Neu")


def test_a_revert_brings_back_themes_and_fields_in_one_entry(world):
    partnership = world["partnership"]
    partnership_update(
        partnership=partnership,
        actor=world["editor"],
        expected_version=partnership.version,
        themes=[world["water"]],
    )
    partnership_update(
        partnership=partnership,
        actor=world["editor"],
        expected_version=partnership.version,
        themes=[world["school"]],
        description="Neu",
    )
    trail = partnership.history.count()

    change_revert(
        actor=world["staff"],
        history_record=partnership.history.latest(),
        expected_version=partnership.version,
    )

    partnership.refresh_from_db()
    assert list(partnership.themes.all()) == [world["water"]]
    assert partnership.description == "Alt"
    assert partnership.history.count() == trail + 1
    with translation.override("de"):
        assert _by_label(object_history(partnership)[0]) == {
            "Themen": ("Bildung", "Wasser"),
            "Beschreibung": ("Neu", "Alt"),
        }
