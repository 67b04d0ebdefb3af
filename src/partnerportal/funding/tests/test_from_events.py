"""Travel support asked for with an event registration becomes a draft application for the
registrant's municipality (funding.from_events, connected to events' signal)."""

import pytest

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.events.tests.registration_helpers import event_make, person, register
from partnerportal.funding.models import Application, ApplicationState
from partnerportal.funding.tests.factories_review import InstrumentFactory
from partnerportal.registry.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

TRAVEL = "reisekosten-anbahnung-delegation"


def test_a_registration_asking_for_travel_support_starts_one_draft_for_its_municipality():
    instrument = InstrumentFactory(slug=TRAVEL, is_active=True)
    municipality = MunicipalityFactory(name="Eigenstadt")
    editor = UserFactory(municipality=municipality)
    event = event_make(capacity=10)
    [registered] = register(
        event,
        person(
            user=editor,
            municipality=municipality,
            travel_support_requested=True,
            travel_support_note="Flug Windhoek–Berlin für zwei Personen",
        ),
    )
    application = Application.objects.get()
    assert application.instrument == instrument
    assert application.applicant == municipality
    assert application.created_by == editor
    assert application.state == ApplicationState.DRAFT
    assert application.origin == f"events.registration:{registered.registration.pk}"
    assert application.measure == "Flug Windhoek–Berlin für zwei Personen"
    assert event.title in application.title
    assert application.starts_on is not None and application.ends_on >= application.starts_on


def test_no_draft_without_travel_support_municipality_or_open_instrument():
    InstrumentFactory(slug=TRAVEL, is_active=False)
    municipality = MunicipalityFactory()
    event = event_make(capacity=10)
    register(
        event,
        person(
            municipality=municipality, travel_support_requested=True, travel_support_note="Flug"
        ),
    )
    register(event, person(municipality=municipality))
    assert not Application.objects.exists()


def test_a_registration_without_a_registry_municipality_makes_no_draft():
    InstrumentFactory(slug=TRAVEL, is_active=True)
    event = event_make(capacity=10)
    register(
        event,
        person(
            municipality_text="Irgendwo", travel_support_requested=True, travel_support_note="Flug"
        ),
    )
    assert not Application.objects.exists()


def test_someone_who_does_not_edit_for_the_municipality_starts_no_draft_for_it():
    """Anyone may register and name any municipality: no application appears in its list."""
    InstrumentFactory(slug=TRAVEL, is_active=True)
    municipality = MunicipalityFactory()
    outsider = UserFactory()
    event = event_make(capacity=10)
    register(
        event,
        person(
            municipality=municipality, travel_support_requested=True, travel_support_note="Flug"
        ),
    )
    register(
        event,
        person(
            user=outsider,
            municipality=municipality,
            travel_support_requested=True,
            travel_support_note="Flug",
        ),
    )
    assert not Application.objects.exists()
