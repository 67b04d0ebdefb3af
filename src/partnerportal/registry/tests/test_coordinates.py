"""Coordinates outside their country go to the review queue and leave the map; official
places are listed but keep theirs; edit forms refuse a point abroad; the twin towns import
checks the places it creates; Kreise get the centre of their Gemeinden (import and command)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.registry.forms.editing import ReviewCreateForm
from partnerportal.registry.importers.destatis import HEADER, kreis_centres_derive
from partnerportal.registry.importers.twinnings import import_twinnings
from partnerportal.registry.models import ImportRun, Municipality, ReviewItem
from partnerportal.registry.services.coordinates import (
    municipalities_coordinates_check,
    review_item_coordinates_keep,
    review_item_coordinates_resolve,
)
from partnerportal.registry.services.review import review_item_dismiss
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
)

pytestmark = pytest.mark.django_db

SPAIN_GRANADA = (37.1882, -3.6067)
NICARAGUA_GRANADA = (11.9344, -85.9560)


def _check_command(*args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("check_coordinates", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_place_outside_its_country_goes_to_review_and_leaves_the_map():
    granada = ForeignMunicipalityFactory(
        name="Granada", iso2="NI", latitude=SPAIN_GRANADA[0], longitude=SPAIN_GRANADA[1]
    )
    fine = ForeignMunicipalityFactory(name="León", iso2="NI", latitude=12.4379, longitude=-86.8780)
    output = _check_command()
    assert "1 moved to the review queue" in output

    item = ReviewItem.objects.get(kind=ReviewItem.Kind.COORDINATES)
    assert item.municipality == granada
    assert item.status == ReviewItem.Status.OPEN
    assert item.raw["latitude"] == SPAIN_GRANADA[0] and item.raw["lies_in"] == "ES"
    assert item.raw["distance_km"] is None  # farther than the 500 km the distance is sought
    assert item.import_run.kind == ImportRun.Kind.COORDINATES
    granada.refresh_from_db()
    assert granada.latitude is None and granada.map_x is None
    fine.refresh_from_db()
    assert fine.latitude == 12.4379
    # The history keeps the coordinates as they were, with the reason.
    record = granada.history.first()
    assert record.history_change_reason == "municipality.coordinates_to_review"
    assert granada.history.last().latitude == SPAIN_GRANADA[0]

    # Again: nothing new (the place has no coordinates now), still one item.
    assert "0 moved" in _check_command()
    assert ReviewItem.objects.filter(kind=ReviewItem.Kind.COORDINATES).count() == 1


def test_a_dry_run_changes_nothing():
    ForeignMunicipalityFactory(
        name="Granada", iso2="NI", latitude=SPAIN_GRANADA[0], longitude=SPAIN_GRANADA[1]
    )
    assert "1 moved to the review queue (dry run" in _check_command("--dry-run")
    assert not ReviewItem.objects.exists()
    assert Municipality.objects.get(name="Granada").latitude == SPAIN_GRANADA[0]


def test_official_places_are_listed_but_keep_their_coordinates():
    odd = MunicipalityFactory(destatis=True, name="Irgendwo", latitude=52.37, longitude=4.89)
    outcome = municipalities_coordinates_check(actor=None)
    assert [entry[1] for entry in outcome.flagged_official] == ["Irgendwo"]
    assert outcome.moved == []
    odd.refresh_from_db()
    assert odd.latitude == 52.37
    assert ReviewItem.objects.get().municipality == odd


def test_staff_resolve_the_item_with_coordinates_that_fit():
    reviewer = UserFactory(agency_staff=True)
    granada = ForeignMunicipalityFactory(
        name="Granada", iso2="NI", latitude=SPAIN_GRANADA[0], longitude=SPAIN_GRANADA[1]
    )
    municipalities_coordinates_check(actor=None)
    item = ReviewItem.objects.get()
    with pytest.raises(ValidationError):
        review_item_coordinates_resolve(
            item=item, actor=reviewer, latitude=SPAIN_GRANADA[0], longitude=SPAIN_GRANADA[1]
        )
    review_item_coordinates_resolve(
        item=item, actor=reviewer, latitude=NICARAGUA_GRANADA[0], longitude=NICARAGUA_GRANADA[1]
    )
    item.refresh_from_db()
    granada.refresh_from_db()
    assert item.status == ReviewItem.Status.RESOLVED and item.resolved_by == reviewer
    assert (granada.latitude, granada.longitude) == NICARAGUA_GRANADA
    assert granada.map_x is not None


def test_edit_forms_refuse_coordinates_abroad():
    granada = ForeignMunicipalityFactory(
        name="Granada", iso2="NI", latitude=11.93, longitude=-85.96
    )
    granada.full_clean()
    granada.latitude, granada.longitude = SPAIN_GRANADA
    with pytest.raises(ValidationError) as error:
        granada.full_clean()
    assert "latitude" in error.value.message_dict

    form = ReviewCreateForm(
        data={"name": "Granada", "country": "NI", "latitude": 37.19, "longitude": -3.61}
    )
    granada.country.refresh_from_db()
    assert not form.is_valid() and "latitude" in form.errors
    form = ReviewCreateForm(
        data={"name": "Granada", "country": "NI", "latitude": 11.93, "longitude": -85.96}
    )
    assert form.is_valid(), form.errors


def test_the_edit_form_checks_only_changed_coordinates_and_names_the_country():
    # An official place the outlines doubt (like Borkum): listed, coordinates kept.
    odd = MunicipalityFactory(destatis=True, name="Irgendwo", latitude=52.37, longitude=4.89)
    municipalities_coordinates_check(actor=None)
    odd.refresh_from_db()
    odd.name = "Irgendwo am See"
    odd.full_clean()  # coordinates and country unchanged: editable
    odd.latitude = 52.38
    with translation.override("en"), pytest.raises(ValidationError) as error:
        odd.full_clean()
    (message,) = error.value.message_dict["latitude"]
    assert "Netherlands" in message and "Germany" in message
    assert "NL" not in message and message.count("outside") <= 1
    with translation.override("de"), pytest.raises(ValidationError) as error:
        odd.full_clean()
    assert "Niederlande" in error.value.message_dict["latitude"][0]


def test_staff_keep_coordinates_the_check_doubts():
    reviewer = UserFactory(agency_staff=True)
    granada = ForeignMunicipalityFactory(
        name="Granada", iso2="NI", latitude=SPAIN_GRANADA[0], longitude=SPAIN_GRANADA[1]
    )
    municipalities_coordinates_check(actor=None)
    item = ReviewItem.objects.get()
    granada.refresh_from_db()
    assert granada.latitude is None

    review_item_coordinates_keep(item=item, actor=reviewer)
    item.refresh_from_db()
    granada.refresh_from_db()
    assert item.status == ReviewItem.Status.RESOLVED and item.resolved_by == reviewer
    assert (granada.latitude, granada.longitude) == SPAIN_GRANADA and granada.map_x is not None
    # Kept: later checks leave the place alone, and its edit form accepts them.
    outcome = municipalities_coordinates_check(actor=None)
    assert outcome.moved == [] and outcome.kept == 1
    granada.refresh_from_db()
    item.refresh_from_db()
    assert (granada.latitude, granada.longitude) == SPAIN_GRANADA
    assert item.status == ReviewItem.Status.RESOLVED
    granada.name = "Granada (Kept)"
    granada.full_clean()
    granada.latitude, granada.longitude = SPAIN_GRANADA
    Municipality.objects.filter(pk=granada.pk).update(latitude=None, longitude=None)
    granada.full_clean()  # staff put back the coordinates they kept: accepted
    with pytest.raises(ValidationError):  # kept once: not again
        review_item_coordinates_keep(item=item, actor=reviewer)


def test_the_keep_button_resolves_the_item(client):
    reviewer = UserFactory(agency_staff=True)
    granada = ForeignMunicipalityFactory(
        name="Granada", iso2="NI", latitude=SPAIN_GRANADA[0], longitude=SPAIN_GRANADA[1]
    )
    municipalities_coordinates_check(actor=None)
    item = ReviewItem.objects.get()
    client.force_login(reviewer)
    url = reverse("registry:review_detail", args=[item.pk])
    assert 'name="keep-coordinates"' in client.get(url).content.decode()
    client.post(url, {"keep-coordinates": "1"})
    item.refresh_from_db()
    granada.refresh_from_db()
    assert item.status == ReviewItem.Status.RESOLVED
    assert granada.latitude == SPAIN_GRANADA[0]


def test_a_recheck_leaves_settled_items_alone_until_the_place_moves():
    reviewer = UserFactory(agency_staff=True)
    odd = MunicipalityFactory(destatis=True, name="Irgendwo", latitude=52.37, longitude=4.89)
    first = municipalities_coordinates_check(actor=None)
    item = ReviewItem.objects.get()
    # An open item is not written again by the next check.
    municipalities_coordinates_check(actor=None)
    item.refresh_from_db()
    assert item.import_run == first.run and item.status == ReviewItem.Status.OPEN

    review_item_dismiss(item=item, actor=reviewer)
    outcome = municipalities_coordinates_check(actor=None)
    assert outcome.flagged_official == [] and outcome.kept == 1
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.DISMISSED and item.resolved_by == reviewer

    # The place moves (still abroad): the item records the new point and is open again.
    Municipality.objects.filter(pk=odd.pk).update(latitude=52.09, longitude=5.12)
    municipalities_coordinates_check(actor=None)
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.OPEN and item.resolved_by is None
    assert (item.raw["latitude"], item.raw["longitude"]) == (52.09, 5.12)
    assert ReviewItem.objects.count() == 1


def test_the_twin_towns_import_checks_the_places_it_creates(tmp_path):
    MunicipalityFactory(name="Köln", latitude=50.9375, longitude=6.9603)
    path = tmp_path / "twins.csv"
    path.write_text(
        "city1,country1,lat1,lng1,city2,country2,lat2,lng2\n"
        "Köln,Germany,50.9375,6.9603,Nowhereville,Nicaragua,51.97,6.3\n"
        "Köln,Germany,50.9375,6.9603,Othertown,Nicaragua,12.2,-85.2\n",
        encoding="utf-8",
    )
    result = import_twinnings(path, gazetteer_factory=_empty_gazetteer)
    assert result.run.counts["coordinates_to_review"] == 1
    item = ReviewItem.objects.get(kind=ReviewItem.Kind.COORDINATES)
    assert item.municipality.name == "Nowhereville" and item.import_run == result.run
    assert item.municipality.latitude is None
    assert Municipality.objects.get(name="Othertown").latitude == 12.2


def _empty_gazetteer():
    from partnerportal.geo.gazetteer import Gazetteer

    return Gazetteer([])


# --- Kreise ------------------------------------------------------------------------------------

GV = [
    "10,,01,,,,,Schleswig-Holstein,,,,,,,,,,,,",
    "40,43,01,0,51,,,Dithmarschen,,,,,,,,,,,,",
    '50,50,01,0,51,0011,,"Brunsbüttel, Stadt",,,,,,,,,,,,',
    '60,63,01,0,51,0011,011,"Brunsbüttel, Stadt", 65.21, 12 000, 6 240, 6 140,  190,25541,'
    '"9,0","54,0",F01,Nordsee,02,mittlere Besiedlungsdichte',
    "50,51,01,0,51,5163,,Burg-St. Michaelisdonn,,,,,,,,,,,,",
    "60,64,01,0,51,5163,003,Averlak, 9.06,  4 000,  288,  266,  61,25715,"
    '"10,0","54,4",F04,übrig. Schleswig-Holstein,03,gering besiedelt',
]


def _gv(tmp_path: Path) -> Path:
    path = tmp_path / "gv.csv"
    path.write_text(",".join(HEADER) + "\n" + "\n".join(GV) + "\n", encoding="utf-8")
    return path


def test_kreise_get_the_population_weighted_centre_of_their_gemeinden(tmp_path):
    out = StringIO()
    call_command("import_municipalities", str(_gv(tmp_path)), stdout=out)
    kreis = Municipality.objects.get(ags="01051000")
    # 12,000 people at (54.0, 9.0), 4,000 at (54.4, 10.0): three quarters of the way to Brunsbüttel.
    assert kreis.latitude == pytest.approx(54.1)
    assert kreis.longitude == pytest.approx(9.25)
    assert kreis.map_x is not None
    # A second import finds the centre unchanged.
    out = StringIO()
    with translation.override("en"):
        call_command("import_municipalities", str(_gv(tmp_path)), stdout=out)
    assert "0 updated" in out.getvalue()


def test_existing_kreise_without_coordinates_are_given_them(tmp_path):
    call_command("import_municipalities", str(_gv(tmp_path)), stdout=StringIO())
    Municipality.objects.filter(ags="01051000").update(latitude=None, longitude=None, map_x=None)
    assert kreis_centres_derive(actor=None) == 1
    kreis = Municipality.objects.get(ags="01051000")
    assert (kreis.latitude, kreis.longitude) == (pytest.approx(54.1), pytest.approx(9.25))
    assert kreis_centres_derive(actor=None) == 0  # only those without
    assert "1 Kreise" not in _check_command()
