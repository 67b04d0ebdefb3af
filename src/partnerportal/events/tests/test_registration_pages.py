"""The registration box of an event page, the offer on the self-service page and the
municipality prefilled for a municipal editor."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.events.models import Event, Registration
from partnerportal.events.registrations import access_token_for, registration_cancel
from partnerportal.registry.tests.factories import MunicipalityFactory

from .registration_helpers import committed, event_make, person, register

pytestmark = pytest.mark.django_db
S = Registration.Status


def box(event: Event, language: str = "en") -> str:
    with translation.override(language):
        return render_to_string("events/partials/registration_box.html", {"event": event})


def test_box_free_seats_waiting_list_and_closed():
    event = event_make(capacity=3)
    register(event, person())
    text = box(event)
    assert "2 seats free." in text and "/anmelden/" in text and "personen=2" in text
    register(event, person())
    register(event, person())
    register(event, person())
    register(event, person(), person())  # a delegation waits as one
    text = box(event)
    assert "full" in text and "2 registrations on the waiting list." in text
    assert "Join the waiting list" in text
    event.registration_open = False
    event.save()
    text = box(event, "de")
    assert "Anmeldung zu dieser Veranstaltung ist geschlossen" in text and "/anmelden/" not in text


def test_offer_shown_and_accepted_through_the_link(client, site):
    event = event_make(capacity=1, waitlist_mode=Event.WaitlistMode.OFFER)
    first = register(event, person())[0].registration
    second = register(event, person())[0].registration
    with committed():
        registration_cancel(registration=first)
    url = reverse("events:registration_manage", kwargs={"token": access_token_for(second)})
    page = client.get(url)
    assert page.status_code == 200 and 'value="accept"' in page.text
    with committed():
        assert client.post(url, {"action": "accept"}).status_code == 302
    second.refresh_from_db()
    assert second.status == S.CONFIRMED
    # accepting twice is refused with a message, not an error
    assert client.post(url, {"action": "accept"}).status_code == 302


def test_municipal_editor_finds_their_municipality_prefilled(client, site):
    koeln = MunicipalityFactory(name="Köln")
    editor = UserFactory(municipality=koeln)
    client.force_login(editor)
    event = event_make()
    page = client.get(reverse("events:registration_create", kwargs={"slug": event.slug}))
    assert page.status_code == 200
    assert 'name="person-0-municipality"' in page.text and "Köln" in page.text


def test_answers_changed_through_the_link(client, site):
    event = event_make()
    registration = register(event, person("Ana"))[0].registration
    url = reverse("events:registration_manage", kwargs={"token": access_token_for(registration)})
    response = client.post(
        url,
        {"action": "answers", "name": "Ana María", "language": "es", "dietary_needs": "vegan"},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.name, registration.language, registration.dietary_needs) == (
        "Ana María",
        "es",
        "vegan",
    )
