"""The API's token authentication end to end, through `GET /api/v1/me`: 200 for a valid token,
401 without one or with an unknown, revoked or expired one (in the request's language), 403 for
a holder who is no longer allowed, 429 after too many refused tokens from one address; and the
token in no log line."""

import logging
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.utils import timezone

from partnerportal.accounts import services
from partnerportal.accounts.models import ApiToken
from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.api.authentication import ApiTokenAuth, NotPermitted, TokenRefused

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


@pytest.fixture
def staff():
    return UserFactory(role="agency_editor", mfa=True, name="Erika Muster")


@pytest.fixture
def secret(staff) -> str:
    return services.api_token_create(actor=staff, user=staff, name="Kalender")[1]


def bearer(secret: str, **extra) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}", **extra}


def test_valid_token_200_with_id_name_roles_and_nothing_more(client, staff, secret):
    response = client.get(ME, **bearer(secret))
    assert response.status_code == 200
    body = response.json()
    token = ApiToken.objects.get(user=staff)
    assert body["id"] == staff.pk and body["name"] == "Erika Muster"
    assert body["roles"] == ["agency_editor", "registered"]
    assert set(body) == {"id", "name", "roles", "token"}
    assert (
        set(body["token"]) == {"prefix", "expires_at"} and body["token"]["prefix"] == token.prefix
    )
    assert staff.email not in response.content.decode()
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_scheme_is_case_insensitive(client, staff, secret):
    assert client.get(ME, HTTP_AUTHORIZATION=f"bearer {secret}").status_code == 200


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "authentication_required"),
        ("Token {secret}", "authentication_required"),
        ("Basic dXNlcjpwYXNz", "authentication_required"),
        ("Bearer", "token_invalid"),
        ("Bearer pp_not-a-token", "token_invalid"),
        ("Bearer {wrong}", "token_invalid"),
    ],
)
def test_missing_or_unknown_token_401(client, secret, header, code):
    wrong = secret[:-2] + ("xy" if secret[-2:] != "xy" else "zz")
    headers = (
        {} if header is None else {"HTTP_AUTHORIZATION": header.format(secret=secret, wrong=wrong)}
    )
    response = client.get(ME, **headers)
    assert response.status_code == 401
    assert response.json()["code"] == code
    assert response["WWW-Authenticate"].startswith('Bearer realm="Partnerportal API"')
    assert ("invalid_token" in response["WWW-Authenticate"]) == (code != "authentication_required")


def test_401_speaks_the_request_language(client):
    german = client.get(ME).json()["detail"]
    english = client.get(ME, HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert german.startswith("Anmeldung erforderlich")
    assert english.startswith("Authentication required")


def test_revoked_and_expired_tokens_401_saying_so(client, staff):
    revoked, revoked_secret = services.api_token_create(actor=staff, user=staff, name="r")
    services.api_token_revoke(actor=staff, token=revoked)
    expired, expired_secret = services.api_token_create(actor=staff, user=staff, name="e")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    answer = client.get(ME, **bearer(revoked_secret), HTTP_ACCEPT_LANGUAGE="en")
    assert (answer.status_code, answer.json()["code"]) == (401, "token_revoked")
    assert "revoked" in answer.json()["detail"]
    answer = client.get(ME, **bearer(expired_secret))
    assert (answer.status_code, answer.json()["code"]) == (401, "token_expired")
    assert "abgelaufen" in answer.json()["detail"]


def test_closed_account_401(client, staff, secret):
    staff.is_active = False
    staff.save()
    assert client.get(ME, **bearer(secret)).json()["code"] == "token_invalid"


def test_holder_who_lost_the_staff_role_403(client, staff, secret):
    staff.groups.remove(Group.objects.get(name="agency_editor"))
    response = client.get(ME, **bearer(secret))
    assert response.status_code == 403
    assert response.json()["code"] == "not_permitted"


def test_a_logged_in_session_is_no_token(client, staff):
    """The API's token endpoints answer programs with tokens; a browser session is not one."""
    client.force_login(staff)
    assert client.get(ME).status_code == 401


def test_endpoint_permission_403():
    """`ApiTokenAuth(permission=…)`, as the events and deployments routers will use it."""
    staff = UserFactory(role="reviewer", mfa=True)
    _token, secret = services.api_token_create(actor=staff, user=staff, name="x")
    request = RequestFactory().get(ME, **bearer(secret))
    editors_only = ApiTokenAuth(
        permission=lambda user: user.groups.filter(name="agency_editor").exists()
    )
    with pytest.raises(NotPermitted):
        editors_only(request)
    request = RequestFactory().get(ME, **bearer(secret))
    assert ApiTokenAuth(permission=lambda user: True)(request) == staff
    assert request.user == staff and request.api_token.user_id == staff.pk
    with pytest.raises(TokenRefused):
        ApiTokenAuth()(RequestFactory().get(ME, HTTP_AUTHORIZATION="Bearer nope"))


def test_too_many_refused_tokens_429_for_that_address_only(client, staff, secret, settings):
    settings.API_TOKEN_FAILURE_RATE = "3/m"
    for _attempt in range(3):
        assert client.get(ME, **bearer("pp_guess")).status_code == 401
    # Now not even the right token is checked from this address: guessing learns nothing.
    response = client.get(ME, **bearer(secret))
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_failed_attempts"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["retry_after"] == int(response["Retry-After"])
    # Another address is not affected; a missing header does not count as a failure.
    assert client.get(ME, **bearer(secret, REMOTE_ADDR="10.0.0.9")).status_code == 200
    for _attempt in range(5):
        assert client.get(ME, REMOTE_ADDR="10.0.0.10").status_code == 401
    assert client.get(ME, **bearer(secret, REMOTE_ADDR="10.0.0.10")).status_code == 200


def test_token_holders_are_limited_per_account(client, staff, secret, settings):
    """A token's requests count against its holder (API_USER_RATE), not the anonymous limit."""
    settings.API_ANON_RATE = "1/m"
    settings.API_USER_RATE = "2/m"
    assert client.get(ME, **bearer(secret)).status_code == 200
    assert client.get(ME, **bearer(secret)).status_code == 200
    assert client.get(ME, **bearer(secret)).status_code == 429


def test_the_token_is_in_no_log_line(client, staff, secret, settings, caplog):
    settings.DEBUG = True  # ninja's own HttpBearer logs the header of another scheme in DEBUG
    revoked, revoked_secret = services.api_token_create(actor=staff, user=staff, name="r")
    services.api_token_revoke(actor=staff, token=revoked)
    with caplog.at_level(logging.DEBUG):
        client.get(ME, **bearer(secret))
        client.get(ME, HTTP_AUTHORIZATION=f"Token {secret}")
        client.get(ME, HTTP_AUTHORIZATION=f"Bearer {secret}x")
        client.get(ME, **bearer(revoked_secret))
    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    for value in (secret, revoked_secret):
        assert value not in logged
        assert value[12:] not in logged


def test_openapi_documents_the_bearer_scheme(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "pp_…",
        "description": ApiTokenAuth.openapi_description,
    }
    me = schema["paths"][ME]["get"]
    assert me["security"] == [{"ApiTokenAuth": []}]
    assert {"200", "401", "403", "429"} <= set(me["responses"])
    # The open-data reads stay open.
    assert "security" not in schema["paths"]["/api/v1/status"]["get"]


def test_a_token_request_costs_few_queries(client, staff, secret, django_assert_max_num_queries):
    """The token with its holder (one query), the roles (two), the last use (once a minute)."""
    with django_assert_max_num_queries(4):
        assert client.get(ME, **bearer(secret)).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(ME, **bearer(secret)).status_code == 200
