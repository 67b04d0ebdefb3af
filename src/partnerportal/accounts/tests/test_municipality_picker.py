"""Choosing a municipality by typing it (core.pickers with the registry's search): the editors
page sends no list of every municipality, a typed name is resolved on the server, and several
matches are refused with the candidates named, without JavaScript."""

import re

import pytest
from django.urls import reverse

from partnerportal.accounts.models import Invitation, Membership
from partnerportal.accounts.tests.factories import MunicipalityFactory, UserFactory
from partnerportal.core.pickers import picker_resolve
from partnerportal.registry.selectors.picking import municipality_pick_label

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    return {
        "koeln": MunicipalityFactory(name="Köln", ags="05315000", state="Nordrhein-Westfalen"),
        "neustadt_a": MunicipalityFactory(name="Neustadt", ags="09999001", state="Bayern"),
        "neustadt_b": MunicipalityFactory(name="Neustadt", ags="09999002", state="Sachsen"),
    }


def test_a_name_only_one_place_has_a_label_and_an_ags_each_name_one_place(places):
    koeln = places["koeln"]
    assert picker_resolve("municipality", "koln") == (koeln, [])  # folded, as the search
    label = municipality_pick_label(koeln)
    assert label == "Köln – Nordrhein-Westfalen (AGS 05315000)"
    assert picker_resolve("municipality", label) == (koeln, [])
    assert picker_resolve("municipality", "05315000") == (koeln, [])
    assert picker_resolve("municipality", "Atlantis") == (None, [])


def test_several_places_of_one_name_are_candidates_not_a_guess(places):
    found, candidates = picker_resolve("municipality", "Neustadt")
    assert found is None
    assert set(candidates) == {places["neustadt_a"], places["neustadt_b"]}
    label = municipality_pick_label(places["neustadt_b"])
    assert picker_resolve("municipality", label) == (places["neustadt_b"], [])


def test_the_editors_page_sends_no_list_of_municipalities(client, places):
    for n in range(30):
        MunicipalityFactory(name=f"Ort {n}")
    client.force_login(UserFactory(agency_staff=True))
    response = client.get(reverse("accounts:staff_memberships"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<option" not in html.split('name="municipality"')[1].split("</datalist>")[0]
    assert "Ort 17" not in html
    assert 'hx-get="/de/register/kommunen/auswahl/"' in html


def test_an_invitation_for_a_typed_name(client, places):
    client.force_login(UserFactory(agency_staff=True))
    response = client.post(
        reverse("accounts:invitation_create"),
        {"email": "neu@example.org", "municipality": "Köln", "language": "de"},
    )
    assert response.status_code == 302
    assert Invitation.objects.get(email="neu@example.org").municipality == places["koeln"]


def test_an_ambiguous_name_is_refused_with_the_candidates_and_saves_nothing(client, places):
    client.force_login(UserFactory(agency_staff=True))
    response = client.post(
        reverse("accounts:invitation_create"),
        {"email": "neu@example.org", "municipality": "Neustadt", "language": "de"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert not Invitation.objects.exists()
    # Named in the message and offered in the field's list, which needs no JavaScript.
    for place in (places["neustadt_a"], places["neustadt_b"]):
        label = municipality_pick_label(place)
        assert label in html.split("pp-error-summary")[1]
        assert f'<option value="{label}">' in html
    # The error summary leads to the field and is focused when the page loads.
    assert 'href="#id_municipality"' in html
    assert re.search(r'<div class="[^"]*pp-error-summary"[^>]*tabindex="-1" autofocus', html)


def test_a_membership_request_for_a_typed_label(client, places):
    person = UserFactory()
    client.force_login(person)
    label = municipality_pick_label(places["neustadt_a"])
    response = client.post(reverse("accounts:membership_request"), {"municipality": label})
    assert response.status_code == 302
    assert Membership.objects.get(user=person).municipality == places["neustadt_a"]


def test_the_suggestions_as_one_types(client, places):
    url = reverse("registry:municipality_picker")
    response = client.get(url, {"field": "municipality", "municipality": "Neust"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<option") == 2
    assert municipality_pick_label(places["neustadt_a"]) in html
    assert client.get(url, {"q": ""}).content == b""
