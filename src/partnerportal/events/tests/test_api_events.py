"""/api/v1/events: public reads with seat counts, staff writes by API token, 422 in ninja's
shape, 401/403 (evcal)."""

from __future__ import annotations

import json

import pytest

from partnerportal.accounts import services as account_services
from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.events.models import Event, Registration

from .calendar_fixtures import make_event, register

pytestmark = pytest.mark.django_db

BODY = {
    "title": "Digitaler Austausch Mongolei",
    "starts_at": "2031-04-01T09:00:00+08:00",
    "ends_at": "2031-04-01T12:00:00+08:00",
    "timezone": "Asia/Ulaanbaatar",
    "capacity": 50,
    "registration_open": True,
}


def _token(user) -> str:
    return account_services.api_token_create(actor=user, user=user, name="Test")[1]


def _post(client, body, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(
        "/api/v1/events", json.dumps(body), content_type="application/json", **headers
    )


def test_list_and_detail_with_counts(client, site):
    event = make_event(title="Runder Tisch", capacity=50, partner_countries=[])
    register(event, 4)
    register(event, 2, Registration.Status.WAITLISTED)
    make_event(title="Entwurf", status=Event.Status.DRAFT)
    listing = client.get("/api/v1/events", {"from": "2026-01-01T00:00:00Z"}).json()
    titles = [item["title"] for item in listing["items"]]
    assert "Runder Tisch" in titles and "Entwurf" not in titles
    assert "Regionalkonferenz Afrika 2019" not in titles  # ended before `from`
    detail = client.get(f"/api/v1/events/{event.pk}").json()
    assert (detail["capacity"], detail["confirmed"], detail["waitlisted"]) == (50, 4, 2)
    series = client.get("/api/v1/events", {"series": "regionalkonferenz-afrika"}).json()
    assert series["count"] == 5
    assert client.get("/api/v1/events", {"country": "ZZ"}).json()["count"] == 0
    draft = Event.objects.get(title="Entwurf")
    assert client.get(f"/api/v1/events/{draft.pk}").status_code == 404


@pytest.mark.parametrize(
    "moment,status",
    [
        ("0381-11-06T09:17:34-21:06", 200),  # ISO allows it, PostgreSQL's offsets stop at 15:59
        ("2031-04-01T09:00:00+23:59", 200),
        ("2031-04-01T09:00:00", 200),  # no offset: German time, as on the calendar page
        ("0001-01-01T00:30:00+05:00", 422),  # before the year 1 in UTC
        ("9999-12-31T23:30:00-05:00", 422),  # after the year 9999 in UTC
    ],
)
def test_list_filters_take_every_offset(client, site, moment, status):
    make_event(title="Runder Tisch", capacity=50, partner_countries=[])
    for name in ("from", "to"):
        response = client.get("/api/v1/events", {name: moment})
        assert response.status_code == status, response.content


def test_create_with_extreme_offset_is_stored_in_utc(client, site):
    body = {
        **BODY,
        "starts_at": "2031-04-01T09:00:00+15:30",
        "ends_at": "2031-04-01T12:00:00-15:30",
    }
    response = _post(client, body, _token(UserFactory(agency_staff=True)))
    assert response.status_code == 201, response.content
    assert response.json()["starts_at"].startswith("2031-03-31T17:30:00")


def test_create_by_staff_token(client, site):
    editor = UserFactory(agency_staff=True)
    response = _post(
        client,
        {**BODY, "series": "runder-tisch-mongolei", "partner_countries": ["MN"]},
        _token(editor),
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["series"] == "runder-tisch-mongolei" and data["format"] == "round_table"
    assert data["starts_at"].startswith("2031-04-01T01:00:00")  # stored in UTC
    assert data["timezone"] == "Asia/Ulaanbaatar" and data["partner_countries"] == ["MN"]
    event = Event.objects.get(pk=data["id"])
    assert event.created_by == editor
    assert event.history.latest().history_change_reason == "events.event_created"


@pytest.mark.parametrize(
    "change,field",
    [
        ({"starts_at": "2031-04-01T09:00:00"}, "starts_at"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"ends_at": "2031-04-01T08:00:00+08:00"}, None),
        ({"title": None}, "title"),
        ({"series": "gibt-es-nicht"}, "series"),
    ],
)
def test_create_bad_input_is_422(client, site, change, field):
    body = {k: v for k, v in {**BODY, **change}.items() if v is not None}
    response = _post(client, body, _token(UserFactory(agency_staff=True)))
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, list) and all({"loc", "msg", "type"} <= set(d) for d in detail)
    if field:
        assert any(field in d["loc"] for d in detail)
    assert not Event.objects.filter(title=BODY["title"]).exists()


def test_auth_matrix(client, site):
    assert _post(client, BODY).status_code == 401
    assert _post(client, BODY, "pp_wrong").status_code == 401
    reviewer = UserFactory(reviewer=True)  # staff, may hold tokens, may not manage events
    assert _post(client, BODY, _token(reviewer)).status_code == 403
    admin = UserFactory(agency_admin=True)
    assert _post(client, BODY, _token(admin)).status_code == 201
    event = Event.objects.get(title=BODY["title"])
    patch = client.patch(
        f"/api/v1/events/{event.pk}", json.dumps({"capacity": 60}), content_type="application/json"
    )
    assert patch.status_code == 401


def test_patch_changes_and_detects_conflicts(client, site):
    token = _token(UserFactory(agency_staff=True))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    event = make_event(capacity=20)
    url = f"/api/v1/events/{event.pk}"
    response = client.patch(
        url,
        json.dumps({"capacity": 25, "registration_open": True, "version": event.version}),
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200, response.content
    assert response.json()["capacity"] == 25 and response.json()["registration_open"] is True
    stale = client.patch(
        url,
        json.dumps({"capacity": 30, "version": event.version}),
        content_type="application/json",
        **auth,
    )
    assert stale.status_code == 409
    bad = client.patch(
        url,
        json.dumps({"ends_at": "2000-01-01T00:00:00+00:00"}),
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 422
    event.refresh_from_db()
    assert event.capacity == 25
    assert (
        client.patch(
            "/api/v1/events/999999", "{}", content_type="application/json", **auth
        ).status_code
        == 404
    )
