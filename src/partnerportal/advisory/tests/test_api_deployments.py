"""POST and GET /api/v1/deployments: the rule holds in the API as on the site."""

from __future__ import annotations

import datetime as dt

import pytest

from partnerportal.accounts import services as account_services
from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.registry.models import PartnershipStatus
from partnerportal.registry.tests.factories import ForeignMunicipalityFactory

from ..models import Deployment, DeploymentState
from .expert_factories import ExpertProfileFactory, active_pair, deployment_make

pytestmark = pytest.mark.django_db

URL = "/api/v1/deployments"


def bearer(user) -> dict:
    secret = account_services.api_token_create(actor=user, user=user, name="Integration")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def staff():
    return UserFactory(agency_staff=True)


def body(partner, **values) -> dict:
    return {
        "partner_municipality": partner.pk,
        "kind": "local_expert",
        "starts_on": "2026-02-01",
        "ends_on": "2027-01-31",
        **values,
    }


def test_post_creates_201_with_id_and_state(client, staff):
    _german, partner, partnership = active_pair()
    expert = ExpertProfileFactory()
    response = client.post(
        URL,
        body(partner, expert=expert.pk, fields=["gesundheit"]),
        content_type="application/json",
        **bearer(staff),
    )
    assert response.status_code == 201, response.content
    data = response.json()
    deployment = Deployment.objects.get(pk=data["id"])
    assert data["state"] == DeploymentState.FILLED
    assert deployment.partnership == partnership
    assert deployment.created_by == staff
    assert [t.code for t in deployment.fields.all()] == ["gesundheit"]


def test_post_refused_422_naming_the_rule(client, staff):
    _german, partner, _p = active_pair(status=PartnershipStatus.ENDED)
    response = client.post(
        URL,
        body(partner),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(staff),
    )
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["type"] == "no_active_partnership"
    assert problem["loc"] == ["body", "payload", "starts_on"]
    assert "active, published partnership with a German municipality" in problem["msg"]
    assert not Deployment.objects.exists()


def test_post_refusal_in_german(client, staff):
    partner = ForeignMunicipalityFactory(iso2="PE")
    response = client.post(
        URL,
        body(partner),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="de",
        **bearer(staff),
    )
    assert response.status_code == 422
    assert "aktive, veröffentlichte Partnerschaft" in response.json()["detail"][0]["msg"]


def test_post_unknown_ids_and_fields_422(client, staff):
    _german, partner, _p = active_pair()
    response = client.post(
        URL,
        body(partner, expert=999999, fields=["nope"]),
        content_type="application/json",
        **bearer(staff),
    )
    assert response.status_code == 422
    assert {p["loc"][-1] for p in response.json()["detail"]} == {"expert", "fields"}


def test_post_invalid_kind_is_ninjas_422(client, staff):
    _german, partner, _p = active_pair()
    response = client.post(
        URL, body(partner, kind="astronaut"), content_type="application/json", **bearer(staff)
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "kind"


def test_post_without_token_401_and_reviewer_403(client):
    _german, partner, _p = active_pair()
    assert client.post(URL, body(partner), content_type="application/json").status_code == 401
    reviewer = UserFactory(reviewer=True)
    response = client.post(URL, body(partner), content_type="application/json", **bearer(reviewer))
    assert response.status_code == 403
    assert not Deployment.objects.exists()


def test_get_gives_public_facts_and_the_name_only_with_consent(client, staff):
    _german, partner, partnership = active_pair()
    hidden = ExpertProfileFactory(name="Erika Verborgen")
    shown = ExpertProfileFactory(name="Max Sichtbar", public_name=True)
    deployment_make(staff, partner, expert=hidden)
    deployment_make(staff, partner, expert=shown, starts_on=dt.date(2026, 3, 1))
    response = client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Erika Verborgen" not in text
    assert "Geheimer Lebenslauf" not in text
    assert "fachkraft" not in text  # no e-mail address
    data = response.json()
    assert data["count"] == 2
    names = {item["expert_name"] for item in data["items"]}
    assert names == {"Max Sichtbar", None}
    first = data["items"][0]
    assert first["partnership"] == partnership.pk
    assert first["partner_municipality"]["country"] == "PE"
    assert client.get(URL, {"country": "SN"}).json()["count"] == 0
    assert client.get(URL, {"page_size": 1}).json()["items"].__len__() == 1
