"""Every way a partnership comes into the registry goes through partnerships_create: the edit
pages' proposal, the review queue, the twin towns import and the demo data start it with the
same kind of history record and first status entry, and refuse the same start years; the forms,
the list filter and the API accept and refuse the same boundary years."""

import csv
import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from partnerportal.accounts.tests.factories import MunicipalityFactory, UserFactory
from partnerportal.geo.services import country_ensure
from partnerportal.registry.forms.editing import PartnershipForm, ProposeForm
from partnerportal.registry.forms.filters import PartnershipFilterForm
from partnerportal.registry.importers.twinnings import HEADER
from partnerportal.registry.management.commands import demo_data
from partnerportal.registry.models import (
    ImportRun,
    Municipality,
    Partnership,
    PartnershipStatus,
    PartnershipStatusChange,
    ReviewItem,
)
from partnerportal.registry.services.partnerships import (
    SOURCE_RULES,
    PartnershipDraft,
    PartnershipSource,
    partnerships_create,
)
from partnerportal.registry.validators import START_YEAR_MAX, START_YEAR_MIN

from .factories import ForeignMunicipalityFactory, PartnershipFactory
from .test_review import RAW
from .test_services_partnerships import make_world

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = START_YEAR_MIN - 1


#: German first: the tests run in the default language.
RANGE_MESSAGE = f"Das Startjahr muss zwischen {START_YEAR_MIN} und {START_YEAR_MAX} liegen."


def assert_started_by_the_service(partnership: Partnership, *, source, actor, valid_from):
    """One creation record with the source's action and the actor, and one first status entry
    with the partnership's status, the actor and the date the rule gives."""
    rule = SOURCE_RULES[source]
    [record] = partnership.history.all()
    assert (record.history_type, record.history_change_reason) == ("+", rule.action)
    assert record.history_user == actor
    [first] = PartnershipStatusChange.objects.filter(partnership=partnership)
    assert (first.status, first.actor, first.valid_from) == (partnership.status, actor, valid_from)
    assert partnership.is_confirmed == rule.confirmed
    assert partnership.created_by == actor


# --- The edit pages' proposal ------------------------------------------------------------------


def test_proposal_through_the_view(client, site):
    world = make_world()
    kidira = ForeignMunicipalityFactory(name="Kidira", iso2="SN")
    url = reverse("registry:partnership_propose", args=[world["koeln"].pk])
    client.force_login(world["editor"])
    data = {"partner": kidira.pk, "type": "kontakt", "status": "anbahnung", "start_year": "1990"}
    assert client.post(url, data).status_code == 302
    proposal = Partnership.objects.get(municipality_b=kidira)
    assert_started_by_the_service(
        proposal,
        source=PartnershipSource.PROPOSAL,
        actor=world["editor"],
        valid_from=dt.date.today(),
    )
    # With or without a start year, the status a person states holds from today.
    lima = ForeignMunicipalityFactory(name="Lima", iso2="PE")
    data = {"partner": lima.pk, "type": "kontakt", "status": "aktiv"}
    assert client.post(url, data).status_code == 302
    assert Partnership.objects.get(municipality_b=lima).status_changes.get().valid_from == (
        dt.date.today()
    )


def test_proposal_with_a_start_year_out_of_range_is_refused_with_the_rule(client, site):
    world = make_world()
    kidira = ForeignMunicipalityFactory(name="Kidira", iso2="SN")
    url = reverse("registry:partnership_propose", args=[world["koeln"].pk])
    client.force_login(world["editor"])
    data = {"partner": kidira.pk, "type": "kontakt", "status": "aktiv"}
    response = client.post(url, {**data, "start_year": str(OUT_OF_RANGE)})
    assert response.status_code == 200
    assert response.context["form"].errors["start_year"] == [RANGE_MESSAGE]
    assert RANGE_MESSAGE in response.text
    assert not Partnership.objects.filter(municipality_b=kidira).exists()


# --- The review queue ------------------------------------------------------------------------


def test_review_queue_resolution_through_the_view(client, site):
    run = ImportRun.objects.create(kind=ImportRun.Kind.TWINNINGS, file_name="twins.csv")
    item = ReviewItem.objects.create(import_run=run, row_number=7, raw=RAW, side="1", reason="?")
    neustadt = MunicipalityFactory(name="Neustadt an der Weinstraße")
    lamia = ForeignMunicipalityFactory(name="Lamia", iso2="GR")
    staff = UserFactory(role="agency_editor", mfa=True)
    client.force_login(staff)
    response = client.post(
        reverse("registry:review_detail", args=[item.pk]),
        {"municipality": neustadt.pk, "partner": lamia.pk},
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get(import_run=run, import_row=7)
    assert_started_by_the_service(
        partnership, source=PartnershipSource.REVIEW, actor=staff, valid_from=None
    )
    assert partnership.status_changes.get().note == "Aus der Prüfliste des Imports erfasst."


# --- The twin towns import -------------------------------------------------------------------


@pytest.fixture
def places(db):
    country_ensure("DE")
    koeln = Municipality.objects.create(
        name="Köln", ags="05315000", country_id="DE", latitude=50.94, longitude=6.96
    )
    lille = Municipality.objects.create(
        name="Lille",
        country=country_ensure("FR"),
        kind=Municipality.Kind.FOREIGN,
        geonames_id=2998324,
        latitude=50.63,
        longitude=3.06,
    )
    return koeln, lille


def twins_file(tmp_path, start_year: str):
    """One row of the registry's own export format: AGS and GeoNames id settle both sides
    without the gazetteer."""
    path = tmp_path / "twins.csv"
    columns = [*HEADER, "status", "start_year", "ags1", "geonames_id2"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerow(
            [
                *("Köln", "Germany", "50.94", "6.96", "Lille", "France", "50.63", "3.06"),
                *("ruhend", start_year, "05315000", "2998324"),
            ]
        )
    return path


def test_import_command_goes_through_the_service(places, tmp_path):
    call_command("import_twinnings", str(twins_file(tmp_path, "1958")), stdout=StringIO())
    partnership = Partnership.objects.get()
    assert partnership.status == PartnershipStatus.DORMANT
    assert_started_by_the_service(
        partnership,
        source=PartnershipSource.IMPORT,
        actor=None,
        valid_from=None,  # the file says since when it began, not since when it is dormant
    )
    # File and row are the partnership's provenance, named on its page in the reader's
    # language; a note would be frozen in the importer's.
    assert partnership.status_changes.get().note == ""
    assert (partnership.import_run.file_name, partnership.import_row) == ("twins.csv", 2)
    assert partnership.agency_checked_at is None and partnership.municipality_confirmed_at is None


def test_import_command_refuses_a_start_year_out_of_range(places, tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command(
            "import_twinnings", str(twins_file(tmp_path, str(OUT_OF_RANGE))), stdout=StringIO()
        )
    assert str(caught.value) == (
        "twins.csv wurde nicht importiert: Zeile 2, Feld „start_year“: " + RANGE_MESSAGE
    )
    assert not Partnership.objects.exists()


# --- The demo data ---------------------------------------------------------------------------


def test_demo_data_goes_through_the_service():
    call_command("demo_data", stdout=StringIO())
    leipzig = Municipality.objects.get(name="Leipzig", country_id="DE")
    partnership = Partnership.objects.involving(leipzig).get()
    assert_started_by_the_service(
        partnership, source=PartnershipSource.DEMO, actor=None, valid_from=None
    )


def test_demo_data_refuses_a_start_year_out_of_range(monkeypatch):
    bad = demo_data.DemoPartnership("Köln", "Yarinacocha", "partnerschaft", start_year=OUT_OF_RANGE)
    monkeypatch.setattr(demo_data, "PARTNERSHIPS", [bad])
    with pytest.raises(ValidationError) as caught:
        call_command("demo_data", stdout=StringIO())
    assert caught.value.message_dict == {"start_year": [RANGE_MESSAGE]}
    assert not Partnership.objects.exists()


# --- The service's own checks ----------------------------------------------------------------


def test_bulk_create_refuses_the_whole_batch_for_one_bad_draft():
    koeln, lima, kidira = (
        MunicipalityFactory(name="Köln"),
        ForeignMunicipalityFactory(name="Lima", iso2="PE"),
        ForeignMunicipalityFactory(name="Kidira", iso2="PE"),
    )
    drafts = [
        PartnershipDraft(municipality_a_id=koeln.pk, municipality_b_id=lima.pk, start_year=1990),
        PartnershipDraft(municipality_a_id=koeln.pk, municipality_b_id=kidira.pk, start_year=3000),
    ]
    with pytest.raises(ValidationError):
        partnerships_create(drafts, actor=None, source=PartnershipSource.IMPORT)
    assert not Partnership.objects.exists() and not PartnershipStatusChange.objects.exists()


def test_bulk_create_refuses_a_stored_pair_and_a_status_its_source_may_not_start_with():
    koeln, lima = (
        MunicipalityFactory(name="Köln"),
        ForeignMunicipalityFactory(name="Lima", iso2="PE"),
    )
    kidira = ForeignMunicipalityFactory(name="Kidira", iso2="PE")
    PartnershipFactory(between=(koeln, lima))
    stored = PartnershipDraft(municipality_a_id=lima.pk, municipality_b_id=koeln.pk)
    with pytest.raises(ValidationError, match="bereits im Register"):
        partnerships_create([stored], actor=None, source=PartnershipSource.IMPORT)
    ended = PartnershipDraft(
        municipality_a_id=koeln.pk, municipality_b_id=kidira.pk, status=PartnershipStatus.ENDED
    )
    with pytest.raises(ValidationError, match="kann nicht mit dem Status"):
        partnerships_create([ended], actor=None, source=PartnershipSource.REVIEW)
    [created] = partnerships_create([ended], actor=None, source=PartnershipSource.IMPORT)
    assert created.status == PartnershipStatus.ENDED and Partnership.objects.count() == 2


# --- One range for forms, filters and the API --------------------------------------------------


@pytest.mark.parametrize(
    ("year", "accepted"),
    [
        (START_YEAR_MIN - 1, False),
        (START_YEAR_MIN, True),
        (START_YEAR_MAX, True),
        (START_YEAR_MAX + 1, False),
    ],
)
def test_forms_filter_and_api_agree_on_the_boundary_years(client, year, accepted):
    world = make_world()
    partnership = world["partnership"]
    edit = PartnershipForm(
        {"type": partnership.type, "start_year": year, "version": partnership.version},
        instance=partnership,
    )
    assert edit.is_valid() is accepted
    propose = ProposeForm(
        {"partner": world["other"].pk, "type": "kontakt", "status": "aktiv", "start_year": year}
    )
    assert propose.is_valid() is accepted
    filters = PartnershipFilterForm({"year_from": year, "year_to": year})
    filters.is_valid()
    assert ("year_from" not in filters.errors) is accepted
    assert (filters.filters().year_from == year) is accepted
    response = client.get("/api/v1/partnerships", {"year_from": year, "year_to": year})
    assert response.status_code == (200 if accepted else 422)
