"""Friendly error pages in the reader's language that reveal nothing internal."""

import pytest
from django.test import Client, override_settings

from partnerportal.accounts.tests.factories import PASSWORD, UserFactory

from .urls_errors import SECRET_DETAIL


def test_404_in_german(client, site):
    response = client.get("/de/gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="de"' in html
    assert 'href="/de/"' in html  # the way back home, in the same language


def test_404_in_english(client, site):
    response = client.get("/en/does-not-exist/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Page not found" in html


@override_settings(ROOT_URLCONF="partnerportal.core.tests.urls_errors")
def test_500_page_does_not_leak_the_exception(site):
    client = Client(raise_request_exception=False)
    response = client.get("/kaputt/")
    assert response.status_code == 500
    html = response.content.decode()
    assert SECRET_DETAIL not in html
    assert "RuntimeError" not in html
    assert "Traceback" not in html
    assert "Server error" in html or "Serverfehler" in html


def test_csrf_failure_shows_the_friendly_page_and_changes_nothing(site):
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/de/konto/logout/")
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="de"' in html
    for reason in ("CSRF token", "CSRF cookie", "Referer", "Origin checking"):
        assert reason not in html  # never the technical reason
    # Still logged in: the forged logout did nothing.
    assert client.get("/de/konto/").status_code == 200


def test_csrf_failure_on_login_logs_nobody_in(site):
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    response = client.post("/de/konto/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


@override_settings(ROOT_URLCONF="partnerportal.core.tests.urls_errors")
def test_400_page_is_friendly_and_silent(site):
    client = Client(raise_request_exception=False)
    response = client.get("/de/ungueltig/")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="de"' in html
    assert SECRET_DETAIL not in html


@override_settings(ROOT_URLCONF="partnerportal.core.tests.urls_errors")
def test_403_page_is_friendly_and_silent(site):
    client = Client(raise_request_exception=False)
    response = client.get("/de/verboten/")
    assert response.status_code == 403
    assert SECRET_DETAIL not in response.content.decode()


@pytest.mark.parametrize("host", ["evil.example"])
def test_400_for_a_disallowed_host(site, host):
    client = Client(raise_request_exception=False)
    response = client.get("/de/", headers={"host": host})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Traceback" not in html
    assert "DisallowedHost" not in html
    assert "ALLOWED_HOSTS" not in html
