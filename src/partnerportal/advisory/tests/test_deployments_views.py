"""The rule and the workflow through the staff pages, and the public pages' privacy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.registry.models import PartnershipStatus
from partnerportal.registry.selectors.picking import municipality_pick_label
from partnerportal.registry.tests.factories import ForeignMunicipalityFactory

from ..models import Deployment, DeploymentState
from .expert_factories import ExpertProfileFactory, active_pair, deployment_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(agency_staff=True)
    client.force_login(user)
    return user


def form(partner, **values) -> dict:
    return {
        "partner_municipality": municipality_pick_label(partner),
        "kind": "integrated_expert",
        "starts_on": "2026-02-01",
        "ends_on": "2027-01-31",
        **values,
    }


def test_staff_record_a_deployment_through_the_form(client, staff):
    _german, partner, partnership = active_pair()
    response = client.post(reverse("advisory:deployment_create"), form(partner))
    deployment = Deployment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("advisory:deployment_detail", args=[deployment.pk])
    assert deployment.partnership == partnership


def test_the_form_refuses_naming_the_rule(client, staff):
    partner = ForeignMunicipalityFactory(name="Ohnepartner", iso2="PE")
    with translation.override("en"):
        url = reverse("advisory:deployment_create")
    response = client.post(url, form(partner))
    assert response.status_code == 200
    text = response.content.decode()
    assert "active, published partnership with a German municipality" in text
    assert "Ohnepartner has no such partnership" in text
    assert not Deployment.objects.exists()


def test_the_form_refuses_in_german(client, staff):
    _german, partner, _p = active_pair(status=PartnershipStatus.DORMANT)
    with translation.override("de"):
        url = reverse("advisory:deployment_create")
    response = client.post(url, form(partner))
    assert "eine aktive, veröffentlichte Partnerschaft mit einer deutschen Kommune" in (
        response.content.decode()
    )


def test_the_state_buttons_move_the_deployment(client, staff):
    _german, partner, _p = active_pair()
    deployment = deployment_make(staff, partner)
    url = reverse("advisory:deployment_transition", args=[deployment.pk])
    page = client.get(reverse("advisory:deployment_detail", args=[deployment.pk]))
    assert 'value="advertise"' in page.content.decode()
    client.post(url, {"action": "advertise", "version": deployment.version})
    deployment.refresh_from_db()
    assert deployment.state == DeploymentState.ADVERTISED
    response = client.post(url, {"action": "deploy", "version": deployment.version}, follow=True)
    deployment.refresh_from_db()
    assert deployment.state == DeploymentState.ADVERTISED
    assert "not possible" in response.content.decode() or "nicht möglich" in (
        response.content.decode()
    )


def test_the_public_page_keeps_the_expert_private(client):
    staff = UserFactory(agency_staff=True)
    _german, partner, _p = active_pair()
    expert = ExpertProfileFactory(name="Erika Verborgen", cv="Privat")
    deployment = deployment_make(staff, partner, expert=expert, goals="Internes Ziel")
    url = reverse("advisory:deployment_detail", args=[deployment.pk])
    text = client.get(url).content.decode()
    assert "Yarinacocha" in text
    assert "Erika Verborgen" not in text and "Internes Ziel" not in text
    editor = UserFactory(municipality=partner)
    client.force_login(editor)
    text = client.get(url).content.decode()
    assert "Internes Ziel" in text


def test_registry_pages_and_map_and_statistics_show_public_facts(client):
    staff = UserFactory(agency_staff=True)
    german, partner, partnership = active_pair()
    partner.latitude, partner.longitude = -8.35, -74.6
    partner.save()
    deployment_make(staff, partner, expert=ExpertProfileFactory(name="Erika Verborgen"), fields=())
    for url in (
        reverse("registry:partnership_detail", args=[partnership.pk]),
        reverse("registry:municipality_detail", args=[german.pk]),
    ):
        text = client.get(url).content.decode()
        assert "advisory/einsaetze/" in text or "/einsaetze/" in text, url
        assert "Erika Verborgen" not in text
    geojson = client.get(reverse("advisory:deployments_geojson")).json()
    [feature] = geojson["features"]
    assert feature["geometry"]["coordinates"] == [-74.6, -8.35]
    assert "Erika" not in str(geojson)
    text = client.get(reverse("advisory:deployment_statistics")).content.decode()
    assert "Peru" in text and "<svg" in text


def test_the_sections_and_the_api_list_make_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    from django.test import RequestFactory

    from ..views.deployments import deployments_section

    staff = UserFactory(agency_staff=True)
    _german, partner, partnership = active_pair()
    for month in range(1, 7):
        deployment_make(
            staff,
            partner,
            expert=ExpertProfileFactory(public_name=bool(month % 2)),
            starts_on=dt.date(2026, month, 1),
        )
    request = RequestFactory().get("/")
    with django_assert_max_num_queries(3):
        html = deployments_section(request, page="partnership", subject=partnership)
    assert html.count("<li") == 6
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/deployments").json()["count"] == 6
